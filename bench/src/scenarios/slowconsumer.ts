/**
 * B7 slow consumer. The B1 workload in one room (N writers), plus two
 * passive readers that post nothing: a reference that always reads, and the
 * slow one. After a warm-up and a baseline window, the slow reader stops
 * reading its socket (ws `pause()`: nothing is read from the kernel, so the
 * server's TCP send queue fills, then whatever the server queues itself) for
 * BENCH_SLOW_PAUSE_MS, then reads again; the writes stop at that moment.
 *
 * Reported per server: the writers' latency with and without a paused
 * reader; how far the slow reader fell behind (the bytes the reference read
 * meanwhile) and how much of that the kernel held (its socket queues, from
 * /proc/net/tcp), so the rest sat in the server's own send buffer; the
 * server's RSS and external memory during the pause; whether and when the
 * server ended the connection and the close code the slow reader saw; and
 * whether it converges afterwards (reading its backlog, or, once closed,
 * reconnecting with its doc's state vector and applying the diff). Both
 * latency windows carry the same sampling (the kernel's socket table every
 * 500 ms, the server's stats every second), so the p99 growth is the paused
 * reader's, not the measuring's.
 *
 * The kernel holds ~4 MB per loopback connection here (tcp_wmem max 4 MB on
 * the server side, ~100 KB unread at the client), so the pause only bites
 * when more than that is sent to one reader in the pause: by default the
 * writers post an idea every second with texts near the board's 500
 * characters (B1 itself sends ~20 KB/s to each reader, which the kernel
 * absorbs for minutes). The readers renew their presence every 15 s, as
 * real clients do, also while paused (only reading stalls). Kipinä,
 * y-websocket and Hocuspocus 3 also ping every socket every 30 s and drop
 * one that missed the last pong (a paused reader cannot answer), so a pause
 * is cut 30–60 s in whatever the buffer limits: Kipinä terminates the
 * socket, y-websocket closes it (the close frame waits behind the backlog),
 * Hocuspocus 3 drops the document's connection with a Close message and
 * leaves the socket open. Hocuspocus 4 only drops sockets that sent nothing
 * for 60 s. The plain relay is left out: no heartbeat, no limit and nothing
 * to resync with.
 */
import fs from 'node:fs';
import type { Socket } from 'node:net';
import { boardMaps } from '@kipina/board';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { ThinClient, withTimeout } from '../lib/clients.js';
import { roundRobin, type Ctx, type ScenarioResult } from '../lib/context.js';
import { serverCpu, spawnServer, type ServerStats } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { prepareRoom } from '../lib/rooms.js';
import { cpuMeter, machineCpuSeconds, sleep } from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';
import { B1Load, keepAlive, type B1Options } from '../lib/b1load.js';

process.setMaxListeners(1000);

const MB = 2 ** 20;

// --- the kernel's view of a loopback connection ---

const ESTABLISHED = 1;

interface TcpSocket {
	state: number;
	/** Sent and not yet acknowledged by the peer (its receive window is full). */
	txQueue: number;
	/** Received and not yet read by the application. */
	rxQueue: number;
}

/** TCP sockets (IPv4, and IPv6 for dual-stack listeners) whose local port is in `ports`, by `local>remote` port. */
function tcpSockets(ports: Set<number>): Map<string, TcpSocket> {
	const out = new Map<string, TcpSocket>();
	const lines = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
		fs.existsSync(file) ? fs.readFileSync(file, 'latin1').split('\n').slice(1) : []
	);
	for (let i = 0; i < lines.length; i++) {
		const f = lines[i]!.trim().split(/\s+/);
		if (f.length < 5) continue;
		const local = parseInt(f[1]!.split(':')[1]!, 16);
		if (!ports.has(local)) continue;
		const remote = parseInt(f[2]!.split(':')[1]!, 16);
		const [tx, rx] = f[4]!.split(':').map((h) => parseInt(h, 16));
		out.set(`${local}>${remote}`, { state: parseInt(f[3]!, 16), txQueue: tx!, rxQueue: rx! });
	}
	return out;
}

const socketOf = (ws: WebSocket): Socket => (ws as unknown as { _socket: Socket })._socket;

/** What the server keeps in memory after GC: its JS heap and its Buffers. */
const retained = (s: ServerStats): number => s.heapUsed + s.external;

const sameState = (a: Y.Doc, b: Y.Doc): boolean =>
	boardMaps(a).ideas.size === boardMaps(b).ideas.size &&
	Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));

// --- the scenario ---

export interface SlowConfig extends B1Options {
	n: number;
	warmMs: number;
	baselineMs: number;
	pauseMs: number;
	/** Kernel queues are read this often during the pause; server stats every second. */
	sampleMs: number;
	drainMs: number;
	/** Longest wait for the slow reader to hold everything again. */
	catchUpMs: number;
}

async function slowRun(kind: ServerKind, cfg: SlowConfig): Promise<Row> {
	const server = await spawnServer(kind);
	let load: B1Load | undefined;
	const readers: ThinClient[] = [];
	const timers: NodeJS.Timeout[] = [];
	try {
		const room = await prepareRoom(server, cfg.n + 2);
		load = await B1Load.open(kind, room.seats.slice(0, cfg.n), cfg);
		const slowSeat = room.seats[cfg.n]!;
		const ref = new ThinClient(room.seats[cfg.n + 1]!, cfg.n + 1, { full: true });
		const slow = new ThinClient(slowSeat, cfg.n, { full: true });
		readers.push(ref, slow);
		await withTimeout(Promise.all([ref.synced, slow.synced]), 60_000, `${kind}: readers synced`);
		// The slow reader keeps sending (only its reading stalls).
		timers.push(keepAlive(ref), keepAlive(slow));

		load.start();
		await sleep(cfg.warmMs);

		const slowPort = socketOf(slow.ws).localPort ?? 0;
		const ports = new Set([server.port, slowPort]);
		const up = `${slowPort}>${server.port}`;
		const down = `${server.port}>${slowPort}`;
		const slowSocket = socketOf(slow.ws);
		// In transit: the server's TCP send queue, the reader's receive queue, and what its
		// paused stream had read before it stopped reading (up to its high-water mark).
		const kernelHeld = (tcp: Map<string, TcpSocket>) =>
			(tcp.get(up)?.rxQueue ?? 0) + (tcp.get(down)?.txQueue ?? 0) + slowSocket.readableLength;
		const stats = (): Promise<ServerStats | null> =>
			withTimeout(server.stats(), 15_000, 'server stats').catch(() => null);
		/**
		 * Reads the kernel's socket table every sampleMs and the server's stats every second
		 * for `ms` (both cost the generator and the server time, so both windows do it).
		 */
		const sample = async (
			ms: number,
			onTcp: (tcp: Map<string, TcpSocket>, at: number) => void,
			onStats: (s: ServerStats) => void
		): Promise<void> => {
			const start = performance.now();
			let nextStats = start + 1000;
			for (;;) {
				const now = performance.now();
				onTcp(tcpSockets(ports), now);
				if (now >= nextStats) {
					const s = await stats();
					if (s) onStats(s);
					nextStats += 1000;
				}
				const left = start + ms - performance.now();
				if (left <= 0) return;
				await sleep(Math.min(cfg.sampleMs, left));
			}
		};

		// Baseline: everyone reads. Memory retained after GC is taken outside the latency
		// windows (the GCs stall the server), with a moment for the last writes to arrive.
		const g0 = await server.stats(true);
		await sleep(500);
		const b0 = await server.stats();
		const genBase = cpuMeter();
		const busyBase = machineCpuSeconds().busy;
		const base = load.openWindow();
		// The same sampling as in the pause, so the p99 growth is the paused reader's doing,
		// not the measuring's.
		await sample(
			cfg.baselineMs,
			() => undefined,
			() => undefined
		);
		load.closeWindow(base);
		const b1 = await server.stats();
		const generatorCpuBase = genBase();
		const otherCpuBase =
			(machineCpuSeconds().busy - busyBase) / ((b1.at - b0.at) / 1000) -
			serverCpu(b0, b1) -
			generatorCpuBase;
		await sleep(500);
		const g1 = await server.stats(true);

		// The pause.
		const ref0 = ref.bytesIn;
		const slow0 = slow.bytesIn;
		slow.ws.pause();
		const pausedAt = performance.now();
		const paused = load.openWindow();
		const p0 = await server.stats();
		const gen = cpuMeter();
		const busyPause = machineCpuSeconds().busy;
		let rssPeak = p0.rss;
		let externalPeak = p0.external;
		let kernelPeak = 0;
		/** Bytes behind beyond the kernel's queues, while the server's socket was open. */
		let beyondKernelPeak = 0;
		let serverEndedAt = NaN;
		await sample(
			cfg.pauseMs,
			(tcp, now) => {
				const kernel = kernelHeld(tcp);
				kernelPeak = Math.max(kernelPeak, kernel);
				if (tcp.get(down)?.state === ESTABLISHED) {
					beyondKernelPeak = Math.max(beyondKernelPeak, ref.bytesIn - ref0 - kernel);
				} else if (Number.isNaN(serverEndedAt)) {
					serverEndedAt = now - pausedAt;
				}
			},
			(s) => {
				rssPeak = Math.max(rssPeak, s.rss);
				externalPeak = Math.max(externalPeak, s.external);
			}
		);
		load.closeWindow(paused);
		load.stop();
		const generatorCpu = gen();
		const busyPaused = machineCpuSeconds().busy - busyPause;
		const p1 = await stats();
		if (p1) {
			rssPeak = Math.max(rssPeak, p1.rss);
			externalPeak = Math.max(externalPeak, p1.external);
		}
		// The others have everything; the slow reader's backlog is still queued (unless dropped).
		await load.drain(cfg.drainMs);
		const g2 = await withTimeout(server.stats(true), 30_000, 'server stats').catch(() => null);
		const behind = ref.bytesIn - ref0;
		const atResume = tcpSockets(ports);
		const kernelAtResume = kernelHeld(atResume);
		const openAtResume = atResume.get(down)?.state === ESTABLISHED;

		// Resume: the backlog, and maybe a close behind it.
		const slowAtResume = slow.bytesIn;
		const resumedAt = performance.now();
		slow.ws.resume();
		// Closed: the socket, or (Hocuspocus) the document's connection on an open socket.
		const dropped = () => slow.closed || slow.closeMessage !== null;
		const until = resumedAt + cfg.catchUpMs;
		while (!dropped() && !sameState(slow.doc, ref.doc) && performance.now() < until) {
			await sleep(20);
		}
		// A close frame may come right behind the data.
		if (!dropped()) await sleep(300);
		let caughtUpAt = sameState(slow.doc, ref.doc) ? performance.now() : NaN;
		const drained = slow.bytesIn - slowAtResume;
		const missed = ref.bytesIn - ref0 - (slow.bytesIn - slow0);
		let reconnected = false;
		if (dropped() && Number.isNaN(caughtUpAt)) {
			// A returning client: its doc's state vector, then the diff applied to that same doc.
			reconnected = true;
			const back = new ThinClient(slowSeat, cfg.n, {
				stateVector: Y.encodeStateVector(slow.doc),
				onSyncPayload: (_sub, payload) => Y.applyUpdate(slow.doc, payload, slow)
			});
			readers.push(back);
			back.opened.catch(() => undefined);
			while (!sameState(slow.doc, ref.doc) && performance.now() < until) await sleep(20);
			if (sameState(slow.doc, ref.doc)) caughtUpAt = performance.now();
		}
		const posted = load.ideasPosted();
		const pb = base.hist.summary();
		const pp = paused.hist.summary();
		const pauseS = cfg.pauseMs / 1000;
		/** Seconds of stall until the server itself buffers `mb` MB (after the kernel's share). */
		const stallTo = (mb: number) =>
			beyondKernelPeak > 256 * 1024 ? (kernelPeak + mb * MB) / (behind / pauseS) : NaN;
		return {
			n: cfg.n,
			writesPerSec: paused.writes / pauseS,
			p50Base: pb.p50,
			p99Base: pb.p99,
			p50: pp.p50,
			p99: pp.p99,
			p99Delta: pp.p99 - pb.p99,
			max: pp.max,
			deliveryRatioBase: base.expected ? base.delivered / base.expected : NaN,
			deliveryRatio: paused.expected ? paused.delivered / paused.expected : NaN,
			streamKBps: behind / pauseS / 1024,
			behindMB: behind / MB,
			kernelPeakMB: kernelPeak / MB,
			beyondKernelPeakMB: beyondKernelPeak / MB,
			serverQueueAtResumeMB: openAtResume ? Math.max(0, drained - kernelAtResume) / MB : NaN,
			stallTo4MBs: stallTo(4),
			stallTo16MBs: stallTo(16),
			serverEndedTcpS: serverEndedAt / 1000,
			slowClosed: dropped() ? 1 : 0,
			closeCode: slow.closed
				? String(slow.closeCode)
				: slow.closeMessage !== null
					? `Close message "${slow.closeMessage}"`
					: 'open',
			missedMB: Math.max(0, missed) / MB,
			reconnected: reconnected ? 1 : 0,
			converged:
				!Number.isNaN(caughtUpAt) &&
				boardMaps(ref.doc).ideas.size === posted &&
				boardMaps(slow.doc).ideas.size === posted,
			catchUpMs: caughtUpAt - resumedAt,
			rssAtPauseMB: p0.rss / MB,
			rssPeakMB: rssPeak / MB,
			rssGrowthMB: (rssPeak - p0.rss) / MB,
			externalGrowthMB: (externalPeak - p0.external) / MB,
			rssGrowthBaseMB: (b1.rss - b0.rss) / MB,
			retainedGrowthMB: g2 ? (retained(g2) - retained(g1)) / MB : NaN,
			retainedGrowthBaseMB: g2
				? (((retained(g1) - retained(g0)) / (g1.at - g0.at)) * (g2.at - g1.at)) / MB
				: NaN,
			serverCpuBase: serverCpu(b0, b1),
			serverCpu: p1 ? serverCpu(p0, p1) : NaN,
			generatorCpu,
			/** CPU used by other processes on the box (shared machine), per window. */
			otherCpuBase: Math.max(0, otherCpuBase),
			otherCpu: p1
				? Math.max(0, busyPaused / ((p1.at - p0.at) / 1000) - serverCpu(p0, p1) - generatorCpu)
				: NaN,
			closedWriters: load.clients.filter((c) => c.closed || c.closeMessage !== null).length
		};
	} finally {
		for (const t of timers) clearInterval(t);
		load?.close();
		for (const c of readers) c.close();
		await server.stop();
	}
}

const METRICS = [
	{ key: 'writesPerSec', label: 'writes/s (ideas + votes)' },
	{ key: 'p50Base', label: 'others: p50 ms, no one paused' },
	{ key: 'p99Base', label: 'others: p99 ms, no one paused' },
	{ key: 'p50', label: 'others: p50 ms, one paused' },
	{ key: 'p99', label: 'others: p99 ms, one paused' },
	{ key: 'p99Delta', label: 'others: p99 growth, ms' },
	{ key: 'max', label: 'others: max ms, one paused' },
	{ key: 'deliveryRatio', label: 'others: delivery ratio, one paused' },
	{ key: 'streamKBps', label: 'stream to one reader, KB/s' },
	{ key: 'behindMB', label: 'slow reader behind at resume, MB' },
	{ key: 'kernelPeakMB', label: 'of which in transit: kernel queues + reader stream (peak), MB' },
	{
		key: 'beyondKernelPeakMB',
		label: 'beyond that while the server socket was open (peak; an upper bound), MB'
	},
	{
		key: 'serverQueueAtResumeMB',
		label: 'server send buffer at resume (drained − in transit), MB'
	},
	{ key: 'stallTo4MBs', label: 's of stall until the server buffers 4 MB' },
	{ key: 'stallTo16MBs', label: 's of stall until the server buffers 16 MB' },
	{ key: 'rssAtPauseMB', label: 'server RSS at pause, MB' },
	{ key: 'rssGrowthMB', label: 'server RSS growth in the pause (peak), MB' },
	{ key: 'externalGrowthMB', label: 'server external memory growth (peak), MB' },
	{ key: 'rssGrowthBaseMB', label: 'server RSS growth in the baseline window, MB' },
	{ key: 'retainedGrowthMB', label: 'server heap + external after GC: growth over the pause, MB' },
	{
		key: 'retainedGrowthBaseMB',
		label: 'same at the baseline rate (no one paused) over as long, MB'
	},
	{ key: 'serverEndedTcpS', label: 'server ended the TCP connection, s into the pause' },
	{ key: 'closedReps', label: 'reps where the server closed the slow reader' },
	{ key: 'closeCodes', label: 'close code seen by the slow reader' },
	{ key: 'missedMB', label: 'never delivered to the slow reader, MB' },
	{ key: 'reconnectedReps', label: 'reps where it reconnected with its state vector' },
	{ key: 'convergedReps', label: 'reps where it converged (all ideas, equal state vector)' },
	{ key: 'catchUpMs', label: 'resume → holds everything, ms' },
	{ key: 'serverCpuBase', label: 'server CPU, no one paused (cores)' },
	{ key: 'serverCpu', label: 'server CPU, one paused (cores)' },
	{ key: 'generatorCpu', label: 'generator CPU, one paused (cores)' },
	{ key: 'otherCpuBase', label: 'other processes CPU, no one paused (cores)' },
	{ key: 'otherCpu', label: 'other processes CPU, one paused (cores)' },
	{ key: 'closedWriters', label: 'writers closed by server' }
];

export async function slowConsumer(ctx: Ctx): Promise<ScenarioResult> {
	const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
	// Sizes can be overridden (smoke too, for cheap experiments): BENCH_SLOW_N, _PERIOD_MS, _PAD,
	// _BASELINE_MS, _PAUSE_MS.
	const base = ctx.smoke
		? { n: 10, periodMs: 500, voteMs: 2000, warmMs: 500, baselineMs: 1000, pauseMs: 1500 }
		: { n: 200, periodMs: 1000, voteMs: 10_000, warmMs: 5000, baselineMs: 20_000, pauseMs: 60_000 };
	const warmMs = base.warmMs;
	const periodMs = env('BENCH_SLOW_PERIOD_MS', base.periodMs);
	const cfg: SlowConfig = {
		n: env('BENCH_SLOW_N', base.n),
		periodMs,
		voteMs: base.voteMs,
		pad: env('BENCH_SLOW_PAD', 440),
		// Writers post their ideas during the warm-up and rewrite them from then on, so that
		// the baseline and the pause see the same traffic (and the board stops growing).
		ideas: Math.max(1, Math.ceil(warmMs / periodMs)),
		warmMs,
		baselineMs: env('BENCH_SLOW_BASELINE_MS', base.baselineMs),
		pauseMs: env('BENCH_SLOW_PAUSE_MS', base.pauseMs),
		sampleMs: ctx.smoke ? 100 : 500,
		drainMs: ctx.smoke ? 2000 : 10_000,
		catchUpMs: ctx.smoke ? 10_000 : 60_000
	};
	const servers = ctx.servers.filter((k): k is ServerKind => k !== 'relay');
	// One repetition per server unless BENCH_SLOW_REPS says otherwise: a run takes ~90 s, its
	// byte counts and closes hardly vary, and the latency delta is paired within the run.
	const reps = Number(process.env.BENCH_SLOW_REPS ?? Math.min(ctx.reps, 1));
	const { raw, medians } = await roundRobin(
		{ ...ctx, reps },
		servers,
		'slowconsumer',
		(kind) => slowRun(kind, cfg),
		(row) =>
			`p99 ${Number(row.p99Base).toFixed(1)} → ${Number(row.p99).toFixed(1)} ms, behind ${Number(row.behindMB).toFixed(1)} MB (kernel ${Number(row.kernelPeakMB).toFixed(1)}), rss +${Number(row.rssGrowthMB).toFixed(1)} MB, close ${String(row.closeCode)}, converged ${String(row.converged)}`
	);
	for (const k of servers) {
		const ok = raw[k]!.filter((r) => r.error === undefined);
		medians[k] = {
			...medians[k],
			closedReps: `${ok.filter((r) => r.slowClosed === 1).length}/${reps}`,
			closeCodes: [...new Set(ok.map((r) => String(r.closeCode)))].join(' ') || '–',
			reconnectedReps: `${ok.filter((r) => r.reconnected === 1).length}/${reps}`,
			convergedReps: `${ok.filter((r) => r.converged === true).length}/${reps}`
		};
	}
	const title = `Slow consumer: N=${cfg.n}, an idea every ${cfg.periodMs / 1000} s each (texts padded by ${cfg.pad ?? 0} characters), one reader paused for ${cfg.pauseMs / 1000} s (median of ${reps})`;
	return {
		markdown: sideBySide(title, medians, METRICS) + '\n',
		json: { config: cfg, medians, reps: raw }
	};
}
