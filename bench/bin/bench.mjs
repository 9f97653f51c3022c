#!/usr/bin/env node
/**
 * Starts the benchmark suite (`node bin/bench.mjs all | smoke | <scenario>…`;
 * the package scripts call it). Plain JavaScript on purpose: this process
 * waits for the whole run, and nothing in it may compete with the measured
 * processes.
 *
 * The load generator used to run through tsx, and so did this launcher.
 * tsx's module loader lives in a thread of its own, with its own heap, and
 * `--trace-gc` showed that thread's idle-time mark-compacts (3–7 ms each,
 * three in a row) inside the measured windows: in the pinned generator, on
 * the generator's core, and in the unpinned launcher, on either core. So the
 * bench's modules are transpiled to `.cache/gen` (in a process of its own,
 * see src/lib/transpile.ts) and the generator runs them on plain Node, with
 * `@kipina/board` from its build. Without an up-to-date board build it runs
 * the sources through tsx, as before, and says so.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const BENCH = path.resolve(import.meta.dirname, '..');
const OUT = path.join(BENCH, '.cache/gen');

const transpiled = spawnSync(
	process.execPath,
	['--import', 'tsx', path.join(BENCH, 'src/lib/transpile.ts'), OUT],
	{ cwd: BENCH, stdio: 'inherit' }
);
if (transpiled.status !== 0) process.exit(transpiled.status ?? 1);

const load = (file) => import(pathToFileURL(path.join(OUT, file)).href);
const { buildStale, kipinaFromSource } = await load('servers/kipina.js');
const { GENERATOR_CORE, NICE } = await load('lib/proc.js');

// Decided once here and passed down, so that an edit during a run cannot switch a process
// to sources it has no loader for.
const serverFromSource = kipinaFromSource();
const repository = path.resolve(BENCH, '..');
// The generator imports the board, and (cold load) Kipinä's storage the same way the server runs.
const generatorFromSource = serverFromSource || buildStale(repository, 'packages/board');
if (generatorFromSource) {
	console.warn('[bench] no up-to-date build to run: the generator runs through tsx.');
}
const entry = generatorFromSource
	? ['--conditions=source', '--import', 'tsx', path.join(BENCH, 'src/cli.ts')]
	: [path.join(OUT, 'cli.js')];

const run = spawnSync(
	'nice',
	[
		'-n',
		NICE,
		'taskset',
		'-c',
		GENERATOR_CORE,
		process.execPath,
		// Scenarios collect the generator's garbage before each measured repetition.
		'--expose-gc',
		// The generator's own full GCs out of the windows: by default V8 sizes the old
		// generation to the ~20 MB the generator keeps, and at 500 ideas/s to 500 receivers
		// it then ran a mark-compact every ~2 s, and the deliveries around each were 20–60 ms late
		// (incremental steps of up to 24 ms) — every latency spike of such a window, for every
		// server (docs/performance.md, item 25). The machine has the memory to spare.
		'--initial-old-space-size=1024',
		...entry,
		...process.argv.slice(2)
	],
	{
		cwd: BENCH,
		stdio: 'inherit',
		env: {
			...process.env,
			BENCH_PINNED: '1',
			BENCH_COMPILED: OUT,
			BENCH_KIPINA_SOURCE: serverFromSource ? '1' : '0'
		}
	}
);
process.exit(run.status ?? 1);
