/** Spawns server children pinned to one core and talks to them over IPC. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kipinaFromSource } from '../servers/kipina.js';
import type { ChildOptions, ServerKind } from '../servers/types.js';

/** The bench package's folder, from its sources or from their transpiled copy under `.cache/`. */
export const BENCH_DIR = ((): string => {
	let dir = import.meta.dirname;
	while (!fs.existsSync(path.join(dir, 'src/cli.ts'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`bench: no src/cli.ts above ${import.meta.dirname}`);
		dir = parent;
	}
	return dir;
})();

/**
 * The server child as plain JavaScript, from the copy of the bench that
 * bin/bench.mjs transpiled (BENCH_COMPILED). Servers run on plain Node, as
 * deployed: through tsx, every server process carried a module loader
 * thread pinned to the server's core, whose idle-time GCs (4–12 ms) landed
 * in the measured windows.
 */
function compiledChild(): string {
	const dir = process.env.BENCH_COMPILED;
	if (!dir) throw new Error('bench: start it with bin/bench.mjs (it compiles the server child)');
	return path.join(dir, 'servers/child.js');
}

export const SERVER_CORE = process.env.BENCH_SERVER_CORE ?? '0';
export const GENERATOR_CORE = process.env.BENCH_GENERATOR_CORE ?? '1';
/**
 * Scheduling priority of the server and the generator. This machine may be
 * shared with other work (builds, browser tests); a raised priority (needs
 * root; ignored otherwise) keeps that work from stealing the pinned cores.
 */
export const NICE = process.env.BENCH_NICE ?? (process.getuid?.() === 0 ? '-15' : '0');

export interface ServerStats {
	cpu: { user: number; system: number };
	rss: number;
	heapUsed: number;
	/** Of `heapUsed`, compiled code and bytecode with their metadata. */
	codeUsed: number;
	external: number;
	info: Record<string, unknown>;
	/** Event-loop delay since the last sample that reset it. */
	loop: { maxMs: number; p99Ms: number };
	at: number;
}

export interface ServerHandle {
	kind: ServerKind;
	port: number;
	pid: number;
	dataDir: string;
	child: ChildProcess;
	stats(gc?: boolean, resetLoop?: boolean): Promise<ServerStats>;
	stop(): Promise<void>;
	kill9(): Promise<void>;
	exited: Promise<number | null>;
}

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `kipina-bench-${prefix}-`));
}

export async function spawnServer(
	kind: ServerKind,
	options: Partial<ChildOptions> = {},
	startTimeoutMs = 30_000
): Promise<ServerHandle> {
	// A folder made here is removed again when the server stops.
	const ownsDir = !options.dataDir;
	const dataDir = options.dataDir ?? tempDir(kind);
	const opts: ChildOptions = { ...options, dataDir };
	const args = [
		'-c',
		SERVER_CORE,
		process.execPath,
		'--expose-gc',
		'--max-old-space-size=4096',
		// Kipinä from its sources (no build) resolves @kipina/board to its sources too. Hocuspocus
		// publishes a `source` export condition as well (its TS sources): only Kipinä gets it.
		// Kipinä's TypeScript sources (no up-to-date build) still need tsx.
		...(kind === 'kipina' && kipinaFromSource() ? ['--conditions=source', '--import', 'tsx'] : []),
		// Extra Node flags for the servers (e.g. --trace-gc), same for every server.
		...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
		...(process.env.BENCH_CPU_PROF && process.env.BENCH_CPU_PROF === kind
			? ['--cpu-prof', `--cpu-prof-dir=${path.join(BENCH_DIR, '.cache/prof')}`]
			: []),
		compiledChild(),
		kind
	];
	const child = spawn('nice', ['-n', NICE, 'taskset', ...args], {
		cwd: BENCH_DIR,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: {
			...process.env,
			BENCH_OPTS: JSON.stringify(opts),
			BENCH_KIPINA_SOURCE: kipinaFromSource() ? '1' : '0',
			NODE_ENV: 'production'
		}
	});
	const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
	let nextId = 1;
	const waiting = new Map<number, (msg: Record<string, unknown>) => void>();
	const ready = new Promise<{ port: number; pid: number }>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${kind} did not start`)), startTimeoutMs);
		child.on('message', (raw) => {
			const msg = raw as Record<string, unknown>;
			if (msg.type === 'ready') {
				clearTimeout(timer);
				resolve({ port: msg.port as number, pid: msg.pid as number });
			} else if (typeof msg.id === 'number') {
				waiting.get(msg.id)?.(msg);
				waiting.delete(msg.id);
			}
		});
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`${kind} exited with ${code}`));
		});
	});
	const { port, pid } = await ready;
	const request = (body: Record<string, unknown>) =>
		new Promise<Record<string, unknown>>((resolve, reject) => {
			const id = nextId++;
			waiting.set(id, resolve);
			if (!child.connected) return reject(new Error(`${kind} is gone`));
			void exited.then(() => reject(new Error(`${kind} exited`)));
			child.send({ id, ...body });
		});
	return {
		kind,
		port,
		pid,
		dataDir,
		child,
		exited,
		async stats(gc = false, resetLoop = false) {
			const msg = await request({ cmd: 'stats', gc, resetLoop });
			return { ...(msg as unknown as ServerStats), at: performance.now() };
		},
		async stop() {
			if (child.exitCode !== null) return;
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await Promise.race([request({ cmd: 'stop' }).catch(() => undefined), exited]);
			await exited;
			clearTimeout(timer);
			if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
		},
		async kill9() {
			child.kill('SIGKILL');
			await exited;
		}
	};
}

/** Fraction of one core the server used between two stats samples. */
export function serverCpu(a: ServerStats, b: ServerStats): number {
	return (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1000 / (b.at - a.at);
}
