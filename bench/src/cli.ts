/**
 * Runs the benchmark suite, or one scenario, side by side against the peers.
 *
 *   pnpm --filter @kipina/bench run all                  # every scenario, full sizes
 *   pnpm --filter @kipina/bench run scenario fanout      # one (or several) scenarios
 *   pnpm --filter @kipina/bench test                     # seconds-long smoke of every scenario
 *   BENCH_SOAK_MIN=30 pnpm --filter @kipina/bench run scenario soak   # not part of `all`
 *
 * Options (environment): BENCH_SERVERS=kipina,yws,hp3,hp4,relay  BENCH_REPS=3
 * BENCH_NO_WRITE=1 (print only). bin/bench.mjs starts this file pinned to
 * core 1 (`taskset -c 1`) on plain Node; run directly, it hands over to
 * bin/bench.mjs. Servers are children pinned to core 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx, Scenario } from './lib/context.js';
import { BENCH_DIR } from './lib/proc.js';
import { machine, writeResult } from './lib/report.js';
import type { ServerKind } from './servers/types.js';

if (!process.env.BENCH_PINNED) {
	// Started directly: the launcher pins the generator and starts it on plain Node.
	const run = spawnSync(
		process.execPath,
		[path.join(BENCH_DIR, 'bin/bench.mjs'), ...process.argv.slice(2)],
		{
			stdio: 'inherit'
		}
	);
	process.exit(run.status ?? 1);
}

const SCENARIOS: Record<string, () => Promise<Scenario>> = {
	calibration: async () => (await import('./scenarios/calibration.js')).calibration,
	fanout: async () => (await import('./scenarios/fanout.js')).fanout,
	capacity: async () => (await import('./scenarios/capacity.js')).capacity,
	coldload: async () => (await import('./scenarios/coldload.js')).coldload,
	durability: async () => (await import('./scenarios/durability.js')).durability,
	presence: async () => (await import('./scenarios/presence.js')).presence,
	reconnect: async () => (await import('./scenarios/reconnect.js')).reconnectStorm,
	joinpage: async () => (await import('./scenarios/joinpage.js')).joinpage,
	slowconsumer: async () => (await import('./scenarios/slowconsumer.js')).slowConsumer,
	soak: async () => (await import('./scenarios/soak.js')).soak
};

/** Run only when named (a soak takes half an hour per server); the smoke still runs them. */
const EXPLICIT_ONLY = new Set(['soak']);

const ALL_SERVERS: ServerKind[] = ['kipina', 'yws', 'hp3', 'hp4', 'relay'];

async function main(): Promise<void> {
	const [command = 'all', ...rest] = process.argv.slice(2);
	const smoke = command === 'smoke' || process.env.BENCH_SMOKE === '1';
	const names =
		command === 'smoke'
			? Object.keys(SCENARIOS)
			: command === 'all'
				? Object.keys(SCENARIOS).filter((n) => !EXPLICIT_ONLY.has(n))
				: [command, ...rest];
	for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario "${n}"`);
	// The CI smoke runs Kipinä and one peer per wire format family (Hocuspocus framing); the
	// y-websocket framing is Kipinä's own.
	const servers =
		(process.env.BENCH_SERVERS?.split(',') as ServerKind[] | undefined) ??
		(smoke ? (['kipina', 'hp4'] as ServerKind[]) : ALL_SERVERS);
	const ctx: Ctx = {
		servers,
		reps: Number(process.env.BENCH_REPS ?? (smoke ? 1 : 3)),
		smoke,
		log: (m) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${m}`)
	};
	const m = machine();
	console.log(
		`# Kipinä benchmarks (${smoke ? 'smoke' : 'full'})\n\n${m.date} · ${m.nproc} × ${m.cpuModel} · ${m.memGiB} GiB · Node ${m.node} · commit ${m.commit}\n`
	);
	const started = Date.now();
	let failed = 0;
	for (const name of names) {
		const t0 = Date.now();
		try {
			const result = await (await SCENARIOS[name]!())(ctx);
			console.log(`## ${name}\n\n${result.markdown}`);
			if (!smoke && !process.env.BENCH_NO_WRITE) {
				const file = writeResult(name, { reps: ctx.reps, servers, ...(result.json as object) });
				console.log(`raw: ${path.relative(BENCH_DIR, file)}\n`);
			}
			ctx.log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		} catch (error) {
			failed += 1;
			console.log(`## ${name}\n\nFAILED: ${(error as Error).stack}\n`);
		}
	}
	fs.rmSync(path.join(BENCH_DIR, 'results/tmp'), { recursive: true, force: true });
	ctx.log(`all done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (smoke) console.log(`${names.length - failed} passed, ${failed} failed`);
	process.exit(failed > 0 ? 1 : 0);
}

void main();
