/**
 * B8 reconnect storm: the venue's Wi-Fi drops and everyone comes back at
 * once. The big board (2,000 ideas, 20,000 votes) is loaded and 500 clients
 * are connected and synced. Then all sockets drop, and all 500 reconnect
 * spread evenly over 1 s: half as replicas that are up to date (their sync
 * step 1 carries the board's state vector, so they need a tiny diff), half
 * fresh (an empty state vector: the whole board, e.g. a reloaded page).
 *
 * Measured at the clients: from each reconnect's `new WebSocket` until it is
 * synced (up-to-date replicas: the sync step 2 arrived; fresh ones: the bytes
 * of the board's last idea arrived, i.e. full content), and the time from the
 * last reconnect until everyone is synced. At the server: CPU seconds from
 * the drop until all are synced, and the largest event-loop delay in that
 * time (`monitorEventLoopDelay`, 10 ms resolution).
 */
import { boardMaps } from '@kipina/board';
import { SENTINEL } from '../lib/board.js';
import { ThinClient, openAll, withTimeout, type Seat } from '../lib/clients.js';
import { roundRobin, type Ctx, type ScenarioResult } from '../lib/context.js';
import { serverCpu, spawnServer } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { addSeats } from '../lib/rooms.js';
import { Histogram, sleep } from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';
import { portOf, seed } from './coldload.js';

const MARK = Buffer.from(SENTINEL);

interface Returning {
	client: ThinClient;
	startedAt: number;
	done: Promise<number>;
}

/** Opens one client; resolves with the time it is synced (see the file comment). */
function reconnect(seat: Seat, index: number, stateVector: Uint8Array | null): Returning {
	const startedAt = performance.now();
	let resolve!: (at: number) => void;
	const done = new Promise<number>((r) => (resolve = r));
	const client = new ThinClient(seat, index, {
		...(stateVector ? { stateVector } : {}),
		onSyncPayload: (sub, payload, at) => {
			if (stateVector) {
				if (sub === 1) resolve(at);
			} else if (
				Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).includes(MARK)
			) {
				resolve(at);
			}
		}
	});
	return { client, startedAt, done };
}

async function stormRun(kind: ServerKind, ctx: Ctx, n: number): Promise<Row> {
	const seeded = await seed(kind, ctx.smoke);
	const server = await spawnServer(kind, { dataDir: seeded.dataDir, unloadGraceMs: 60_000 });
	const clients: ThinClient[] = [];
	try {
		const first = await portOf(seeded.seat, server);
		const seats = [first, ...(await addSeats(server, { name: seeded.docName, seats: [first] }, n))];
		// The board's state vector, from one replica that loaded it whole (and stays: the room stays loaded).
		const keeper = new ThinClient(seats[n]!, n, { full: true, onSyncPayload: () => undefined });
		clients.push(keeper);
		await withTimeout(keeper.synced, 60_000, `${kind}: keeper synced`);
		const deadline = performance.now() + 30_000;
		while (!boardMaps(keeper.doc).ideas.size && performance.now() < deadline) await sleep(20);
		await sleep(300);
		const { encodeStateVector } = await import('yjs');
		const sv = encodeStateVector(keeper.doc);

		// Everyone connected and synced (as up-to-date replicas: cheap for every server).
		const before = await openAll((i) => reconnect(seats[i]!, i, sv).client, n, 50);
		clients.push(...before);
		await withTimeout(
			Promise.all(before.map((c) => c.synced)),
			120_000,
			`${kind}: ${n} clients synced`
		);
		await sleep(1000);

		// The drop, then everyone back within 1 s.
		const s0 = await server.stats(false, true);
		const t0 = performance.now();
		for (const c of before) c.close();
		const back: Returning[] = [];
		await new Promise<void>((resolveAll) => {
			let opened = 0;
			for (let i = 0; i < n; i++) {
				setTimeout(
					() => {
						back[i] = reconnect(seats[i]!, i, i % 2 === 0 ? sv : null);
						clients.push(back[i]!.client);
						if (++opened === n) resolveAll();
					},
					(i * 1000) / n
				);
			}
		});
		const lastStart = Math.max(...back.map((b) => b.startedAt));
		const doneAt = await withTimeout(
			Promise.all(back.map((b) => b.done)),
			120_000,
			`${kind}: all reconnected`
		);
		const s1 = await server.stats();
		const upToDate = new Histogram();
		const fresh = new Histogram();
		back.forEach((b, i) => (i % 2 === 0 ? upToDate : fresh).add(doneAt[i]! - b.startedAt));
		const u = upToDate.summary();
		const f = fresh.summary();
		return {
			clients: n,
			allSyncedAfterLastMs: Math.max(...doneAt) - lastStart,
			stormMs: Math.max(...doneAt) - t0,
			upToDateP50: u.p50,
			upToDateP99: u.p99,
			freshP50: f.p50,
			freshP99: f.p99,
			serverCpuSeconds: serverCpu(s0, s1) * ((s1.at - s0.at) / 1000),
			loopDelayMaxMs: s1.loop.maxMs,
			serverRssMB: s1.rss / 2 ** 20,
			closedClients: back.filter((b) => b.client.closed).length
		};
	} finally {
		for (const c of clients) c.close();
		await server.stop();
	}
}

const METRICS = [
	{ key: 'clients', label: 'clients reconnecting' },
	{ key: 'allSyncedAfterLastMs', label: 'all synced, ms after the last reconnect' },
	{ key: 'stormMs', label: 'drop → all synced, ms' },
	{ key: 'upToDateP50', label: 'up-to-date replica: synced p50, ms' },
	{ key: 'upToDateP99', label: 'up-to-date replica: synced p99, ms' },
	{ key: 'freshP50', label: 'fresh client: full board p50, ms' },
	{ key: 'freshP99', label: 'fresh client: full board p99, ms' },
	{ key: 'serverCpuSeconds', label: 'server CPU seconds, drop → all synced' },
	{ key: 'loopDelayMaxMs', label: 'largest event-loop delay, ms' },
	{ key: 'serverRssMB', label: 'server RSS after, MB' },
	{ key: 'closedClients', label: 'clients closed by server' }
];

export async function reconnectStorm(ctx: Ctx): Promise<ScenarioResult> {
	const n = ctx.smoke ? 10 : Number(process.env.BENCH_RECONNECT_N ?? 500);
	const servers = ctx.servers.filter((k) => k !== 'relay');
	const { raw, medians } = await roundRobin(
		ctx,
		servers,
		'reconnect',
		(kind) => stormRun(kind, ctx, n),
		(row) =>
			`all synced ${Number(row.allSyncedAfterLastMs).toFixed(0)} ms after the last, loop delay max ${Number(row.loopDelayMaxMs).toFixed(0)} ms`
	);
	const title = `Reconnect storm: ${n} clients back within 1 s on the big board, half up to date, half fresh (median of ${ctx.reps})`;
	return {
		markdown: sideBySide(title, medians, METRICS) + '\n',
		json: { config: { n }, medians, reps: raw }
	};
}
