/** Rooms with real participants: Kipinä sessions through its HTTP API, plain doc names for peers. */
import { randomId } from '@kipina/board';
import { protoOf, type Seat } from './clients.js';
import type { ServerHandle } from './proc.js';

export interface BenchRoom {
	name: string;
	seats: Seat[];
}

async function post(base: string, route: string, body: unknown): Promise<Record<string, unknown>> {
	const res = await fetch(base + route, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	const json = (await res.json()) as Record<string, unknown>;
	if (res.status !== 201) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
	return json;
}

export function seatUrl(server: ServerHandle, name: string, token: string): string {
	const base = `ws://127.0.0.1:${server.port}`;
	if (server.kind === 'kipina') return `${base}/sync/${name}?token=${token}&saved=1`;
	if (server.kind === 'hp3' || server.kind === 'hp4') return `${base}/`;
	return `${base}/${name}`;
}

/** Creates a Kipinä session (facilitator = seat 0) or picks a doc name, and `n` participants. */
export async function prepareRoom(
	server: ServerHandle,
	n: number,
	concurrency = 16
): Promise<BenchRoom> {
	const proto = protoOf(server.kind);
	if (server.kind !== 'kipina') {
		const name = `room-${randomId(8)}`;
		const seats = Array.from({ length: n }, () => {
			const participantId = randomId(12);
			return {
				url: seatUrl(server, name, 'bench'),
				docName: name,
				token: 'bench',
				participantId,
				industry: 'bench',
				proto
			};
		});
		return { name, seats };
	}
	const base = `http://127.0.0.1:${server.port}`;
	const created = await post(base, '/api/sessions', {
		title: 'Benchmark',
		name: 'Facilitator',
		industry: 'bench'
	});
	const name = created.id as string;
	const facilitator: Seat = {
		url: seatUrl(server, name, created.token as string),
		docName: name,
		token: created.token as string,
		participantId: (created.participant as { id: string }).id,
		industry: 'bench',
		proto
	};
	const seats: Seat[] = new Array(n);
	if (n > 0) seats[0] = facilitator;
	let next = 1;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < n) {
				const i = next++;
				const joined = await post(base, `/api/sessions/${name}/participants`, {
					name: `P${i}`,
					industry: 'bench'
				});
				seats[i] = {
					url: seatUrl(server, name, joined.token as string),
					docName: name,
					token: joined.token as string,
					participantId: joined.participantId as string,
					industry: 'bench',
					proto
				};
			}
		})
	);
	return { name, seats };
}

/** Adds `n` participants to an existing room (Kipinä: through the API). */
export async function addSeats(server: ServerHandle, room: BenchRoom, n: number): Promise<Seat[]> {
	const proto = protoOf(server.kind);
	if (server.kind !== 'kipina') {
		return Array.from({ length: n }, () => ({
			...room.seats[0]!,
			url: seatUrl(server, room.name, 'bench'),
			participantId: randomId(12),
			proto
		}));
	}
	const base = `http://127.0.0.1:${server.port}`;
	const out: Seat[] = [];
	for (let i = 0; i < n; i++) {
		const joined = await post(base, `/api/sessions/${room.name}/participants`, {
			name: `P${i}`,
			industry: 'bench'
		});
		out.push({
			url: seatUrl(server, room.name, joined.token as string),
			docName: room.name,
			token: joined.token as string,
			participantId: joined.participantId as string,
			industry: 'bench',
			proto
		});
	}
	return out;
}
