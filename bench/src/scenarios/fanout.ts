/**
 * B1 fan-out latency in one room. N participants, each posting an idea every
 * `periodMs` (random phase) and "voting" every 10 s (a rewrite of one of
 * their ideas: a small keyed map write the policy accepts). Latency per
 * delivery from the sender's performance.now() (embedded in the idea text) to
 * its arrival at each other participant, all in this one process and clock.
 */
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import { addIdea, boardMaps, createBoardDoc } from '@kipina/board';
import * as Y from 'yjs';
import { ThinClient, openAll, withTimeout, type Seat } from '../lib/clients.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { serverCpu, spawnServer } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { prepareRoom } from '../lib/rooms.js';
import {
	Histogram,
	collectGarbage,
	cpuMeter,
	machineCpuSeconds,
	medianOf,
	sleep
} from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';

process.setMaxListeners(1000);

export interface FanoutConfig {
	n: number;
	periodMs: number;
	voteMs: number;
	warmMs: number;
	measureMs: number;
	drainMs: number;
	probes: number;
	/** B6: this many of the participants also send presence updates (cursor moves) at `hz`. */
	presence?: { clients: number; hz: number };
}

/** Kipinä caps a session at 5,000 ideas: past this many per client, writes rewrite an own idea. */
const IDEA_BUDGET = 4000;

interface Probe {
	doc: Y.Doc;
	synced(): boolean;
	destroy(): void;
}

function stockProbe(seat: Seat, port: number, kind: ServerKind): Probe {
	const doc = createBoardDoc();
	const kipina = kind === 'kipina';
	const provider = new WebsocketProvider(
		kipina ? `ws://127.0.0.1:${port}/sync` : `ws://127.0.0.1:${port}`,
		seat.docName,
		doc,
		{
			WebSocketPolyfill: WebSocket as never,
			params: kipina ? { token: seat.token, saved: '1' } : {},
			disableBc: true
		}
	);
	// Kipinä's `saved` acks (type 100): the web client reads them; this probe just ignores them.
	provider.messageHandlers[100] = () => undefined;
	return {
		doc,
		synced: () => provider.synced,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

function thinProbe(seat: Seat, index: number): Probe {
	const client = new ThinClient(seat, index, { full: true });
	return { doc: client.doc, synced: () => client.isSynced, destroy: () => client.close() };
}

export async function fanoutRun(kind: ServerKind, cfg: FanoutConfig): Promise<Row> {
	const server = await spawnServer(kind);
	const timers: NodeJS.Timeout[] = [];
	const clients: ThinClient[] = [];
	const probes: Probe[] = [];
	try {
		const withProbes = kind === 'relay' ? 0 : cfg.probes;
		const room = await prepareRoom(server, cfg.n + withProbes);
		const hist = new Histogram();
		let windowStart = Infinity;
		let windowEnd = Infinity;
		let delivered = 0;
		let expected = 0;
		let writes = 0;
		const receivers = cfg.n - 1;
		const made = await withTimeout(
			openAll(
				(i) =>
					new ThinClient(room.seats[i]!, i, {
						// The relay answers no sync step 1 (peers would answer each other: N² frames).
						noStep1: kind === 'relay',
						onMarker: (sender, t, at) => {
							if (sender === i || t < windowStart || t >= windowEnd) return;
							delivered += 1;
							hist.add(at - t);
						}
					}),
				cfg.n
			),
			120_000,
			`${kind}: connecting ${cfg.n} clients`
		);
		clients.push(...made);
		if (kind !== 'relay') {
			await withTimeout(
				Promise.all(clients.map((c) => c.synced)),
				60_000,
				`${kind}: clients synced`
			);
		}
		for (let p = 0; p < withProbes; p++) {
			const seat = room.seats[cfg.n + p]!;
			probes.push(
				kind === 'hp3' || kind === 'hp4' || p >= 2
					? thinProbe(seat, cfg.n + p)
					: stockProbe(seat, server.port, kind)
			);
		}
		const deadline = Date.now() + 30_000;
		while (!probes.every((p) => p.synced()) && Date.now() < deadline) await sleep(20);
		// Each probe posts one idea through its own provider, like a person would.
		for (const [p, probe] of probes.entries()) {
			const seat = room.seats[cfg.n + p]!;
			addIdea(probe.doc, seat, `Probe ${p} idea`);
		}

		// The previous repetition's clients and replicas are garbage now: collected here, not
		// inside this repetition's window.
		collectGarbage();
		const budget = Math.max(1, Math.floor(IDEA_BUDGET / cfg.n));
		const rewriteAt = clients.map(() => 0);
		const write = (c: ThinClient, vote: boolean) => {
			const now = performance.now();
			if (now >= windowEnd) return;
			if (!vote && c.ideasPosted < budget) c.postIdea();
			else {
				const k = (rewriteAt[c.index] = (rewriteAt[c.index] ?? 0) + 1);
				if (!c.rewriteIdea(vote ? undefined : k % c.ideasPosted)) return;
			}
			if (now >= windowStart) {
				writes += 1;
				expected += receivers;
			}
		};
		for (const c of clients) {
			const start = (ms: number, vote: boolean) =>
				timers.push(
					setTimeout(() => {
						write(c, vote);
						timers.push(setInterval(() => write(c, vote), ms));
					}, Math.random() * ms)
				);
			start(cfg.periodMs, false);
			start(cfg.voteMs, true);
		}
		const presence = cfg.presence;
		if (presence) {
			for (const c of clients.slice(0, presence.clients)) {
				let x = 0;
				c.sendPresence({ cursor: null });
				const every = 1000 / presence.hz;
				timers.push(
					setTimeout(
						() =>
							timers.push(
								setInterval(() => c.sendPresence({ cursor: { x: (x += 7) % 1000, y: 1 } }), every)
							),
						Math.random() * every
					)
				);
			}
		}

		await sleep(cfg.warmMs);
		const s0 = await server.stats();
		const genCpu = cpuMeter();
		const busy0 = machineCpuSeconds();
		const tBusy0 = performance.now();
		const framesIn0 = clients.reduce((a, c) => a + c.framesIn, 0);
		const awarenessIn0 = clients.reduce((a, c) => a + c.awarenessIn, 0);
		windowStart = performance.now();
		windowEnd = windowStart + cfg.measureMs;
		await sleep(cfg.measureMs);
		// A server drowning in its own backlog may not answer in time: its CPU and memory are then
		// unknown, but what the clients measured still counts.
		const s1 = await withTimeout(server.stats(), 15_000, 'server stats').catch(() => null);
		const gen = genCpu();
		const m1 = machineCpuSeconds();
		const elapsed = (performance.now() - tBusy0) / 1000;
		const busy = (m1.busy - busy0.busy) / elapsed;
		const steal = (m1.steal - busy0.steal) / elapsed;
		const framesIn1 = clients.reduce((a, c) => a + c.framesIn, 0);
		// Frames are counted over the time that really passed (a flooded generator wakes up late).
		const framesSeconds = (performance.now() - windowStart) / 1000;
		const awarenessIn1 = clients.reduce((a, c) => a + c.awarenessIn, 0);
		for (const t of timers) clearTimeout(t);
		const drainUntil = performance.now() + cfg.drainMs;
		while (delivered < expected && performance.now() < drainUntil) await sleep(20);

		// Convergence: every probe holds every idea posted, with equal state vectors.
		const ideasPosted = clients.reduce((a, c) => a + c.ideasPosted, 0) + probes.length;
		let converged = probes.length === 0 ? null : false;
		const convergeUntil = Date.now() + 15_000;
		while (probes.length > 0 && Date.now() < convergeUntil) {
			const sizes = probes.map((p) => boardMaps(p.doc).ideas.size);
			const svs = probes.map((p) => Buffer.from(Y.encodeStateVector(p.doc)).toString('base64'));
			if (sizes.every((s) => s === ideasPosted) && svs.every((s) => s === svs[0])) {
				converged = true;
				break;
			}
			await sleep(50);
		}
		const lat = hist.summary();
		const seconds = cfg.measureMs / 1000;
		const srvCpu = s1 ? serverCpu(s0, s1) : NaN;
		return {
			n: cfg.n,
			writesPerSec: writes / seconds,
			p50: lat.p50,
			p90: lat.p90,
			p99: lat.p99,
			max: lat.max,
			deliveryRatio: expected ? delivered / expected : NaN,
			serverCpu: srvCpu,
			serverRssMB: s1 ? s1.rss / 2 ** 20 : NaN,
			serverUnresponsive: s1 ? 0 : 1,
			framesOutPerSec: (framesIn1 - framesIn0) / framesSeconds,
			presenceFramesPerReceiver: (awarenessIn1 - awarenessIn0) / framesSeconds / clients.length,
			generatorCpu: gen,
			generatorSaturated: gen > 0.85,
			/** CPU used by other processes on the box during the window (shared machine). */
			otherCpu: Math.max(0, busy - srvCpu - gen),
			/** CPU the hypervisor gave to other guests (steal) during the window. */
			stolenCpu: steal,
			converged,
			closedClients: clients.filter((c) => c.closed).length,
			closeCodes: [...new Set(clients.filter((c) => c.closed).map((c) => c.closeCode))].join(' ')
		};
	} finally {
		for (const t of timers) clearTimeout(t);
		for (const p of probes) p.destroy();
		for (const c of clients) c.close();
		await server.stop();
	}
}

const METRICS = [
	{ key: 'writesPerSec', label: 'writes/s (ideas + votes)' },
	{ key: 'p50', label: 'p50 ms' },
	{ key: 'p90', label: 'p90 ms' },
	{ key: 'p99', label: 'p99 ms' },
	{ key: 'max', label: 'max ms' },
	{ key: 'deliveryRatio', label: 'delivery ratio' },
	{ key: 'serverCpu', label: 'server CPU (cores)' },
	{ key: 'serverRssMB', label: 'server RSS MB' },
	{ key: 'framesOutPerSec', label: 'frames/s received' },
	{ key: 'generatorCpu', label: 'generator CPU (cores)' },
	{ key: 'otherCpu', label: 'other processes CPU (cores)' },
	{ key: 'stolenCpu', label: 'stolen CPU (cores, hypervisor)' },
	{ key: 'saturatedReps', label: 'reps with generator > 85 %' },
	{ key: 'convergedReps', label: 'reps where probes converged' },
	{ key: 'closedClients', label: 'clients closed by server' }
];

/** Writes before a measured window (see `warmUpMs`). */
const WARM_WRITES = 650;

/** `list` starting at its `k`-th element (mod its length). */
const rotate = <T>(list: T[], k: number): T[] => {
	const at = k % list.length;
	return [...list.slice(at), ...list.slice(0, at)];
};

export async function fanout(ctx: Ctx): Promise<ScenarioResult> {
	const base = ctx.smoke
		? { voteMs: 2000, warmMs: 500, measureMs: 1500, drainMs: 2000, probes: 3 }
		: {
				voteMs: 10_000,
				warmMs: 0, // per configuration: warmUpMs
				measureMs: Number(process.env.BENCH_MEASURE_MS ?? 12_000),
				drainMs: 5000,
				probes: 3
			};
	// The stress steps run against Kipinä and the best peer (Hocuspocus 4); the others collapse
	// already at N=500 with one idea per 3 s on this box (see that table), BENCH_STRESS_ALL=1 adds them.
	const stressServers = (kinds: ServerKind[]) =>
		process.env.BENCH_STRESS_ALL ? kinds : kinds.filter((k) => k === 'kipina' || k === 'hp4');
	const configs: { label: string; n: number; periodMs: number; stress?: boolean }[] = ctx.smoke
		? [{ label: 'N=10, 1 idea/s each', n: 10, periodMs: 1000 }]
		: [
				{ label: 'N=50, 1 idea / 3 s each', n: 50, periodMs: 3000 },
				{ label: 'N=200, 1 idea / 3 s each', n: 200, periodMs: 3000 },
				{ label: 'N=500, 1 idea / 3 s each', n: 500, periodMs: 3000 },
				{ label: 'N=500, 333 ideas/s (1 / 1.5 s each)', n: 500, periodMs: 1500, stress: true },
				{ label: 'N=500, 500 ideas/s (1 / s each)', n: 500, periodMs: 1000, stress: true }
			];
	/**
	 * How long the writers write before the window opens: at least 4 s, and
	 * until about WARM_WRITES writes. A fresh server process is still
	 * compiling its hot code (V8's optimizing compiler runs in background
	 * threads, which share the server's pinned core, and each job takes it
	 * for 1–7 ms). At N = 50, 4 s is ~90 writes, and Kipinä's server still
	 * started 46 compile jobs inside the window against y-websocket's 25; after
	 * ~650 writes both start 23 (`--trace-opt`). A meeting's server runs for
	 * hours, so the settled state is the one to measure. BENCH_WARM_MS overrides.
	 */
	const warmUpMs = (n: number, periodMs: number): number => {
		if (ctx.smoke) return base.warmMs;
		if (process.env.BENCH_WARM_MS) return Number(process.env.BENCH_WARM_MS);
		const writesPerMs = n * (1 / periodMs + 1 / base.voteMs);
		return Math.round(Math.max(4000, WARM_WRITES / writesPerMs));
	};
	const only = process.env.BENCH_FANOUT_N;
	const selected = only ? configs.filter((c) => String(c.n) === only) : configs;
	let markdown = '';
	const json: Record<string, unknown> = {};
	let warmedUp = false;
	for (const c of selected) {
		const byServer: Record<string, Row> = {};
		const servers = c.stress ? stressServers(ctx.servers) : ctx.servers;
		const raw: Record<string, Row[]> = Object.fromEntries(servers.map((k) => [k, []]));
		// One unmeasured run first (3 s of writes): the generator's own code is cold in its
		// first run (JIT compilation, heap growth), which would burden whichever server came first.
		if (!ctx.smoke && !warmedUp) {
			ctx.log(`fanout ${c.label}: warming up the generator (not measured)`);
			await fanoutRun(servers[0]!, {
				...base,
				warmMs: 0,
				measureMs: 3000,
				n: c.n,
				periodMs: c.periodMs
			}).catch((error: Error) => ctx.log(`  warm-up failed: ${error.message}`));
			warmedUp = true;
		}
		// Repetitions round-robin over the servers, so that slow drifts of the
		// machine (it may be shared) touch every server alike, and each repetition
		// starts one server later, so that no server always follows the same one.
		for (let r = 0; r < ctx.reps; r++) {
			for (const kind of rotate(servers, r)) {
				ctx.log(`fanout ${c.label}: ${kind} rep ${r + 1}/${ctx.reps}`);
				try {
					const warmMs = warmUpMs(c.n, c.periodMs);
					const row = await fanoutRun(kind, { ...base, warmMs, n: c.n, periodMs: c.periodMs });
					ctx.log(
						`  p50 ${Number(row.p50).toFixed(2)} p99 ${Number(row.p99).toFixed(2)} delivery ${Number(row.deliveryRatio).toFixed(3)} cpu ${Number(row.serverCpu).toFixed(2)} other ${Number(row.otherCpu).toFixed(2)}`
					);
					raw[kind]!.push(row);
				} catch (error) {
					ctx.log(`  failed: ${(error as Error).message}`);
					raw[kind]!.push({ error: (error as Error).message });
				}
			}
		}
		for (const kind of servers) {
			const ok = raw[kind]!.filter((r) => r.error === undefined);
			byServer[kind] = {
				...medianOf(ok),
				saturatedReps: ok.filter((r) => r.generatorSaturated).length,
				convergedReps:
					kind === 'relay' ? 'n/a' : `${ok.filter((r) => r.converged === true).length}/${ctx.reps}`
			};
		}
		markdown += sideBySide(`Fan-out: ${c.label} (median of ${ctx.reps})`, byServer, METRICS) + '\n';
		json[c.label] = {
			config: { ...base, ...c, warmMs: warmUpMs(c.n, c.periodMs) },
			medians: byServer,
			reps: raw
		};
	}
	return { markdown, json };
}
