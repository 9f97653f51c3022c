/**
 * B3 cold load of the big board (2,000 ideas, 20,000 votes; one snapshot in
 * storage), measured at the client from `new WebSocket` to the arrival of the
 * bytes of the board's last idea (a sentinel): full content, not the first
 * sync message. Also records whether the first sync step 2 already held the
 * board ("never an empty first sync").
 *
 * - restart: a fresh server process, first client.
 * - cold: process running and warmed up, room unloaded again (Kipinä's
 *   ROOM_UNLOAD_GRACE_MS is 200 ms here), `reps` times.
 * - warm: another client keeps the room loaded, a new client joins.
 * - 20 at once: the room unloaded, 20 clients connect together.
 *
 * Seeding. Kipinä: the session is created through its HTTP API, then the
 * server stops and the board is written as the session's snapshot with the
 * server's own storage class (SqliteStorage.compact). y-websocket: the
 * snapshot is stored as one update through y-leveldb. Hocuspocus: the
 * snapshot is the document's row in its SQLite table.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import type * as StorageModule from '../../../apps/server/src/storage/SqliteStorage.js';
import { SENTINEL, bigBoard, boardCounts } from '../lib/board.js';
import { ThinClient, withTimeout, type Seat } from '../lib/clients.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { spawnServer, tempDir, type ServerHandle } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { prepareRoom } from '../lib/rooms.js';
import { median, sleep } from '../lib/stats.js';
import { importKipina } from '../servers/kipina.js';
import type { ServerKind } from '../servers/types.js';

const MARK = Buffer.from(SENTINEL);

interface LoadTiming {
	fullMs: number;
	firstStep2Ms: number;
	firstStep2Bytes: number;
	firstStep2HadBoard: boolean;
	client: ThinClient;
}

function load(seat: Seat, index: number, keepDoc = false): Promise<LoadTiming> {
	const t0 = performance.now();
	let first: { at: number; bytes: number; had: boolean } | null = null;
	return new Promise<LoadTiming>((resolve, reject) => {
		const client: ThinClient = new ThinClient(seat, index, {
			full: keepDoc,
			onSyncPayload: (sub, payload, at) => {
				const had = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).includes(
					MARK
				);
				if (sub === 1 && !first) first = { at, bytes: payload.byteLength, had };
				if (had) {
					resolve({
						fullMs: at - t0,
						firstStep2Ms: (first?.at ?? at) - t0,
						firstStep2Bytes: first?.bytes ?? 0,
						firstStep2HadBoard: first?.had ?? false,
						client
					});
				}
			}
		});
		client.opened.catch(reject);
	});
}

export async function seed(
	kind: ServerKind,
	small: boolean
): Promise<{ dataDir: string; seat: Seat; docName: string; seedFile: string; ideas: number }> {
	const board = bigBoard(small);
	const dataDir = tempDir(`cold-${kind}`);
	if (kind !== 'kipina') {
		const docName = `board-${kind}`;
		const server = await spawnServer(kind, { dataDir, seedFile: board.file, seedDoc: docName });
		const room = await prepareRoom(server, 1);
		await server.stop();
		const seat = {
			...room.seats[0]!,
			docName,
			url: room.seats[0]!.url.replace(room.name, docName)
		};
		return { dataDir, seat, docName, seedFile: board.file, ideas: board.ideas };
	}
	const server = await spawnServer('kipina', { dataDir, unloadGraceMs: 200 });
	const room = await prepareRoom(server, 1);
	await server.stop();
	const { SqliteStorage } = await importKipina<typeof StorageModule>(
		'apps/server/src/storage/SqliteStorage.ts'
	);
	const storage = new SqliteStorage(path.join(dataDir, 'kipina.sqlite'));
	const stored = await storage.loadDocument(room.name);
	const doc = new Y.Doc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const u of stored.updates) Y.applyUpdate(doc, u);
	Y.applyUpdate(doc, board.snapshot);
	await storage.compact(room.name, Y.encodeStateAsUpdate(doc), stored.lastSeq);
	await storage.close();
	doc.destroy();
	return {
		dataDir,
		seat: room.seats[0]!,
		docName: room.name,
		seedFile: board.file,
		ideas: board.ideas
	};
}

export async function portOf(seat: Seat, server: ServerHandle): Promise<Seat> {
	return { ...seat, url: seat.url.replace(/:\d+\//, `:${server.port}/`) };
}

async function coldRun(kind: ServerKind, ctx: Ctx): Promise<Row> {
	const seeded = await seed(kind, ctx.smoke);
	const server = await spawnServer(kind, { dataDir: seeded.dataDir, unloadGraceMs: 200 });
	const seat = await portOf(seeded.seat, server);
	const open: ThinClient[] = [];
	const unloaded = async () => {
		for (const c of open.splice(0)) c.close();
		const until = performance.now() + 10_000;
		await sleep(300);
		while (performance.now() < until) {
			const s = await server.stats();
			if (Number(s.info.rooms ?? 0) === 0) return;
			await sleep(50);
		}
	};
	try {
		// Restart: first client of a fresh process; content checked once with a full client.
		const restart = await withTimeout(load(seat, 0, true), 30_000, `${kind} restart load`);
		open.push(restart.client);
		const counts = boardCounts(restart.client.doc);
		const reps = ctx.smoke ? 1 : 7;
		const cold: LoadTiming[] = [];
		for (let r = 0; r < reps; r++) {
			await unloaded();
			const t = await withTimeout(load(seat, r + 1), 30_000, `${kind} cold load`);
			open.push(t.client);
			cold.push(t);
		}
		// Warm: the room stays loaded by `holder`.
		const warm: number[] = [];
		for (let r = 0; r < reps; r++) {
			const t = await withTimeout(load(seat, 100 + r), 30_000, `${kind} warm join`);
			warm.push(t.fullMs);
			t.client.close();
		}
		await unloaded();
		const burst = await withTimeout(
			Promise.all(Array.from({ length: ctx.smoke ? 3 : 20 }, (_, i) => load(seat, 200 + i))),
			60_000,
			`${kind} 20 joins`
		);
		open.push(...burst.map((b) => b.client));
		const burstMs = burst.map((b) => b.fullMs);
		const all = [restart, ...cold, ...burst];
		return {
			ideas: counts.ideas,
			votes: counts.votes,
			restartMs: restart.fullMs,
			coldMedianMs: median(cold.map((c) => c.fullMs)),
			coldMaxMs: Math.max(...cold.map((c) => c.fullMs)),
			warmMedianMs: median(warm),
			burst20MedianMs: median(burstMs),
			burst20MaxMs: Math.max(...burstMs),
			firstStep2Ms: median(cold.map((c) => c.firstStep2Ms)),
			firstStep2Bytes: median(cold.map((c) => c.firstStep2Bytes)),
			emptyFirstSyncs: all.filter((t) => !t.firstStep2HadBoard).length,
			loads: all.length
		};
	} finally {
		for (const c of open) c.close();
		await server.stop();
		fs.rmSync(seeded.dataDir, { recursive: true, force: true });
	}
}

const METRICS = [
	{ key: 'ideas', label: 'ideas at the client' },
	{ key: 'votes', label: 'votes at the client' },
	{ key: 'restartMs', label: 'restart: fresh process → full board, ms' },
	{ key: 'coldMedianMs', label: 'cold (room unloaded) median, ms' },
	{ key: 'coldMaxMs', label: 'cold max, ms' },
	{ key: 'warmMedianMs', label: 'warm join median, ms' },
	{ key: 'burst20MedianMs', label: '20 joins at once (cold): median, ms' },
	{ key: 'burst20MaxMs', label: '20 joins at once (cold): last, ms' },
	{ key: 'firstStep2Ms', label: 'first sync step 2 arrives (cold), ms' },
	{ key: 'firstStep2Bytes', label: 'first sync step 2 size, bytes' },
	{ key: 'emptyFirstSyncs', label: 'loads whose first step 2 lacked the board' },
	{ key: 'loads', label: 'loads checked' }
];

export async function coldload(ctx: Ctx): Promise<ScenarioResult> {
	const byServer: Record<string, Row> = {};
	for (const kind of ctx.servers.filter((k) => k !== 'relay')) {
		ctx.log(`coldload: ${kind}`);
		try {
			byServer[kind] = await coldRun(kind, ctx);
		} catch (error) {
			ctx.log(`  failed: ${(error as Error).message}`);
			byServer[kind] = { error: (error as Error).message };
		}
	}
	const board = bigBoard(ctx.smoke);
	return {
		markdown: sideBySide(
			`Cold load of the big board (${board.ideas} ideas, ${board.votes} votes, snapshot ${board.snapshot.byteLength} B)`,
			byServer,
			METRICS
		),
		json: { byServer }
	};
}
