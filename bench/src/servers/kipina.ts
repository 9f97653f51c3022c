/** Kipinä itself, started from source exactly as `src/main.ts` does, with bench-friendly limits. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../../apps/server/src/config.js';
import type * as ConfigModule from '../../../apps/server/src/config.js';
import type * as LoggerModule from '../../../apps/server/src/logger.js';
import type * as ServerModule from '../../../apps/server/src/server.js';
import type { StartFn } from './types.js';

/**
 * Which checkout's server to run: BENCH_KIPINA_ROOT (e.g. a clean worktree
 * of a commit, so that others' uncommitted edits do not leak into a run), by
 * default this repository.
 */
export const kipinaRoot = (): string =>
	path.resolve(process.env.BENCH_KIPINA_ROOT ?? path.join(import.meta.dirname, '../../..'));

export async function importKipina<T>(relative: string): Promise<T> {
	return (await import(pathToFileURL(path.join(kipinaRoot(), relative)).href)) as T;
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
