/**
 * Hocuspocus (3.4.4, or 4.7.0 on Node 20 despite its `engines: node >= 22`)
 * with its own Database extension storing into SQLite through better-sqlite3
 * (WAL, synchronous = NORMAL: the same settings as Kipinä), instead of
 * @hocuspocus/extension-sqlite, which needs the `sqlite3` native module.
 * Defaults otherwise: debounce 2 s, maxDebounce 10 s, unloadImmediately.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Histogram } from '../lib/stats.js';
import type { StartFn } from './types.js';

interface HpServerLike {
	listen(): Promise<unknown>;
	destroy(): Promise<void>;
	httpServer: { address(): { port: number } | string | null };
	hocuspocus: { getDocumentsCount(): number; getConnectionsCount(): number };
}
type HpServerCtor = new (config: Record<string, unknown>) => HpServerLike;
type DatabaseCtor = new (config: {
	fetch(data: { documentName: string }): Promise<Uint8Array | null>;
	store(data: { documentName: string; state: Uint8Array }): Promise<void>;
}) => unknown;

function makeStart(major: 3 | 4): StartFn {
	return async (options) => {
		const { Server } = (major === 3
			? await import('@hocuspocus/server')
			: await import('hocuspocus-server-4')) as unknown as { Server: HpServerCtor };
		const { Database: DatabaseExtension } = (major === 3
			? await import('@hocuspocus/extension-database')
			: await import('hocuspocus-database-4')) as unknown as { Database: DatabaseCtor };

		fs.mkdirSync(options.dataDir, { recursive: true });
		const db = new Database(path.join(options.dataDir, `hocuspocus${major}.sqlite`));
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = NORMAL');
		db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
		const get = db.prepare('SELECT data FROM documents WHERE name = ?');
		const put = db.prepare(
			'INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data'
		);
		if (options.seedFile && options.seedDoc)
			put.run(options.seedDoc, fs.readFileSync(options.seedFile));

		// Commit lag: receipt of each update (onChange) to the store that includes it.
		const lag = new Histogram();
		const pending = new Map<string, number[]>();
		let stores = 0;
		const server = new Server({
			port: 0,
			address: '127.0.0.1',
			quiet: true,
			stopOnSignals: false,
			extensions: [
				{
					async onChange(data: { documentName: string }) {
						let list = pending.get(data.documentName);
						if (!list) pending.set(data.documentName, (list = []));
						list.push(performance.now());
					}
				},
				new DatabaseExtension({
					async fetch({ documentName }) {
						const row = get.get(documentName) as { data: Buffer } | undefined;
						return row ? new Uint8Array(row.data) : null;
					},
					async store({ documentName, state }) {
						put.run(documentName, Buffer.from(state));
						stores += 1;
						const now = performance.now();
						for (const t of pending.get(documentName) ?? []) lag.add(now - t);
						pending.delete(documentName);
					}
				})
			]
		});
		await server.listen();
		const address = server.httpServer.address();
		if (!address || typeof address === 'string') throw new Error('no port');
		return {
			port: address.port,
			info: () => ({
				rooms: server.hocuspocus.getDocumentsCount(),
				commitLag: lag.summary(),
				stores
			}),
			close: async () => {
				await server.destroy();
				db.close();
			}
		};
	};
}

export const startHp3 = makeStart(3);
export const startHp4 = makeStart(4);
