/**
 * An installation made before groups existed (schema version 1) starts on the
 * new version: migration 2 runs at start, and its evenings work as before.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { SqliteStorage } from '../src/storage/SqliteStorage.js';
import { MIGRATIONS } from '../src/storage/migrations.js';
import { api, connect, createSession, synced, testConfig } from './helpers.js';

test('a version 1 database is migrated at start; its sessions keep working', async () => {
	const config = testConfig();
	const file = path.join(config.dataDir, 'kipina.sqlite');

	// Yesterday's server: only migration 1, with one evening in it.
	let server = await startServer(config, createLogger('silent'));
	const old = await createSession(server.url, 'Vanha ilta');
	await server.close();
	const db = new Database(file);
	// Undo migration 2 and later, as if they had never run.
	for (const table of [
		'pending_forgets',
		'session_closures',
		'session_guests',
		'session_members',
		'group_sessions',
		'member_devices',
		'group_members',
		'groups'
	]) {
		db.exec(`DROP TABLE ${table}`);
	}
	db.prepare('DELETE FROM schema_migrations WHERE version > 1').run();
	expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
	db.close();

	server = await startServer(config, createLogger('silent'));
	try {
		expect((server.storage as SqliteStorage).schemaVersion()).toBe(
			MIGRATIONS[MIGRATIONS.length - 1]!.version
		);
		const facts = await api(server.url, 'GET', `/api/sessions/${old.sessionId}`);
		expect(facts.json).toEqual({
			id: old.sessionId,
			title: 'Vanha ilta',
			createdAt: expect.any(Number)
		});
		const client = connect(server.port, old);
		await synced(client);
		client.destroy();
		const group = await api(server.url, 'POST', '/api/groups', {
			groupName: 'Uusi ryhmä',
			language: 'fi',
			name: 'Aino'
		});
		expect(group.status).toBe(201);
	} finally {
		await server.close();
	}
});
