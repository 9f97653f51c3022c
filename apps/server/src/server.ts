/**
 * Composes the Kipinä server: storage, rooms, HTTP API, sync endpoint and
 * the web app, on one port. Used by `main.ts` and by the tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Access } from './access.js';
import { Archive } from './archive.js';
import type { Config } from './config.js';
import { Groups } from './groups.js';
import { apiRouter } from './http/api.js';
import { clientIp, createApp, isAllowedOrigin, loadWebHandler } from './http/app.js';
import { Authenticator } from './http/auth.js';
import { CookieSigner } from './identity.js';
import { createLogger, type Logger } from './logger.js';
import { Sessions } from './sessions.js';
import { SqliteGroupStorage } from './storage/SqliteGroupStorage.js';
import { SqliteStorage } from './storage/SqliteStorage.js';
import type { GroupStorage, Storage } from './storage/Storage.js';
import { RoomManager } from './sync/RoomManager.js';
import { attachSync } from './sync/upgrade.js';

export interface KipinaServer {
	readonly port: number;
	readonly url: string;
	readonly storage: Storage;
	readonly groupStorage: GroupStorage;
	readonly rooms: RoomManager;
	readonly log: Logger;
	/** Stops accepting, closes sockets, stores every room and closes storage. */
	close(): Promise<void>;
}

export async function startServer(
	config: Config,
	log = createLogger(config.logLevel)
): Promise<KipinaServer> {
	const storage = new SqliteStorage(path.join(config.dataDir, 'kipina.sqlite'));
	const rooms = new RoomManager(storage, log, {
		unloadGraceMs: config.roomUnloadGraceMs,
		compaction: config.compaction,
		batchWindowMs: config.batchWindowMs,
		rateLimits: config.rateLimits
	});
	const groupStorage = new SqliteGroupStorage(storage.db, (ids) => storage.removeLogs(ids));
	const auth = new Authenticator(storage, CookieSigner.fromDataDir(config.dataDir), groupStorage);
	const sessions = new Sessions(storage, rooms);
	const access = new Access(storage, groupStorage, auth, rooms);
	const archive = new Archive(storage, groupStorage, rooms, log);
	const groups = new Groups(storage, groupStorage, sessions, rooms, access, archive);
	// Archive edits owed to members who left, interrupted by a crash or restart.
	await archive.resumeForgets();
	const policy = { trustProxy: config.trustProxy, allowedOrigins: config.allowedOrigins };

	const app = createApp({
		log,
		policy,
		api: apiRouter({
			storage,
			groupStorage,
			sessions,
			auth,
			access,
			groups,
			archive,
			joinCodes: config.rateLimits.joinCodes
		}),
		web: await loadWebHandler(config.webBuildDir),
		httpWrites: config.rateLimits.httpWrites
	});
	const server = http.createServer(app);
	const sync = attachSync(server, {
		storage,
		rooms,
		access,
		log,
		maxPayload: config.maxPayload,
		rateLimits: config.rateLimits,
		isAllowedOrigin: (origin, req) => isAllowedOrigin(policy, origin, req),
		clientIp: (req) => clientIp(policy.trustProxy, req)
	});
	// Slow-header (slowloris) and stalled-request protection.
	server.headersTimeout = 10_000;
	server.requestTimeout = 30_000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	log.info(
		{ port, host: config.host, dataDir: config.dataDir, web: config.webBuildDir !== null },
		'listening'
	);

	let closing: Promise<void> | null = null;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		storage,
		groupStorage,
		rooms,
		log,
		close() {
			closing ??= (async () => {
				const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
				await rooms.closeAll();
				sync.close();
				server.closeAllConnections();
				await httpClosed;
				await storage.close();
				log.info('stopped');
			})();
			return closing;
		}
	};
}
