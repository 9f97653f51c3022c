import fs from 'node:fs';
import path from 'node:path';
import { addIdea, listIdeas } from '@kipina/board';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import {
	connect,
	createSession,
	isSaved,
	joinSession,
	synced,
	tempDir,
	waitFor,
	type Client,
	type Joined
} from './helpers.js';
import { spawnServer, type ServerProcess } from './process.js';

const running: ServerProcess[] = [];
const clients: Client[] = [];

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	for (const s of running.splice(0)) {
		if (s.child.exitCode === null) {
			s.child.kill('SIGKILL');
			await s.exited;
		}
	}
});

async function start(
	dataDir: string,
	port = 0,
	env: Record<string, string> = {}
): Promise<ServerProcess> {
	const s = await spawnServer({ DATA_DIR: dataDir, PORT: String(port), ...env });
	running.push(s);
	return s;
}

/** The `upto_seq` of every snapshot stored in `dataDir`. */
function snapshots(dataDir: string): { seq: number }[] {
	const db = new Database(path.join(dataDir, 'kipina.sqlite'), { readonly: true });
	try {
		return db.prepare('SELECT upto_seq AS seq FROM doc_snapshots').all() as { seq: number }[];
	} finally {
		db.close();
	}
}

async function kill9(s: ServerProcess): Promise<void> {
	s.child.kill('SIGKILL');
	await s.exited;
}

describe('nothing the server acknowledged is lost', () => {
	test('kill -9 and restart: every acknowledged idea is there, open clients catch up', async () => {
		const dataDir = tempDir();
		const first = await start(dataDir);
		const fac = await createSession(first.url);
		const eve = await joinSession(first.url, fac.sessionId, 'Eve', 'ravintola');
		const a = connect(first.port, fac);
		const e = connect(first.port, eve);
		clients.push(a, e);
		await Promise.all([synced(a), synced(e)]);

		for (let i = 0; i < 50; i++) {
			addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, `Idea A${i}`);
			addIdea(e.doc, { participantId: eve.participantId, industry: eve.industry }, `Idea E${i}`);
		}
		await waitFor(() => isSaved(a) && isSaved(e), 'all 100 ideas acknowledged');
		await kill9(first);

		// Typed while the server is down: kept locally, sent on reconnect.
		await waitFor(() => !a.provider.wsconnected, 'client notices the outage');
		addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Offline idea');
		expect(isSaved(a)).toBe(false);

		const second = await start(dataDir, first.port);
		const fresh = connect(second.port, fac);
		clients.push(fresh);
		await synced(fresh);
		const texts = listIdeas(fresh.doc).map((i) => i.text);
		for (let i = 0; i < 50; i++) {
			expect(texts).toContain(`Idea A${i}`);
			expect(texts).toContain(`Idea E${i}`);
		}

		// The open clients reconnect by themselves and converge, offline idea included.
		await waitFor(() => isSaved(a), 'offline idea acknowledged after restart', 15_000);
		await waitFor(() => listIdeas(e.doc).length === 101, 'Eve catches up', 15_000);
		await waitFor(() => listIdeas(fresh.doc).length === 101, 'fresh client sees it', 15_000);
		expect(listIdeas(e.doc)).toEqual(listIdeas(a.doc));
	});

	test('a graceful stop (SIGTERM) keeps a short log as it is; a restart loads it', async () => {
		const dataDir = tempDir();
		const first = await start(dataDir);
		const fac = await createSession(first.url);
		const a = connect(first.port, fac);
		clients.push(a);
		await synced(a);
		for (let i = 0; i < 20; i++) {
			addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, `Idea ${i}`);
		}
		await waitFor(() => isSaved(a), 'acknowledged');
		a.destroy();
		first.child.kill('SIGTERM');
		expect(await first.exited).toBe(0);
		expect(first.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
		// 20 small updates are far below the compaction threshold: no snapshot rewrite.
		const db = new Database(path.join(dataDir, 'kipina.sqlite'), { readonly: true });
		const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
		expect(count('SELECT count(*) AS n FROM doc_snapshots')).toBe(0);
		db.close();
		expect(fs.readdirSync(path.join(dataDir, 'logs'))).toEqual([
			`${encodeURIComponent(fac.sessionId)}.log`
		]);

		const second = await start(dataDir);
		const b = connect(second.port, fac);
		clients.push(b);
		await synced(b);
		expect(
			listIdeas(b.doc)
				.map((i) => i.text)
				.sort()
		).toEqual(Array.from({ length: 20 }, (_, i) => `Idea ${i}`).sort());
	});

	test('a log that outgrows its snapshot is compacted; kill -9 after it loses nothing', async () => {
		const dataDir = tempDir();
		// Compacting as soon as due (no wait for a quiet moment).
		const first = await start(dataDir, 0, { COMPACT_MIN_BYTES: '2000', COMPACT_QUIET_MS: '0' });
		const fac = await createSession(first.url);
		const a = connect(first.port, fac);
		clients.push(a);
		await synced(a);
		for (let i = 0; i < 60; i++) {
			addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, `Idea ${i}`);
			await waitFor(() => isSaved(a), 'acknowledged');
		}
		// ~60 updates of ~120 B: past 2,000 B at first, then past 1.5 × the snapshot.
		const taken = snapshots(dataDir);
		expect(taken).toHaveLength(1);
		expect(taken[0]!.seq).toBeGreaterThan(10);
		await kill9(first);

		const second = await start(dataDir);
		const b = connect(second.port, fac);
		clients.push(b);
		await synced(b);
		expect(listIdeas(b.doc)).toHaveLength(60);
	});
});

describe('a due compaction waits for a quiet moment', () => {
	/** Posts `count` ideas one by one, each acknowledged before the next (never a pause). */
	async function post(a: Client, fac: Joined, count: number): Promise<void> {
		for (let i = 0; i < count; i++) {
			addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, `Idea ${i}`);
			await waitFor(() => isSaved(a), 'acknowledged');
		}
	}

	/** A server with a 2,000 B due size, and a synced client of a new session on it. */
	async function session(dataDir: string, quietMs: number, urgentFactor: number) {
		const server = await start(dataDir, 0, {
			COMPACT_MIN_BYTES: '2000',
			COMPACT_QUIET_MS: String(quietMs),
			COMPACT_URGENT_FACTOR: String(urgentFactor)
		});
		const fac = await createSession(server.url);
		const a = connect(server.port, fac);
		clients.push(a);
		await synced(a);
		return { server, fac, a };
	}

	test('not while updates keep coming; once they pause, the whole log is compacted', async () => {
		const dataDir = tempDir();
		const { server, fac, a } = await session(dataDir, 1500, 1000);
		// ~40 updates of ~120 B: due after ~17 of them.
		await post(a, fac, 40);
		expect(snapshots(dataDir)).toEqual([]);
		await waitFor(() => snapshots(dataDir).length > 0, 'a snapshot after the pause');
		// The session's creation wrote the first entries; the snapshot covers all of them.
		expect(snapshots(dataDir)).toHaveLength(1);
		expect(snapshots(dataDir)[0]!.seq).toBeGreaterThanOrEqual(40);
		await kill9(server);

		const again = await start(dataDir);
		const b = connect(again.port, fac);
		clients.push(b);
		await synced(b);
		expect(listIdeas(b.doc)).toHaveLength(40);
	});

	test('a log that grows to the urgent size is compacted at once, pause or not', async () => {
		const dataDir = tempDir();
		const { fac, a } = await session(dataDir, 60_000, 2);
		// Past 2 × 2,000 B after ~34 updates.
		await post(a, fac, 50);
		expect(snapshots(dataDir)).toHaveLength(1);
	});
});
