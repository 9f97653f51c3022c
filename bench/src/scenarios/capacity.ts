/**
 * B2 capacity: idle rooms × participants in one process. The server first
 * runs one small room through its whole life (warm-up), then the baseline is
 * sampled. Each room gets 20 ideas (one transaction from its first
 * participant), then everyone stays connected and idle (12 s: V8 keeps its
 * young generation grown for ~10 s after activity). Memory after forced GC: before, connected, and after
 * everyone has left (sampled until the server reports no loaded rooms, at
 * most 30 s). Per-connection and per-room costs are solved from the
 * 1,000×5 and 100×50 configurations (same connection count, 10× the rooms).
 */
import { addIdea } from '@kipina/board';
import { ThinClient, openAll, withTimeout } from '../lib/clients.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { spawnServer, type ServerHandle, type ServerStats } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { prepareRoom, type BenchRoom } from '../lib/rooms.js';
import { sleep } from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';

interface CapConfig {
	rooms: number;
	perRoom: number;
}

const MB = 2 ** 20;

/**
 * One room's whole life before the baseline sample: the process's one-time
 * costs (compiled code, lazily loaded modules, the first SQLite statements)
 * are then in the baseline, not counted as "memory not returned" by rooms.
 */
async function warmUp(kind: ServerKind, server: ServerHandle): Promise<void> {
	const room = await prepareRoom(server, 3, 1);
	const made = await openAll(
		(i) => new ThinClient(room.seats[i]!, i, { noStep1: kind === 'relay' }),
		3,
		3
	);
	if (kind !== 'relay')
		await withTimeout(Promise.all(made.map((c) => c.synced)), 30_000, 'warm-up');
	made[0]!.doc.transact(() => {
		for (let k = 0; k < 20; k++) addIdea(made[0]!.doc, made[0]!.seat, `Warm-up idea ${k}`);
	});
	await sleep(500);
	for (const c of made) c.close();
	const until = performance.now() + 10_000;
	do await sleep(500);
	while (Number((await server.stats()).info.rooms ?? 0) > 0 && performance.now() < until);
}

/** Share of the growth from `base` to `connected` that is gone again at `after`. */
const returnedPct = (connected: number, after: number, base: number) =>
	(100 * (connected - after)) / Math.max(1, connected - base);

async function capacityRun(kind: ServerKind, cfg: CapConfig, idleMs: number): Promise<Row> {
	const server = await spawnServer(kind, { unloadGraceMs: 1000 });
	const clients: ThinClient[] = [];
	try {
		await warmUp(kind, server);
		const base = await server.stats(true);
		const rooms: BenchRoom[] = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				while (next < cfg.rooms) {
					const i = next++;
					rooms[i] = await prepareRoom(server, cfg.perRoom, 4);
				}
			})
		);
		const seats = rooms.flatMap((r) => r.seats);
		const made = await openAll(
			(i) => new ThinClient(seats[i]!, i, { noStep1: kind === 'relay' }),
			seats.length,
			64
		);
		clients.push(...made);
		if (kind !== 'relay') {
			await withTimeout(Promise.all(clients.map((c) => c.synced)), 120_000, `${kind} synced`);
		}
		// 20 ideas per room, posted by its first participant in one transaction.
		for (let r = 0, at = 0; r < rooms.length; at += rooms[r]!.seats.length, r++) {
			const c = clients[at]!;
			c.doc.transact(() => {
				for (let k = 0; k < 20; k++) addIdea(c.doc, c.seat, `Seed idea ${k} for room ${r}`);
			});
		}
		// Idle means idle: V8 keeps its young generation grown (up to 32 MB) for ~10 s after
		// activity, which is not per-connection memory (same wait for every server).
		await sleep(idleMs);
		const connected = await server.stats(true);
		const closedByServer = clients.filter((c) => c.closed).length;
		for (const c of clients) c.close();
		clients.length = 0;
		const t0 = performance.now();
		let after: ServerStats = connected;
		let unloadedAfterMs = NaN;
		while (performance.now() - t0 < 30_000) {
			await sleep(1000);
			after = await server.stats(false);
			if (Number(after.info.rooms ?? 0) === 0) {
				unloadedAfterMs = performance.now() - t0;
				break;
			}
		}
		after = await server.stats(true);
		const conns = cfg.rooms * cfg.perRoom;
		const heapUsed = connected.heapUsed - base.heapUsed;
		return {
			connections: conns,
			rooms: cfg.rooms,
			deltaRssMB: (connected.rss - base.rss) / MB,
			deltaHeapMB: (connected.heapUsed + connected.external - base.heapUsed - base.external) / MB,
			rssPerConnKB: (connected.rss - base.rss) / conns / 1024,
			heapPerConnKB: heapUsed / conns / 1024,
			heapReturnedPct: (100 * (connected.heapUsed - after.heapUsed)) / Math.max(1, heapUsed),
			heapReturnedDataPct: returnedPct(
				connected.heapUsed - connected.codeUsed,
				after.heapUsed - after.codeUsed,
				base.heapUsed - base.codeUsed
			),
			codeGrowthMB: (after.codeUsed - base.codeUsed) / MB,
			rssAfterLeaveMB: after.rss / MB,
			heapAfterLeaveMB: after.heapUsed / MB,
			roomsLoadedAfterLeave: Number(after.info.rooms ?? NaN),
			unloadedAfterMs,
			closedByServer
		};
	} finally {
		for (const c of clients) c.close();
		await server.stop();
	}
}

const METRICS = [
	{ key: 'deltaRssMB', label: 'Δ RSS connected, MB' },
	{ key: 'deltaHeapMB', label: 'Δ heap+external connected, MB' },
	{ key: 'rssPerConnKB', label: 'Δ RSS per connection, KB' },
	{ key: 'heapPerConnKB', label: 'Δ heap per connection, KB' },
	{ key: 'heapReturnedPct', label: 'heap returned after all left, %' },
	{ key: 'heapReturnedDataPct', label: 'heap returned, code and bytecode left out, %' },
	{ key: 'codeGrowthMB', label: 'code and bytecode grown (kept after leave), MB' },
	{ key: 'unloadedAfterMs', label: 'all rooms unloaded after, ms' },
	{ key: 'roomsLoadedAfterLeave', label: 'rooms still loaded after 30 s' },
	{ key: 'rssAfterLeaveMB', label: 'RSS after all left, MB' },
	{ key: 'closedByServer', label: 'connections closed by server' }
];

export async function capacity(ctx: Ctx): Promise<ScenarioResult> {
	const configs: (CapConfig & { servers?: ServerKind[] })[] = ctx.smoke
		? [{ rooms: 6, perRoom: 3 }]
		: [
				{ rooms: 2000, perRoom: 1 },
				{ rooms: 1000, perRoom: 5 },
				{ rooms: 100, perRoom: 50 },
				...(process.env.BENCH_CAPACITY_20K
					? [
							{
								rooms: 3900,
								perRoom: 5,
								servers: process.env.BENCH_CAPACITY_20K.split(',') as ServerKind[]
							}
						]
					: [])
			];
	let markdown = '';
	const json: Record<string, unknown> = {};
	const fits: Record<string, Row> = {};
	for (const c of configs) {
		const label = `${c.rooms} rooms × ${c.perRoom}`;
		const byServer: Record<string, Row> = {};
		for (const kind of c.servers ?? ctx.servers) {
			ctx.log(`capacity ${label}: ${kind}`);
			try {
				byServer[kind] = await capacityRun(kind, c, ctx.smoke ? 500 : 12_000);
			} catch (error) {
				ctx.log(`  failed: ${(error as Error).message}`);
				byServer[kind] = { error: (error as Error).message };
			}
		}
		json[label] = byServer;
		markdown +=
			sideBySide(`Capacity: ${label} (idle, 20 ideas per room)`, byServer, METRICS) + '\n';
	}
	// Per connection / per room, from 1000×5 and 100×50 (5,000 connections each).
	const a = json['1000 rooms × 5'] as Record<string, Row> | undefined;
	const b = json['100 rooms × 50'] as Record<string, Row> | undefined;
	if (a && b) {
		for (const kind of ctx.servers) {
			const ra = a[kind];
			const rb = b[kind];
			if (!ra || !rb || ra.error || rb.error) continue;
			const perRoomRss = ((Number(ra.deltaRssMB) - Number(rb.deltaRssMB)) * 1024) / 900;
			const perRoomHeap = ((Number(ra.deltaHeapMB) - Number(rb.deltaHeapMB)) * 1024) / 900;
			const perConnRss = (Number(rb.deltaRssMB) * 1024 - 100 * perRoomRss) / 5000;
			const perConnHeap = (Number(rb.deltaHeapMB) * 1024 - 100 * perRoomHeap) / 5000;
			fits[kind] = {
				perConnRssKB: perConnRss,
				perConnHeapKB: perConnHeap,
				perRoomRssKB: perRoomRss,
				perRoomHeapKB: perRoomHeap,
				idle20kConnsIn1000RoomsMB: (20_000 * perConnRss + 4000 * perRoomRss) / 1024
			};
		}
		markdown += sideBySide('Capacity: fitted costs (from 1000×5 and 100×50)', fits, [
			{ key: 'perConnRssKB', label: 'RSS per idle connection, KB' },
			{ key: 'perConnHeapKB', label: 'heap+external per idle connection, KB' },
			{ key: 'perRoomRssKB', label: 'RSS per room (20 ideas), KB' },
			{ key: 'perRoomHeapKB', label: 'heap+external per room, KB' },
			{
				key: 'idle20kConnsIn1000RoomsMB',
				label: 'extrapolated Δ RSS, 20,000 conns in 4,000 rooms, MB'
			}
		]);
		json.fits = fits;
	}
	return { markdown, json };
}
