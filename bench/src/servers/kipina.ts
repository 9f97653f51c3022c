/** Kipinä itself, started from source exactly as `src/main.ts` does, with bench-friendly limits. */
import { loadConfig, type Config } from '../../../apps/server/src/config.js';
import { createLogger } from '../../../apps/server/src/logger.js';
import { startServer } from '../../../apps/server/src/server.js';
import type { StartFn } from './types.js';

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
	const config = liftPerIpLimits(
		loadConfig({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: options.dataDir,
			WEB_BUILD_DIR: options.webBuildDir ?? '',
			LOG_LEVEL: 'silent',
			ROOM_UNLOAD_GRACE_MS: String(options.unloadGraceMs ?? 1000)
		})
	);
	const server = await startServer(config, createLogger(config.logLevel));
	return {
		port: server.port,
		info: () => ({ rooms: server.rooms.loadedCount }),
		close: () => server.close()
	};
};
