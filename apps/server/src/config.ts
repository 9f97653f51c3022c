import path from 'node:path';
import { RATE_LIMITS, type RateLimits } from './limits.js';
import type { CompactionPolicy } from './sync/compaction.js';

/** Runtime configuration, read once from the environment. */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/** Extra origins allowed for state-changing requests and the websocket. */
	allowedOrigins: string[];
	trustProxy: boolean;
	logLevel: string;
	/** Where the built web app lives (its `handler.js`); null serves no web app. */
	webBuildDir: string | null;
	/** How long an empty room stays in memory before it is unloaded. */
	roomUnloadGraceMs: number;
	/** When a document's update log is replaced by a snapshot (see `CompactionPolicy`). */
	compaction: CompactionPolicy;
	/** See `RoomOptions.batchWindowMs`. */
	batchWindowMs: number;
	/** Largest websocket frame accepted, in bytes. */
	maxPayload: number;
	rateLimits: RateLimits;
}

function int(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
	return n;
}

function num(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback;
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
	return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
	const defaultWeb = path.resolve(import.meta.dirname, '../../web/build');
	return {
		port: int(env.PORT, 3000, 'PORT'),
		host: env.HOST ?? '0.0.0.0',
		dataDir: path.resolve(cwd, env.DATA_DIR ?? 'data'),
		allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean),
		trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
		logLevel: env.LOG_LEVEL ?? 'info',
		webBuildDir:
			env.WEB_BUILD_DIR === '' ? null : path.resolve(cwd, env.WEB_BUILD_DIR ?? defaultWeb),
		roomUnloadGraceMs: int(env.ROOM_UNLOAD_GRACE_MS, 30_000, 'ROOM_UNLOAD_GRACE_MS'),
		batchWindowMs: num(env.BATCH_WINDOW_MS, 0, 'BATCH_WINDOW_MS'),
		compaction: {
			ratio: num(env.COMPACT_RATIO, 1.5, 'COMPACT_RATIO'),
			minBytes: int(env.COMPACT_MIN_BYTES, 256 * 1024, 'COMPACT_MIN_BYTES'),
			maxEntries: int(env.COMPACT_EVERY, 10_000, 'COMPACT_EVERY'),
			quietMs: int(env.COMPACT_QUIET_MS, 250, 'COMPACT_QUIET_MS'),
			urgentFactor: num(env.COMPACT_URGENT_FACTOR, 4, 'COMPACT_URGENT_FACTOR')
		},
		maxPayload: int(env.MAX_PAYLOAD, 2 * 1024 * 1024, 'MAX_PAYLOAD'),
		rateLimits: RATE_LIMITS
	};
}
