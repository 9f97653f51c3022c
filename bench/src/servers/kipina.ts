/**
 * Kipinä itself, started exactly as `src/main.ts` does, with bench-friendly
 * limits. It runs the build (`apps/server/dist`, what `npm start` runs) when
 * there is one, else the TypeScript sources through tsx (BENCH_KIPINA_SOURCE=1
 * forces the sources). tsx's transform wraps every named function in a
 * `__name` helper, which costs ~4 % of the per-update work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../../apps/server/src/config.js';
import type * as ConfigModule from '../../../apps/server/src/config.js';
import type * as LoggerModule from '../../../apps/server/src/logger.js';
import type * as ServerModule from '../../../apps/server/src/server.js';
import type { StartFn } from './types.js';

/** The repository holding this file (its sources, or their transpiled copy under bench/.cache). */
function thisRepository(): string {
	let dir = import.meta.dirname;
	while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
		const parent = path.dirname(dir);
		if (parent === dir)
			throw new Error('bench: no pnpm-workspace.yaml above ' + import.meta.dirname);
		dir = parent;
	}
	return dir;
}

/**
 * Which checkout's server to run: BENCH_KIPINA_ROOT (e.g. a clean worktree
 * of a commit, so that others' uncommitted edits do not leak into a run), by
 * default this repository.
 */
export const kipinaRoot = (): string =>
	path.resolve(process.env.BENCH_KIPINA_ROOT ?? thisRepository());

/** Newest modification of the files a build is made from (tests are not). */
const newest = (dir: string): number => {
	let t = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		const file = path.join(entry.parentPath, entry.name);
		if (!entry.isFile() || /\.test\.ts$|[\\/]test[\\/]/.test(file)) continue;
		t = Math.max(t, fs.statSync(file).mtimeMs);
	}
	return t;
};

/** Whether `pkg` (e.g. `packages/board`) under `root` has no build, or one older than its sources. */
export function buildStale(root: string, pkg: string): boolean {
	const dist = path.join(root, pkg, 'dist');
	return !fs.existsSync(dist) || newest(path.join(root, pkg, 'src')) > newest(dist);
}

let fromSource: boolean | undefined;
/**
 * Whether the server runs from its TypeScript sources: BENCH_KIPINA_SOURCE=1,
 * no build, or a build older than its sources (with a warning, so a stale
 * build is never measured). BENCH_KIPINA_SOURCE=0 trusts the build as it is.
 */
export function kipinaFromSource(): boolean {
	if (fromSource !== undefined) return fromSource;
	const root = kipinaRoot();
	const stale = (pkg: string) => buildStale(root, pkg);
	fromSource = process.env.BENCH_KIPINA_SOURCE === '1';
	// '0': the harness decided already (it passes its decision to each server child, so
	// an edit during a run cannot switch a child to sources it has no loader for).
	if (process.env.BENCH_KIPINA_SOURCE === '0') return fromSource;
	if (!fromSource && (stale('apps/server') || stale('packages/board'))) {
		console.warn('[bench] Kipinä has no up-to-date build (pnpm run build): running its sources.');
		fromSource = true;
	}
	return fromSource;
}

/** Imports a server module by its source path (`apps/server/src/x.ts`), from the build when there is one. */
export async function importKipina<T>(relative: string): Promise<T> {
	const file = kipinaFromSource()
		? relative
		: relative.replace(/^apps\/server\/src\//, 'apps/server/dist/').replace(/\.ts$/, '.js');
	return (await import(pathToFileURL(path.join(kipinaRoot(), file)).href)) as T;
}

interface Bucket {
	capacity: number;
	perSecond: number;
}

/**
 * Every bench client comes from 127.0.0.1, so the per-IP limits (connection
 * attempts, HTTP writes) are lifted; per-connection and per-participant
 * limits keep their defaults.
 */
function liftPerIpLimits(config: Config): Config {
	const limits = (config as unknown as { rateLimits?: Record<string, Bucket> }).rateLimits;
	if (!limits) return config;
	const lifted: Record<string, Bucket> = { ...limits };
	for (const key of ['connections', 'httpWrites']) {
		if (lifted[key]) lifted[key] = { capacity: 1e9, perSecond: 1e9 };
	}
	return { ...config, rateLimits: lifted } as unknown as Config;
}

export const start: StartFn = async (options) => {
	const { loadConfig } = await importKipina<typeof ConfigModule>('apps/server/src/config.ts');
	const { createLogger } = await importKipina<typeof LoggerModule>('apps/server/src/logger.ts');
	const { startServer } = await importKipina<typeof ServerModule>('apps/server/src/server.ts');
	const config = liftPerIpLimits(
		loadConfig({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: options.dataDir,
			WEB_BUILD_DIR: options.webBuildDir ?? '',
			LOG_LEVEL: 'silent',
			ROOM_UNLOAD_GRACE_MS: String(options.unloadGraceMs ?? 1000),
			// Server settings under study, passed through when set (e.g. BATCH_WINDOW_MS=10).
			...(process.env.BATCH_WINDOW_MS ? { BATCH_WINDOW_MS: process.env.BATCH_WINDOW_MS } : {})
		})
	);
	const server = await startServer(config, createLogger(config.logLevel));
	return {
		port: server.port,
		info: () => ({ rooms: server.rooms.loadedCount }),
		close: () => server.close()
	};
};
