/**
 * B9 soak / leak. For BENCH_SOAK_MIN minutes (default 30): the B1 workload
 * in one room (N = 50, an idea every 3 s each, a vote every 10 s) and churn
 * across 50 other rooms: every second one participant joins a random room
 * (connects, syncs, sets a presence and renews it every 15 s; no writes,
 * so that those rooms' documents do not grow and any growth of the heap is
 * a leak) and a random one leaves
 * (alternately a clean close and a dropped socket), with 50 of them online at
 * any time. Rooms empty and fill again, so every server loads and unloads
 * documents all along. A seeded random sequence: every server sees the same
 * joins and leaves.
 *
 * The server's heap after GC (`stats` with `gc: true`, three full GCs) is
 * sampled once a minute (runs under 30 minutes: 30 samples in all), and its
 * slope fitted by least squares after the first 5 minutes (runs under 10
 * minutes: after the first 20 %), in MB per 10 minutes; the target is ≤ 1.
 * The B1 writers post their ideas before the fit starts and rewrite them
 * from then on; what that room's document still grows by (rewrites leave
 * tombstones) is reported beside it as the encoded size's slope. Also: the
 * rooms the server holds (`info().rooms`) vs the rooms with someone in them
 * (a room that emptied in the last 5 s may still be unloading), the rooms
 * left once the churn has stopped and everyone left (expected: the B1 room
 * alone), and the B1 room's latency and delivery ratio. The GC samples
 * stall the server for a few ms each, which shows in the latency's tail.
 *
 * Runs against every server kind, the plain relay included (it has rooms:
 * a set of sockets per name, dropped with the last one; no documents).
 * Not part of `all` (it runs for half an hour per server): run it by name.
 */
import { ThinClient, withTimeout, type Seat } from '../lib/clients.js';
import { roundRobin, type Ctx, type ScenarioResult } from '../lib/context.js';
import { serverCpu, spawnServer, type ServerStats } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { prepareRoom } from '../lib/rooms.js';
import { sleep } from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';
import * as Y from 'yjs';
import { B1Load, keepAlive } from '../lib/b1load.js';

const MB = 2 ** 20;

interface SoakConfig {
	durationMs: number;
	/** The heap's slope is fitted after this long. */
	skipMs: number;
	sampleMs: number;
	/** B1 room. */
	n: number;
	periodMs: number;
	voteMs: number;
	/** Churn. */
	rooms: number;
	online: number;
	joinsPerSec: number;
	/** Seats made per churn room (Kipinä: participants through its API), reused by later joins. */
	seatsPerRoom: number;
	warmMs: number;
	/** A room that emptied this recently may still be held by the server (unload grace, final store). */
	settleMs: number;
}

/** mulberry32: a small seeded PRNG, the same sequence for every server. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
	const n = points.length;
	if (n < 2) return NaN;
	const mx = points.reduce((a, p) => a + p.x, 0) / n;
	const my = points.reduce((a, p) => a + p.y, 0) / n;
	let sxy = 0;
	let sxx = 0;
	for (const p of points) {
		sxy += (p.x - mx) * (p.y - my);
		sxx += (p.x - mx) ** 2;
	}
	return sxx === 0 ? NaN : sxy / sxx;
}

interface Sample {
	/** Seconds since the soak started. */
	t: number;
	heapMB: number;
	rssMB: number;
	rooms: number;
	occupied: number;
	/** Occupied, plus rooms that emptied in the last `settleMs`. */
	allowed: number;
	/** Of the heap, compiled code and bytecode (grows as the process warms up, not with rooms). */
	codeMB: number;
	docKB: number;
	/** Structs in the B1 document (live and deleted items, GC ranges). */
	docItems: number;
}

interface Member {
	client: ThinClient;
	room: number;
	seat: number;
	keepAlive?: NodeJS.Timeout;
}

/** Every run's samples, by server (the raw JSON keeps the time series). */
const series: Record<string, Sample[][]> = {};

async function soakRun(kind: ServerKind, cfg: SoakConfig, ctx: Ctx): Promise<Row> {
	const server = await spawnServer(kind);
	const members = new Set<Member>();
	let load: B1Load | undefined;
	let probe: ThinClient | undefined;
	let churn: NodeJS.Timeout | undefined;
	const relay = kind === 'relay';
	try {
		const b1Room = await prepareRoom(server, cfg.n + 1);
		const rooms: { seats: Seat[]; free: number[]; members: number; emptiedAt: number }[] = [];
		for (let r = 0; r < cfg.rooms; r++) {
			const room = await prepareRoom(server, cfg.seatsPerRoom);
			rooms.push({
				seats: room.seats,
				free: room.seats.map((_, i) => i),
				members: 0,
				// Kipinä loads a session's document to add its participants: it unloads after a grace.
				emptiedAt: performance.now()
			});
		}
		// Ideas are posted before the fit starts; rewrites from then on.
		const ideas = Math.max(1, Math.floor(cfg.skipMs / cfg.periodMs));
		load = await B1Load.open(kind, b1Room.seats.slice(0, cfg.n), { ...cfg, ideas });
		// A full replica of the B1 room: its encoded size is the document's own growth.
		probe = new ThinClient(b1Room.seats[cfg.n]!, cfg.n, { full: true, noStep1: relay });
		if (!relay) await withTimeout(probe.synced, 60_000, `${kind}: probe synced`);
		const probeAlive = keepAlive(probe);

		const rand = random(0x5eed);
		let nextIndex = 100_000;
		let joins = 0;
		let leaves = 0;
		let joinsRefused = 0;
		let closedByServer = 0;
		const closeCodes = new Set<number>();
		const join = (): void => {
			// A random room with a free seat (rooms are rarely full: 50 people in 50 rooms).
			let r = Math.floor(rand() * cfg.rooms);
			for (let k = 0; k < cfg.rooms && rooms[r]!.free.length === 0; k++) r = (r + 1) % cfg.rooms;
			const room = rooms[r]!;
			const seat = room.free.pop();
			if (seat === undefined) {
				joinsRefused += 1;
				return;
			}
			const client = new ThinClient(room.seats[seat]!, nextIndex++, { noStep1: relay });
			// A leave may come before the socket opened.
			client.opened.catch(() => undefined);
			const m: Member = { client, room: r, seat };
			members.add(m);
			room.members += 1;
			joins += 1;
			client.ws.on('close', () => {
				if (members.has(m)) {
					closedByServer += 1;
					closeCodes.add(client.closeCode);
					leave(m, false);
				}
			});
			void (relay ? client.opened : client.synced).then(
				() => {
					if (members.has(m)) m.keepAlive = keepAlive(client);
				},
				() => undefined
			);
		};
		const leave = (m: Member, clean: boolean): void => {
			if (!members.delete(m)) return;
			clearInterval(m.keepAlive);
			const room = rooms[m.room]!;
			room.free.push(m.seat);
			room.members -= 1;
			if (room.members === 0) room.emptiedAt = performance.now();
			leaves += 1;
			if (clean) {
				m.client.ws.close(1000, 'bye');
				m.client.doc.destroy();
			} else m.client.close();
		};
		for (let i = 0; i < cfg.online; i++) join();
		let tick = 0;
		churn = setInterval(() => {
			const online = [...members];
			if (online.length > 0) leave(online[Math.floor(rand() * online.length)]!, tick++ % 2 === 0);
			join();
		}, 1000 / cfg.joinsPerSec);

		load.start();
		await sleep(cfg.warmMs);
		const win = load.openWindow();
		const t0 = performance.now();
		const samples: Sample[] = [];
		(series[kind] ??= []).push(samples);
		let first: ServerStats | undefined;
		let last: ServerStats | undefined;
		for (let k = 0; ; k++) {
			const wait = t0 + k * cfg.sampleMs - performance.now();
			if (wait > 0) await sleep(wait);
			const s = await withTimeout(server.stats(true), 60_000, `${kind}: stats`);
			first ??= s;
			last = s;
			const now = performance.now();
			const occupied = rooms.filter((r) => r.members > 0).length + 1;
			const settling = rooms.filter(
				(r) => r.members === 0 && now - r.emptiedAt < cfg.settleMs
			).length;
			samples.push({
				t: (s.at - t0) / 1000,
				heapMB: s.heapUsed / MB,
				rssMB: s.rss / MB,
				rooms: Number(s.info.rooms ?? NaN),
				occupied,
				allowed: occupied + settling,
				codeMB: s.codeUsed / MB,
				docKB: Y.encodeStateAsUpdate(probe.doc).byteLength / 1024,
				docItems: [...probe.doc.store.clients.values()].reduce((a, l) => a + l.length, 0)
			});
			if (k > 0 && k % 5 === 0) {
				const x = samples.at(-1)!;
				ctx.log(
					`  ${kind} ${(x.t / 60).toFixed(1)} min: heap ${x.heapMB.toFixed(1)} MB, rooms ${x.rooms} (occupied ${x.occupied})`
				);
			}
			if (now - t0 >= cfg.durationMs) break;
		}
		load.closeWindow(win);
		load.stop();
		clearInterval(probeAlive);
		clearInterval(churn);
		churn = undefined;
		const ran = (last!.at - first!.at) / 1000;
		const cpu = serverCpu(first!, last!);
		await load.drain(10_000);

		// Everyone in the churn rooms leaves; the B1 room stays.
		for (const m of [...members]) leave(m, true);
		const leftAt = performance.now();
		let roomsLeft = NaN;
		let roomsLeftAfterS = NaN;
		while (performance.now() - leftAt < 15_000) {
			roomsLeft = Number((await server.stats()).info.rooms ?? NaN);
			if (roomsLeft <= 1) {
				roomsLeftAfterS = (performance.now() - leftAt) / 1000;
				break;
			}
			await sleep(250);
		}
		const after = await server.stats(true);

		const skip = cfg.skipMs / 1000;
		const fit = samples.filter((s) => s.t >= skip);
		const perTenMin = (key: 'heapMB' | 'codeMB' | 'rssMB' | 'docKB' | 'docItems') =>
			slope(fit.map((s) => ({ x: s.t, y: s[key] }))) * 600;
		const excess = samples.map((s) => s.rooms - s.allowed);
		const lat = win.hist.summary();
		const mean = (f: (s: Sample) => number) =>
			samples.reduce((a, s) => a + f(s), 0) / samples.length;
		return {
			minutes: ran / 60,
			samples: samples.length,
			fitSamples: fit.length,
			fitFromMin: skip / 60,
			heapSlope: perTenMin('heapMB'),
			heapFitStartMB: fit[0]?.heapMB ?? NaN,
			heapEndMB: samples.at(-1)!.heapMB,
			rssSlope: perTenMin('rssMB'),
			rssEndMB: samples.at(-1)!.rssMB,
			codeSlope: perTenMin('codeMB'),
			docSlopeMB: perTenMin('docKB') / 1024,
			docItemsSlope: perTenMin('docItems'),
			docEndMB: samples.at(-1)!.docKB / 1024,
			roomsMean: mean((s) => s.rooms),
			occupiedMean: mean((s) => s.occupied),
			roomsExcessSamples: excess.filter((e) => e > 0).length,
			roomsExcessMax: Math.max(...excess),
			roomsLeft,
			roomsLeftAfterS,
			heapAfterLeaveMB: after.heapUsed / MB,
			joins,
			leaves,
			joinsRefused,
			churnClosedByServer: closedByServer,
			churnCloseCodes: [...closeCodes].join(' ') || '–',
			p50: lat.p50,
			p99: lat.p99,
			max: lat.max,
			deliveryRatio: win.expected ? win.delivered / win.expected : NaN,
			serverCpu: cpu,
			closedWriters: load.clients.filter((c) => c.closed).length
		};
	} finally {
		if (churn) clearInterval(churn);
		load?.close();
		probe?.close();
		for (const m of members) {
			clearInterval(m.keepAlive);
			m.client.close();
		}
		await server.stop();
	}
}

const METRICS = [
	{ key: 'minutes', label: 'minutes sampled' },
	{ key: 'samples', label: 'heap samples (after 3 GCs)' },
	{ key: 'fitFromMin', label: 'fit from minute' },
	{ key: 'heapSlope', label: 'heap slope, MB per 10 min (target ≤ 1)' },
	{ key: 'heapFitStartMB', label: 'heap at fit start, MB' },
	{ key: 'heapEndMB', label: 'heap at the end, MB' },
	{ key: 'codeSlope', label: 'of the heap, compiled code: slope, MB per 10 min' },
	{ key: 'docSlopeMB', label: 'B1 document (encoded) growth, MB per 10 min' },
	{ key: 'docItemsSlope', label: 'B1 document: Yjs structs added per 10 min' },
	{ key: 'docEndMB', label: 'B1 document (encoded) at the end, MB' },
	{ key: 'rssSlope', label: 'RSS slope, MB per 10 min' },
	{ key: 'rssEndMB', label: 'RSS at the end, MB' },
	{ key: 'roomsMean', label: 'rooms held by the server (mean)' },
	{ key: 'occupiedMean', label: 'rooms with someone in them (mean)' },
	{
		key: 'roomsExcessSamples',
		label: 'samples with more rooms held than occupied or settling (5 s)'
	},
	{ key: 'roomsExcessMax', label: 'most rooms held beyond those, one sample' },
	{ key: 'roomsLeft', label: 'rooms held once the churn rooms emptied (expect 1)' },
	{ key: 'roomsLeftAfterS', label: 's until only the B1 room was held' },
	{ key: 'heapAfterLeaveMB', label: 'heap after the churn rooms emptied, MB' },
	{ key: 'joins', label: 'joins' },
	{ key: 'churnClosedByServer', label: 'churn clients closed by the server' },
	{ key: 'churnCloseCodes', label: 'their close codes' },
	{ key: 'p50', label: 'B1 room: p50 ms' },
	{ key: 'p99', label: 'B1 room: p99 ms' },
	{ key: 'max', label: 'B1 room: max ms' },
	{ key: 'deliveryRatio', label: 'B1 room: delivery ratio' },
	{ key: 'serverCpu', label: 'server CPU (cores)' },
	{ key: 'closedWriters', label: 'B1 writers closed by server' }
];

export async function soak(ctx: Ctx): Promise<ScenarioResult> {
	const minutes = Number(process.env.BENCH_SOAK_MIN ?? (ctx.smoke ? 5 / 60 : 30));
	const durationMs = minutes * 60_000;
	// Fit after the first 5 minutes, or after the first 20 % of a run under 10 minutes.
	const skipMs = durationMs >= 600_000 ? 300_000 : durationMs * 0.2;
	// Once a minute; shorter runs: 30 samples in all (smoke: every second).
	const sampleMs = process.env.BENCH_SOAK_SAMPLE_S
		? Number(process.env.BENCH_SOAK_SAMPLE_S) * 1000
		: Math.min(60_000, Math.max(1000, durationMs / 30));
	const cfg: SoakConfig = ctx.smoke
		? {
				durationMs,
				skipMs,
				sampleMs,
				n: 5,
				periodMs: 1000,
				voteMs: 2000,
				rooms: 5,
				online: 5,
				joinsPerSec: 2,
				seatsPerRoom: 4,
				warmMs: 500,
				settleMs: 5000
			}
		: {
				durationMs,
				skipMs,
				sampleMs,
				n: 50,
				periodMs: 3000,
				voteMs: 10_000,
				rooms: 50,
				online: 50,
				joinsPerSec: 1,
				seatsPerRoom: 8,
				warmMs: 5000,
				settleMs: 5000
			};
	// A soak is one long run per server; BENCH_SOAK_REPS asks for more.
	const reps = Number(process.env.BENCH_SOAK_REPS ?? 1);
	const { raw, medians } = await roundRobin(
		{ ...ctx, reps },
		ctx.servers,
		'soak',
		(kind) => soakRun(kind, cfg, ctx),
		(row) =>
			`heap slope ${Number(row.heapSlope).toFixed(2)} MB/10 min, rooms left ${String(row.roomsLeft)}, p99 ${Number(row.p99).toFixed(1)} ms, delivery ${Number(row.deliveryRatio).toFixed(3)}`
	);
	for (const k of ctx.servers) {
		const ok = raw[k]!.filter((r) => r.error === undefined);
		medians[k] = {
			...medians[k],
			churnCloseCodes: [...new Set(ok.map((r) => String(r.churnCloseCodes)))].join(' ') || '–'
		};
	}
	const title = `Soak: ${minutes >= 1 ? `${minutes} min` : `${Math.round(minutes * 60)} s`}, B1 at N=${cfg.n} in one room + ${cfg.joinsPerSec} join(s) and as many leaves per second across ${cfg.rooms} rooms (${cfg.online} online) (median of ${reps})`;
	return {
		markdown: sideBySide(title, medians, METRICS) + '\n',
		json: { config: cfg, medians, reps: raw, series }
	};
}
