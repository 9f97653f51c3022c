/**
 * Runs a fuzz campaign against a live in-process server with two healthy
 * rooms, and reports whether the healthy rooms, the server and its logs came
 * through unharmed. Used by fuzz.test.ts (bounded) and scripts/fuzz.ts (long).
 */
import { Writable } from 'node:stream';
import { addIdea, listIdeas } from '@kipina/board';
import { pino } from 'pino';
import * as Y from 'yjs';
import { RATE_LIMITS } from '../../src/limits.js';
import { startServer } from '../../src/server.js';
import {
	api,
	connect,
	createSession,
	isSaved,
	joinSession,
	synced,
	testConfig,
	waitFor,
	type Client,
	type Joined
} from '../helpers.js';
import { rawSocket } from '../raw.js';
import { makeFrame, prng } from './corpus.js';

export interface FuzzReport {
	seed: number;
	frames: number;
	byCategory: Record<string, number>;
	closeCodes: Record<string, number>;
	errorLogs: string[];
	unhandled: string[];
	healthy: boolean;
	healthyRoomsEqualControl: boolean;
	fuzzedRoomHasOnlyAllowed: boolean;
	/** Ideas in the fuzzed room that the attacker could not have posted (should be empty). */
	forbiddenIdeas: unknown[];
}

export async function runFuzz(frames: number, seed = Date.now() % 1e9): Promise<FuzzReport> {
	const errorLogs: string[] = [];
	const sink = new Writable({
		write(chunk, _enc, done) {
			errorLogs.push(String(chunk));
			done();
		}
	});
	const unhandled: string[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(String(reason));
	process.on('unhandledRejection', onUnhandled);

	const maxPayload = 64 * 1024;
	const server = await startServer(
		testConfig({
			maxPayload,
			rateLimits: { ...RATE_LIMITS, connections: { capacity: 1e9, perSecond: 1e9 } }
		}),
		pino({ level: 'error' }, sink)
	);
	const clients: Client[] = [];
	try {
		// Two healthy rooms with real providers, and a ledger of what they wrote.
		const ledger = new Map<string, string[]>();
		const healthy: { fac: Joined; bob: Joined; a: Client; b: Client }[] = [];
		for (const title of ['Terve 1', 'Terve 2']) {
			const fac = await createSession(server.url, title);
			const bob = await joinSession(server.url, fac.sessionId, 'Bob', 'IT');
			const a = connect(server.port, fac);
			const b = connect(server.port, bob);
			clients.push(a, b);
			await Promise.all([synced(a), synced(b)]);
			healthy.push({ fac, bob, a, b });
			ledger.set(fac.sessionId, []);
		}
		const write = (round: number) => {
			for (const h of healthy) {
				const text = `round ${round}`;
				addIdea(h.a.doc, h.fac, `${text} a`);
				addIdea(h.b.doc, h.bob, `${text} b`);
				ledger.get(h.fac.sessionId)!.push(`${text} a`, `${text} b`);
			}
		};

		const victim = await createSession(server.url, 'Fuzzattu');
		const attacker = await joinSession(server.url, victim.sessionId, 'Mallory', 'hakkerointi');
		const victimClient = connect(server.port, victim);
		clients.push(victimClient);
		await synced(victimClient);
		addIdea(victimClient.doc, victim, 'Fasilitaattorin idea');
		await waitFor(() => isSaved(victimClient), 'victim idea saved');

		const rand = prng(seed);
		const byCategory: Record<string, number> = {};
		const closeCodes: Record<string, number> = {};
		const workers = 8;
		let sent = 0;
		let round = 0;
		const worker = async () => {
			let socket = await rawSocket(server.port, victim.sessionId, { token: attacker.token });
			let closed = false;
			void socket.closed.then((c) => {
				closeCodes[c.code] = (closeCodes[c.code] ?? 0) + 1;
				closed = true;
			});
			while (sent < frames) {
				sent += 1;
				if (sent % 250 === 0) write(round++);
				const room = server.rooms.peek(victim.sessionId);
				const frame = makeFrame(rand, {
					state: room ? Y.encodeStateAsUpdate(room.doc) : new Uint8Array([0, 0]),
					participantId: attacker.participantId,
					industry: attacker.industry,
					maxPayload
				});
				byCategory[frame.category] = (byCategory[frame.category] ?? 0) + 1;
				if (closed || socket.ws.readyState !== socket.ws.OPEN) {
					socket.ws.terminate();
					socket = await rawSocket(server.port, victim.sessionId, { token: attacker.token });
					closed = false;
					void socket.closed.then((c) => {
						closeCodes[c.code] = (closeCodes[c.code] ?? 0) + 1;
						closed = true;
					});
				}
				socket.ws.send(frame.data);
				await new Promise((r) => setImmediate(r));
			}
			socket.ws.terminate();
		};
		await Promise.all(Array.from({ length: workers }, worker));
		write(round++);

		for (const h of healthy) {
			await waitFor(() => isSaved(h.a) && isSaved(h.b), 'healthy rooms saved', 20_000);
		}
		// A fresh client per healthy room must see exactly the ledger.
		let equal = true;
		for (const h of healthy) {
			const fresh = connect(server.port, h.fac);
			clients.push(fresh);
			await synced(fresh);
			const seen = listIdeas(fresh.doc)
				.map((i) => i.text)
				.sort();
			const expected = [...ledger.get(h.fac.sessionId)!].sort();
			if (JSON.stringify(seen) !== JSON.stringify(expected)) equal = false;
		}
		// The fuzzed room may only hold the facilitator's idea and ideas the attacker posted as themself.
		const room = server.rooms.peek(victim.sessionId);
		const ideas = room ? listIdeas(room.doc) : [];
		// (Bit flips may turn the attacker's own idea text into other valid text: still allowed.)
		const forbiddenIdeas = ideas.filter(
			(i) =>
				!(i.authorId === victim.participantId && i.text === 'Fasilitaattorin idea') &&
				!(i.authorId === attacker.participantId && i.industry === attacker.industry)
		);
		const onlyAllowed =
			ideas.some((i) => i.text === 'Fasilitaattorin idea') &&
			forbiddenIdeas.length === 0 &&
			room?.doc.getMap('meta').get('title') === 'Fuzzattu' &&
			room.doc.store.pendingStructs === null;
		const health = await api(server.url, 'GET', '/api/health');
		return {
			seed,
			frames: sent,
			byCategory,
			closeCodes,
			errorLogs,
			unhandled,
			healthy: health.status === 200,
			healthyRoomsEqualControl: equal,
			fuzzedRoomHasOnlyAllowed: onlyAllowed,
			forbiddenIdeas
		};
	} finally {
		for (const c of clients) c.destroy();
		await server.close();
		process.off('unhandledRejection', onUnhandled);
	}
}
