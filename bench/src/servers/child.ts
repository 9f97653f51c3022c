/**
 * Entry of a server child process: `node --expose-gc … child.ts <kind>`,
 * options as JSON in BENCH_OPTS. Talks to the harness over the IPC channel:
 * it sends `{ type: 'ready', port }`, then answers `{ id, cmd }` requests.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { ChildOptions, RunningServer, ServerKind, StartFn } from './types.js';

const kind = process.argv[2] as ServerKind;
const options = JSON.parse(process.env.BENCH_OPTS ?? '{}') as ChildOptions;

async function starter(k: ServerKind): Promise<StartFn> {
	switch (k) {
		case 'kipina':
			return (await import('./kipina.js')).start;
		case 'yws':
			return (await import('./yws.js')).start;
		case 'hp3':
			return (await import('./hocuspocus.js')).startHp3;
		case 'hp4':
			return (await import('./hocuspocus.js')).startHp4;
		case 'relay':
			return (await import('./relay.js')).start;
	}
	throw new Error(`unknown server kind ${String(k)}`);
}

interface Request {
	id: number;
	cmd: 'stats' | 'stop';
	gc?: boolean;
	/** Start a new event-loop delay window after this sample. */
	resetLoop?: boolean;
}

/** Event-loop delay of the server process (10 ms resolution), per window between resets. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
	const server: RunningServer = await (await starter(kind))(options);
	process.on('message', (raw) => {
		const req = raw as Request;
		void (async () => {
			if (req.cmd === 'stop') {
				await server.close().catch(() => undefined);
				process.send?.({ id: req.id }, () => process.exit(0));
				return;
			}
			if (req.gc && gc) {
				for (let i = 0; i < 3; i++) {
					gc();
					await new Promise((r) => setImmediate(r));
				}
			}
			const mem = process.memoryUsage();
			// Compiled code and bytecode with their metadata (heap snapshots show them as
			// "(code)"): grows with what the process has run and optimised, not with rooms.
			const codeStats = v8.getHeapCodeStatistics();
			const code = codeStats.code_and_metadata_size + codeStats.bytecode_and_metadata_size;
			process.send?.({
				id: req.id,
				cpu: process.cpuUsage(),
				rss: mem.rss,
				heapUsed: mem.heapUsed,
				codeUsed: code,
				external: mem.external,
				info: server.info?.() ?? {},
				loop: { maxMs: loopDelay.max / 1e6, p99Ms: loopDelay.percentile(99) / 1e6 }
			});
			if (req.resetLoop) loopDelay.reset();
		})();
	});
	process.send?.({ type: 'ready', port: server.port, pid: process.pid });
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
