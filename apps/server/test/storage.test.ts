import fs from 'node:fs';
import path from 'node:path';
import { addIdea, createBoardDoc, listIdeas } from '@kipina/board';
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { SqliteGroupStorage } from '../src/storage/SqliteGroupStorage.js';
import { compactionDue, compactionUrgent } from '../src/sync/compaction.js';
import { SqliteStorage } from '../src/storage/SqliteStorage.js';
import { decodeLog, encodeBatch, UpdateLog } from '../src/storage/UpdateLog.js';
import { tempDir } from './helpers.js';

const open: SqliteStorage[] = [];
afterEach(async () => {
	for (const s of open.splice(0)) await s.close();
});

function storageIn(dir: string): SqliteStorage {
	const s = new SqliteStorage(path.join(dir, 'kipina.sqlite'));
	open.push(s);
	return s;
}

const author = { participantId: 'p1', industry: 'leipomo' };

/** A session with its first update, and a writer replica whose updates are collected. */
async function session(storage: SqliteStorage, id = 'sess1') {
	const doc = createBoardDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	await storage.createSession(
		{ id, title: 'Ilta', code: `C${id}`, createdAt: 1 },
		{
			id: 'p1',
			sessionId: id,
			name: 'Aino',
			industry: 'leipomo',
			role: 'facilitator',
			joinedAt: 1,
			proxy: false
		},
		Buffer.alloc(32, id),
		{ data: Y.encodeStateAsUpdate(createBoardDoc()), participantId: '@server' },
		7
	);
	return { doc, updates };
}

function loaded(stored: Awaited<ReturnType<SqliteStorage['loadDocument']>>): Y.Doc {
	const doc = createBoardDoc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const u of stored.updates) Y.applyUpdate(doc, u);
	return doc;
}

describe('update log records', () => {
	const batch = {
		firstSeq: 41,
		clients: [[12345, 'p1'] as [number, string]],
		updates: [new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(9)]
	};

	test('round-trip, several records in a row', () => {
		const two = Buffer.concat([encodeBatch(batch), encodeBatch({ ...batch, firstSeq: 43 })]);
		const { batches, bytes } = decodeLog(two);
		expect(bytes).toBe(two.length);
		expect(batches).toEqual([batch, { ...batch, firstSeq: 43 }]);
	});

	test('a torn or corrupt tail ends the log at the last whole record', () => {
		const whole = encodeBatch(batch);
		const next = encodeBatch({ ...batch, firstSeq: 43 });
		for (let cut = 1; cut < next.length; cut += 37) {
			const torn = Buffer.concat([whole, next.subarray(0, cut)]);
			expect(decodeLog(torn)).toEqual({ batches: [batch], bytes: whole.length });
		}
		const flipped = Buffer.concat([whole, next]);
		flipped[whole.length + 20]! ^= 0xff;
		expect(decodeLog(flipped)).toEqual({ batches: [batch], bytes: whole.length });
	});

	test('reading cuts a torn tail off the file, so the next append follows whole records', () => {
		const log = new UpdateLog(tempDir());
		log.append('s/desk/p', batch);
		fs.appendFileSync(log.fileOf('s/desk/p'), Buffer.from([200, 0, 0, 0, 1, 2]));
		expect(log.read('s/desk/p').batches).toEqual([batch]);
		log.append('s/desk/p', { ...batch, firstSeq: 43 });
		expect(log.read('s/desk/p').batches).toEqual([batch, { ...batch, firstSeq: 43 }]);
		log.close();
	});

	test('dropUpTo keeps only what a snapshot does not cover', () => {
		const log = new UpdateLog(tempDir());
		log.append('d', { ...batch, firstSeq: 1 });
		log.append('d', { ...batch, firstSeq: 3 });
		log.dropUpTo('d', 2);
		expect(log.read('d').batches.map((b) => b.firstSeq)).toEqual([3]);
		log.dropUpTo('d', 4);
		expect(fs.existsSync(log.fileOf('d'))).toBe(false);
		expect(log.documents()).toEqual([]);
		log.close();
		// A rewrite a crash interrupted leaves a temporary file: removed at the next start.
		fs.writeFileSync(`${log.fileOf('d')}.tmp`, 'x');
		new UpdateLog(log.dir).close();
		expect(fs.readdirSync(log.dir)).toEqual([]);
	});
});

describe('SqliteStorage with update logs', () => {
	test('appends go to the log, not to SQLite pages; a reopened storage loads them', async () => {
		const dir = tempDir();
		const first = storageIn(dir);
		const { doc, updates } = await session(first);
		for (let i = 0; i < 30; i++) addIdea(doc, author, `Idea ${i}`);
		for (const u of updates) {
			await first.appendUpdates('sess1', [{ data: u, participantId: 'p1' }], new Map());
		}
		await first.appendUpdates('sess1', [], new Map([[doc.clientID, 'p1']]));
		const count = (sql: string) => (first.db.prepare(sql).get() as { n: number }).n;
		// Only the session's first update (stored with the session row) is in the table.
		expect(count('SELECT count(*) AS n FROM doc_updates')).toBe(1);
		const logSize = fs.statSync(first.logs.fileOf('sess1')).size;
		const logical = updates.reduce((n, u) => n + u.length, 0);
		expect(logSize).toBeLessThan(logical * 1.25);

		// Not closed: like a process that died (the writes reached the OS).
		const second = storageIn(dir);
		const stored = await second.loadDocument('sess1');
		// The session's first update (seq 1) and 30 ideas; a batch of bindings only takes no number.
		expect(stored.lastSeq).toBe(31);
		expect(stored.updates).toHaveLength(31);
		expect(stored.clientOwners.get(doc.clientID)).toBe('p1');
		expect(stored.clientOwners.get(7)).toBe('@server');
		expect(listIdeas(loaded(stored))).toEqual(listIdeas(doc));
		// Sequence numbers continue after a reload.
		expect(
			await second.appendUpdates('sess1', [{ data: updates[0]!, participantId: 'p1' }], new Map())
		).toBe(32);
	});

	test('compaction stores the snapshot and the log’s client bindings, then drops the log', async () => {
		const dir = tempDir();
		const storage = storageIn(dir);
		const { doc, updates } = await session(storage);
		addIdea(doc, author, 'Kahvila ja kirjakauppa yhdessä');
		const seq = await storage.appendUpdates(
			'sess1',
			updates.map((data) => ({ data, participantId: 'p1' })),
			new Map([[doc.clientID, 'p1']])
		);
		await storage.compact('sess1', Y.encodeStateAsUpdate(doc), seq);
		expect(fs.existsSync(storage.logs.fileOf('sess1'))).toBe(false);
		const stored = await storageIn(dir).loadDocument('sess1');
		expect(stored.updates).toEqual([]);
		expect(stored.snapshot).not.toBeNull();
		expect(stored.clientOwners.get(doc.clientID)).toBe('p1');
		expect(listIdeas(loaded(stored)).map((i) => i.text)).toEqual([
			'Kahvila ja kirjakauppa yhdessä'
		]);
	});

	test('compaction stores every binding in the log, however the log became known', async () => {
		const dir = tempDir();
		const { doc, updates } = await session(storageIn(dir));
		addIdea(doc, author, 'A');
		const one = (data: Uint8Array) => [{ data, participantId: 'p1' }];
		// Written by an earlier process: this one has not read the log yet.
		await storageIn(dir).appendUpdates('sess1', one(updates[0]!), new Map([[101, 'p1']]));
		// Appending reads the log first (for the next sequence number).
		const appended = storageIn(dir);
		const seq = await appended.appendUpdates('sess1', one(updates[0]!), new Map([[102, 'p2']]));
		await appended.compact('sess1', Y.encodeStateAsUpdate(doc), seq);
		expect(fs.existsSync(appended.logs.fileOf('sess1'))).toBe(false);
		// Not read at all before compacting; and a compaction that leaves part of the log.
		await storageIn(dir).appendUpdates('sess1', one(updates[0]!), new Map([[103, 'p3']]));
		const upto = await storageIn(dir).appendUpdates('sess1', one(updates[0]!), new Map());
		const partial = storageIn(dir);
		await partial.compact('sess1', Y.encodeStateAsUpdate(doc), upto - 1);
		await partial.appendUpdates('sess1', one(updates[0]!), new Map([[104, 'p4']]));
		await partial.compact('sess1', Y.encodeStateAsUpdate(doc), upto + 1);
		const owners = (await storageIn(dir).loadDocument('sess1')).clientOwners;
		expect([101, 102, 103, 104].map((c) => owners.get(c))).toEqual(['p1', 'p2', 'p3', 'p4']);
	});

	test('log entries a snapshot covers are skipped (crash between snapshot and log drop)', async () => {
		const dir = tempDir();
		const storage = storageIn(dir);
		const { doc, updates } = await session(storage);
		addIdea(doc, author, 'A');
		const seq = await storage.appendUpdates(
			'sess1',
			updates.splice(0).map((data) => ({ data, participantId: 'p1' })),
			new Map()
		);
		const logBefore = fs.readFileSync(storage.logs.fileOf('sess1'));
		await storage.compact('sess1', Y.encodeStateAsUpdate(doc), seq);
		fs.writeFileSync(storage.logs.fileOf('sess1'), logBefore);
		addIdea(doc, author, 'B');
		const reopened = storageIn(dir);
		await reopened.loadDocument('sess1');
		await reopened.appendUpdates('sess1', [{ data: updates[0]!, participantId: 'p1' }], new Map());
		const stored = await storageIn(dir).loadDocument('sess1');
		expect(stored.updates).toHaveLength(1);
		expect(
			listIdeas(loaded(stored))
				.map((i) => i.text)
				.sort()
		).toEqual(['A', 'B']);
	});

	test('deleting a document or a group removes its logs; orphans are removed at start', async () => {
		const dir = tempDir();
		const storage = storageIn(dir);
		const groups = new SqliteGroupStorage(storage.db, (ids) => storage.removeLogs(ids));
		await session(storage);
		const desk = 'sess1/desk/p1';
		await storage.appendUpdates(
			desk,
			[{ data: new Uint8Array([0, 0]), participantId: 'p1' }],
			new Map()
		);
		expect(fs.existsSync(storage.logs.fileOf(desk))).toBe(true);
		await groups.deleteDocument(desk);
		expect(fs.existsSync(storage.logs.fileOf(desk))).toBe(false);

		await storage.appendUpdates(
			'sess1',
			[{ data: new Uint8Array([0, 0]), participantId: 'p1' }],
			new Map()
		);
		// A crash after the rows were deleted, before the file was.
		storage.db.prepare('DELETE FROM sessions').run();
		expect(storage.logs.documents()).toEqual(['sess1']);
		expect(storageIn(dir).logs.documents()).toEqual([]);
	});
});

describe('compaction policy', () => {
	const policy = { ratio: 1.5, minBytes: 1000, maxEntries: 100, quietMs: 250, urgentFactor: 4 };
	test('a log is due once it outgrows ratio × the snapshot, never below minBytes', () => {
		expect(compactionDue(policy, 10, 999, 0)).toBe(false);
		expect(compactionDue(policy, 10, 1000, 0)).toBe(true);
		expect(compactionDue(policy, 10, 1400, 1000)).toBe(false);
		expect(compactionDue(policy, 10, 1500, 1000)).toBe(true);
	});
	test('or once it holds maxEntries updates, however small', () => {
		expect(compactionDue(policy, 100, 10, 1_000_000)).toBe(true);
	});
	test('a due compaction is urgent at urgentFactor × its due size, at maxEntries, or without a quiet wait', () => {
		expect(compactionUrgent(policy, 10, 3999, 0)).toBe(false);
		expect(compactionUrgent(policy, 10, 4000, 0)).toBe(true);
		expect(compactionUrgent(policy, 10, 5999, 1000)).toBe(false);
		expect(compactionUrgent(policy, 10, 6000, 1000)).toBe(true);
		expect(compactionUrgent(policy, 100, 10, 0)).toBe(true);
		expect(compactionUrgent({ ...policy, quietMs: 0 }, 10, 1000, 0)).toBe(true);
	});
});
