/**
 * The y-websocket reference server: `y-websocket@2.1.0`'s `bin/utils`
 * (`setupWSConnection`, identical to @y/websocket-server 0.1.1) on a ws 8
 * server, wired as its own `bin/server.cjs` does, with its LevelDB
 * persistence switched on through YPERSISTENCE (y-leveldb, its own optional
 * dependency). Everything Yjs in this process is loaded through `require`, so
 * there is exactly one Yjs instance (CJS), as in the stock server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { Histogram } from '../lib/stats.js';
import type { StartFn } from './types.js';

const require = createRequire(import.meta.url);
const utilsPath = require.resolve('y-websocket-2/bin/utils');
const requireYws = createRequire(utilsPath);

interface Leveldb {
	storeUpdate(doc: string, update: Uint8Array): Promise<number>;
	destroy(): Promise<void>;
}
type LeveldbCtor = (new (dir: string) => Leveldb) & { prototype: Leveldb };

export const start: StartFn = async (options) => {
	const dir = path.join(options.dataDir, 'yws-leveldb');
	fs.mkdirSync(dir, { recursive: true });
	const { LeveldbPersistence } = requireYws('y-leveldb') as { LeveldbPersistence: LeveldbCtor };
	if (options.seedFile && options.seedDoc) {
		const ldb = new LeveldbPersistence(dir);
		await ldb.storeUpdate(options.seedDoc, fs.readFileSync(options.seedFile));
		await ldb.destroy();
	}
	// Commit lag: time from the update handler's call (on receipt) to the LevelDB put resolving.
	const lag = new Histogram();
	const original = LeveldbPersistence.prototype.storeUpdate;
	LeveldbPersistence.prototype.storeUpdate = function (this: Leveldb, doc, update) {
		const t0 = performance.now();
		const done = original.call(this, doc, update);
		void done.then(() => lag.add(performance.now() - t0));
		return done;
	};
	process.env.YPERSISTENCE = dir;
	const utils = requireYws(utilsPath) as {
		setupWSConnection(ws: unknown, req: http.IncomingMessage): void;
		docs: Map<string, unknown>;
	};
	const { WebSocketServer } = require('ws') as typeof import('ws');
	const server = http.createServer((_req, res) => res.end('okay'));
	const wss = new WebSocketServer({ noServer: true });
	wss.on('connection', (ws, req) => utils.setupWSConnection(ws, req));
	server.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		port: (server.address() as AddressInfo).port,
		info: () => ({ rooms: utils.docs.size, commitLag: lag.summary() }),
		close: () =>
			new Promise<void>((r) => {
				for (const ws of wss.clients) ws.terminate();
				wss.close();
				server.close(() => r());
			})
	};
};
