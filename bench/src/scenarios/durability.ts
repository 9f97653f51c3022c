/**
 * B4 durability and write amplification on the preloaded big board.
 *
 * A 10-minute session compressed 10× (BENCH_SESSION_S, default 60 s): 50
 * participants, each posting an idea every 3 s, "voting" every 1.2 s and
 * "moving" an idea every 6 s (votes and moves are rewrites of an own idea:
 * small keyed writes the policy accepts). Rates are the uncompressed
 * session's ×10: 1 idea / 30 s, 5 votes / min, 1 move / min.
 *
 * Pass 1 (strace attached to the server): bytes handed to write/pwrite
 * syscalls on files in the server's data folder, from the first write to a
 * graceful stop (so final stores and compactions count), ÷ bytes of Yjs
 * updates the clients sent. The kernel's `write_bytes` (/proc/pid/io: page
 * cache bytes bound for the device) is reported alongside.
 *
 * Pass 2 (no strace): the same load, then `kill -9` at a random moment
 * between 40 % and 90 % of a 20 s session. Restart, load, count ideas lost.
 * Kipinä: ideas acknowledged by a `saved` message (type 100) before the kill.
 * Peers have no acknowledgement: ideas an observer client had received
 * before the kill. Commit lag: Kipinä, send → `saved` at the client (an
 * upper bound of receipt → commit); peers, measured inside the server
 * (Hocuspocus: onChange → the store that includes it; y-websocket: the
 * LevelDB put's duration).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { boardMaps } from '@kipina/board';
import { bigBoard } from '../lib/board.js';
import { ThinClient, openAll, withTimeout, type Seat } from '../lib/clients.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { spawnServer, type ServerHandle } from '../lib/proc.js';
import { sideBySide, type Row } from '../lib/report.js';
import { addSeats } from '../lib/rooms.js';
import { Histogram, sleep } from '../lib/stats.js';
import type { ServerKind } from '../servers/types.js';
import { portOf, seed } from './coldload.js';

interface Session {
	clients: ThinClient[];
	observer: ThinClient;
	timers: NodeJS.Timeout[];
	/** Kipinä: idea id → (client id, clock) that must be acknowledged. */
	posted: { id: string; writer: ThinClient; clock: number }[];
	acked: Map<ThinClient, number>;
	ackLag: Histogram;
	stop(): void;
}

async function startSession(server: ServerHandle, seats: Seat[], users: number): Promise<Session> {
	const acked = new Map<ThinClient, number>();
	const ackLag = new Histogram();
	const sentAt = new Map<ThinClient, { clock: number; t: number }[]>();
	const clients = await openAll(
		(i) => {
			const c: ThinClient = new ThinClient(seats[i]!, i, {
				onSaved: (sv) => {
					const clock = sv.get(c.doc.clientID) ?? 0;
					acked.set(c, Math.max(acked.get(c) ?? 0, clock));
					const waiting = sentAt.get(c) ?? [];
					while (waiting.length > 0 && waiting[0]!.clock <= clock) {
						ackLag.add(performance.now() - waiting.shift()!.t);
					}
				}
			});
			return c;
		},
		users,
		25
	);
	const observer = new ThinClient(seats[users]!, users, { full: true });
	await withTimeout(
		Promise.all([...clients.map((c) => c.synced), observer.synced]),
		60_000,
		'session clients synced'
	);
	const posted: Session['posted'] = [];
	const timers: NodeJS.Timeout[] = [];
	const note = (c: ThinClient) => {
		const clock = Y.getState(c.doc.store, c.doc.clientID);
		let list = sentAt.get(c);
		if (!list) sentAt.set(c, (list = []));
		list.push({ clock, t: performance.now() });
	};
	const every = (ms: number, fn: () => void) =>
		timers.push(
			setTimeout(() => {
				fn();
				timers.push(setInterval(fn, ms));
			}, Math.random() * ms)
		);
	for (const c of clients) {
		every(3000, () => {
			const id = c.postIdea();
			note(c);
			posted.push({ id, writer: c, clock: Y.getState(c.doc.store, c.doc.clientID) });
		});
		every(1200, () => c.rewriteIdea() && note(c));
		every(6000, () => c.rewriteIdea(0) && note(c));
	}
	return {
		clients,
		observer,
		timers,
		posted,
		acked,
		ackLag,
		stop() {
			for (const t of timers) clearTimeout(t);
		}
	};
}

function closeSession(s: Session): void {
	s.stop();
	for (const c of s.clients) c.close();
	s.observer.close();
}

function writeBytesOf(pid: number): number {
	try {
		const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
		return Number(/write_bytes: (\d+)/.exec(io)?.[1] ?? NaN);
	} catch {
		return NaN;
	}
}

/** Sums bytes written by write-family syscalls to files under `dir` in an strace -f -y log. */
function straceBytes(logFile: string, dir: string): { bytes: number; calls: number } {
	const pendingFd = new Map<string, string>();
	let bytes = 0;
	let calls = 0;
	const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
	for (const line of text.split('\n')) {
		const m = /^(\d+)\s+(?:write|pwrite64|writev|pwritev2?)\(\d+<([^>]*)>(.*)$/.exec(line);
		if (m) {
			const [, pid, file, rest] = m;
			if (rest!.includes('<unfinished ...>')) {
				pendingFd.set(pid!, file!);
				continue;
			}
			const r = /=\s+(\d+)\s*$/.exec(rest!);
			if (r && file!.startsWith(dir)) {
				bytes += Number(r[1]);
				calls += 1;
			}
			continue;
		}
		const resumed =
			/^(\d+)\s+<\.\.\. (?:write|pwrite64|writev|pwritev2?) resumed>.*=\s+(\d+)\s*$/.exec(line);
		if (resumed) {
			const file = pendingFd.get(resumed[1]!);
			pendingFd.delete(resumed[1]!);
			if (file?.startsWith(dir)) {
				bytes += Number(resumed[2]);
				calls += 1;
			}
		}
	}
	return { bytes, calls };
}

function dirBytes(dir: string): number {
	let total = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
	}
	return total;
}

async function prepare(kind: ServerKind, ctx: Ctx, users: number) {
	const seeded = await seed(kind, ctx.smoke);
	const server = await spawnServer(kind, { dataDir: seeded.dataDir, unloadGraceMs: 1000 });
	const first = await portOf(seeded.seat, server);
	const more = await addSeats(server, { name: seeded.docName, seats: [first] }, users);
	return { seeded, server, seats: [first, ...more].slice(1).concat(first) };
}

async function waPass(kind: ServerKind, ctx: Ctx, users: number, sessionMs: number): Promise<Row> {
	const { seeded, server, seats } = await prepare(kind, ctx, users);
	const realDir = fs.realpathSync(seeded.dataDir);
	const log = path.join(realDir, '..', `strace-${kind}-${process.pid}.log`);
	// Without strace (not installed), only the kernel's write_bytes is reported.
	const hasStrace = spawnSync('strace', ['-V']).status === 0;
	const strace = spawn(
		hasStrace ? 'strace' : 'true',
		[
			'-f',
			'-qq',
			'-y',
			'-s',
			'0',
			'-e',
			'trace=write,pwrite64,writev,pwritev,pwritev2',
			'-o',
			log,
			'-p',
			String(server.pid)
		],
		{ stdio: 'ignore' }
	);
	const straceExited = new Promise((r) => strace.once('exit', r));
	await sleep(ctx.smoke ? 200 : 500);
	const sizeBefore = dirBytes(realDir);
	const wb0 = writeBytesOf(server.pid);
	const session = await startSession(server, seats, users);
	await sleep(sessionMs);
	session.stop();
	await sleep(ctx.smoke ? 300 : 1500);
	const logical = session.clients.reduce((a, c) => a + c.updateBytesOut, 0);
	const ideas = session.posted.length;
	closeSession(session);
	await sleep(500);
	const wb1 = writeBytesOf(server.pid);
	await server.stop();
	strace.kill('SIGINT');
	await straceExited;
	const written = hasStrace ? straceBytes(log, realDir) : { bytes: NaN, calls: NaN };
	const sizeAfter = dirBytes(realDir);
	fs.rmSync(log, { force: true });
	fs.rmSync(seeded.dataDir, { recursive: true, force: true });
	return {
		sessionSeconds: sessionMs / 1000,
		ideasPosted: ideas,
		logicalKB: logical / 1024,
		writtenKB: written.bytes / 1024,
		writeCalls: written.calls,
		writeAmplification: written.bytes / logical,
		deviceWriteKB: (wb1 - wb0) / 1024,
		deviceWriteAmplification: (wb1 - wb0) / logical,
		storageGrowthKB: (sizeAfter - sizeBefore) / 1024,
		storageAfterPerSnapshot: sizeAfter / bigBoard(ctx.smoke).snapshot.byteLength
	};
}

async function killPass(
	kind: ServerKind,
	ctx: Ctx,
	users: number,
	sessionMs: number
): Promise<Row> {
	const { seeded, server, seats } = await prepare(kind, ctx, users);
	let restarted: ServerHandle | null = null;
	try {
		const session = await startSession(server, seats, users);
		await sleep(sessionMs * (0.4 + 0.5 * Math.random()));
		// What counts as saved, frozen at the moment of the kill.
		const ackedIds = session.posted
			.filter((p) => (session.acked.get(p.writer) ?? 0) >= p.clock)
			.map((p) => p.id);
		const observedIds = [...boardMaps(session.observer.doc).ideas.keys()].filter((id) =>
			session.posted.some((p) => p.id === id)
		);
		const posted = session.posted.length;
		const infoBefore = kind === 'kipina' ? {} : (await server.stats()).info;
		await server.kill9();
		closeSession(session);
		restarted = await spawnServer(kind, { dataDir: seeded.dataDir, unloadGraceMs: 1000 });
		const reader = new ThinClient(await portOf(seats[0]!, restarted), 9999, { full: true });
		await withTimeout(reader.synced, 30_000, 'reload after kill');
		await sleep(kind === 'yws' ? 1500 : 300); // y-websocket sends the stored state after its empty step 2
		const present = boardMaps(reader.doc).ideas;
		reader.close();
		const lag =
			kind === 'kipina'
				? session.ackLag.summary()
				: ((infoBefore.commitLag ?? {}) as Record<string, number>);
		return {
			killedAfterS: 0,
			ideasPosted: posted,
			ideasAcked: kind === 'kipina' ? ackedIds.length : NaN,
			lostAcked: kind === 'kipina' ? ackedIds.filter((id) => !present.has(id)).length : NaN,
			ideasObserved: observedIds.length,
			lostObserved: observedIds.filter((id) => !present.has(id)).length,
			commitLagP50: lag.p50 ?? NaN,
			commitLagP99: lag.p99 ?? NaN,
			commitLagMax: lag.max ?? NaN
		};
	} finally {
		await server.kill9().catch(() => undefined);
		await restarted?.stop();
		fs.rmSync(seeded.dataDir, { recursive: true, force: true });
	}
}

const METRICS = [
	{ key: 'ideasPosted', label: 'ideas posted in the session' },
	{ key: 'logicalKB', label: 'logical update bytes sent, KB' },
	{ key: 'writtenKB', label: 'bytes written to storage files (syscalls), KB' },
	{ key: 'writeAmplification', label: 'write amplification (syscall bytes ÷ logical)' },
	{ key: 'writeCalls', label: 'write syscalls to storage files' },
	{ key: 'deviceWriteKB', label: 'kernel write_bytes (page-cache → device), KB' },
	{ key: 'deviceWriteAmplification', label: 'device write amplification' },
	{ key: 'storageAfterPerSnapshot', label: 'storage size after ÷ snapshot size' },
	{ key: 'k_ideasPosted', label: 'kill -9 pass: ideas posted before the kill' },
	{ key: 'k_ideasAcked', label: 'kill -9 pass: ideas acknowledged (saved) before the kill' },
	{ key: 'k_lostAcked', label: 'kill -9 pass: acknowledged ideas lost' },
	{ key: 'k_ideasObserved', label: 'kill -9 pass: ideas an observer had received' },
	{ key: 'k_lostObserved', label: 'kill -9 pass: observed ideas lost' },
	{ key: 'k_commitLagP50', label: 'commit lag p50, ms' },
	{ key: 'k_commitLagP99', label: 'commit lag p99, ms' },
	{ key: 'k_commitLagMax', label: 'commit lag max, ms' }
];

export async function durability(ctx: Ctx): Promise<ScenarioResult> {
	const users = ctx.smoke ? 4 : 50;
	const sessionMs = ctx.smoke ? 1500 : Number(process.env.BENCH_SESSION_S ?? 60) * 1000;
	const killMs = ctx.smoke ? 1500 : 20_000;
	const byServer: Record<string, Row> = {};
	for (const kind of ctx.servers.filter((k) => k !== 'relay')) {
		const row: Row = {};
		try {
			ctx.log(`durability: ${kind} write amplification (${sessionMs / 1000} s session)`);
			Object.assign(row, await waPass(kind, ctx, users, sessionMs));
			ctx.log(`durability: ${kind} kill -9`);
			for (const [k, v] of Object.entries(await killPass(kind, ctx, users, killMs))) {
				row[`k_${k}`] = v;
			}
		} catch (error) {
			ctx.log(`  failed: ${(error as Error).stack}`);
			row.error = (error as Error).message;
		}
		byServer[kind] = row;
	}
	return {
		markdown: sideBySide(
			`Durability: ${users} users, ${sessionMs / 1000} s session (10-minute session compressed 10×) on the big board`,
			byServer,
			METRICS
		),
		json: { users, sessionMs, killMs, byServer }
	};
}
