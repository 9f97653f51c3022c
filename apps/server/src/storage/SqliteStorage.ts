import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import { UpdateLog } from './UpdateLog.js';
import {
	sessionOfDoc,
	type LoggedUpdate,
	type ParticipantRecord,
	type SessionRecord,
	type Storage,
	type StoredDocument
} from './Storage.js';

interface ParticipantRow {
	id: string;
	session_id: string;
	name: string;
	industry: string;
	role: 'facilitator' | 'participant';
	joined_at: number;
	proxy: number;
}

interface SessionRow {
	id: string;
	title: string;
	code: string;
	created_at: number;
}

const toSession = (row: SessionRow): SessionRecord => ({
	id: row.id,
	title: row.title,
	code: row.code,
	createdAt: row.created_at
});

const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
	id: row.id,
	sessionId: row.session_id,
	name: row.name,
	industry: row.industry,
	role: row.role,
	joinedAt: row.joined_at,
	proxy: row.proxy === 1
});

const bytes = (buf: Buffer): Uint8Array =>
	new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

/**
 * The embedded default: one SQLite file in WAL mode for sessions,
 * participants, snapshots and client bindings, and an append-only log file
 * per document (`logs/` beside it) for the updates since the document's
 * snapshot (see UpdateLog.ts for why). Everything is synchronous, so every
 * method has finished its work (and, with `synchronous = NORMAL` in WAL mode
 * and a returned `write(2)` for logs, survives a process crash) when its
 * promise is created.
 *
 * Updates of databases written before the logs existed (and a new session's
 * first update, stored with the session row) are in the `doc_updates` table;
 * a document is its snapshot, then those rows, then its log, by sequence.
 */
export class SqliteStorage implements Storage {
	readonly db: Database.Database;
	readonly logs: UpdateLog;
	private readonly lastSeq = new Map<string, number>();
	/**
	 * The client bindings in a document's log, while all of them are known
	 * (the log was read, or began empty in this process): a compaction then
	 * stores them and drops the log without reading it again. Reading and
	 * decoding a 1 MB log twice was ~30 of a compaction's ~80 ms.
	 */
	private readonly logClients = new Map<string, [clientId: number, participantId: string][]>();
	private readonly stmt;

	constructor(file: string) {
		if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
		this.logs = new UpdateLog(
			file === ':memory:'
				? fs.mkdtempSync(path.join(os.tmpdir(), 'kipina-logs-'))
				: path.join(path.dirname(file), 'logs')
		);
		this.db = new Database(file);
		this.db.pragma('journal_mode = WAL');
		this.db.pragma('synchronous = NORMAL');
		this.db.pragma('foreign_keys = ON');
		this.db.pragma('busy_timeout = 1000');
		this.migrate();
		const db = this.db;
		this.stmt = {
			insertSession: db.prepare(
				'INSERT INTO sessions (id, title, code, created_at) VALUES (?, ?, ?, ?)'
			),
			getSession: db.prepare('SELECT id, title, code, created_at FROM sessions WHERE id = ?'),
			sessionByCode: db.prepare('SELECT id, title, code, created_at FROM sessions WHERE code = ?'),
			insertParticipant: db.prepare(
				`INSERT INTO participants (id, session_id, name, industry, role, token_hash, joined_at, proxy)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			),
			participantByToken: db.prepare(
				`SELECT id, session_id, name, industry, role, joined_at, proxy FROM participants
				 WHERE session_id = ? AND token_hash = ?`
			),
			participantById: db.prepare(
				`SELECT id, session_id, name, industry, role, joined_at, proxy FROM participants
				 WHERE session_id = ? AND id = ?`
			),
			insertDoc: db.prepare('INSERT OR IGNORE INTO docs (id, session_id) VALUES (?, ?)'),
			docsOfSession: db.prepare('SELECT id FROM docs WHERE session_id = ? ORDER BY id'),
			snapshot: db.prepare('SELECT data, upto_seq FROM doc_snapshots WHERE doc_id = ?'),
			updatesAfter: db.prepare(
				'SELECT seq, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq'
			),
			maxSeq: db.prepare(
				`SELECT max(
					coalesce((SELECT max(seq) FROM doc_updates WHERE doc_id = @id), 0),
					coalesce((SELECT upto_seq FROM doc_snapshots WHERE doc_id = @id), 0)
				) AS seq`
			),
			insertUpdate: db.prepare(
				`INSERT INTO doc_updates (doc_id, seq, data, participant_id, created_at)
				 VALUES (?, ?, ?, ?, ?)`
			),
			clients: db.prepare('SELECT client_id, participant_id FROM doc_clients WHERE doc_id = ?'),
			insertClient: db.prepare(
				'INSERT OR IGNORE INTO doc_clients (doc_id, client_id, participant_id) VALUES (?, ?, ?)'
			),
			upsertSnapshot: db.prepare(
				`INSERT INTO doc_snapshots (doc_id, data, upto_seq, updated_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data,
				 upto_seq = excluded.upto_seq, updated_at = excluded.updated_at`
			),
			deleteUpdatesUpTo: db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?'),
			docExists: db.prepare('SELECT 1 FROM docs WHERE id = ?')
		};
		this.removeOrphanLogs();
	}

	/**
	 * Logs whose document row is gone (deleted with its session or group by a
	 * process that crashed before it removed the file). A log is only ever
	 * written after its document row, so this never removes a live one.
	 */
	private removeOrphanLogs(): void {
		for (const docId of this.logs.documents()) {
			if (!this.stmt.docExists.get(docId)) this.logs.remove(docId);
		}
	}

	/** Removes the log files of deleted documents (their rows are gone already). */
	removeLogs(docIds: Iterable<string>): void {
		for (const docId of docIds) {
			this.logs.remove(docId);
			this.lastSeq.delete(docId);
			this.logClients.delete(docId);
		}
	}

	private migrate(): void {
		this.db.exec(
			'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)'
		);
		const applied = new Set(
			this.db
				.prepare('SELECT version FROM schema_migrations')
				.all()
				.map((r) => (r as { version: number }).version)
		);
		for (const m of MIGRATIONS) {
			if (applied.has(m.version)) continue;
			this.db.transaction(() => {
				this.db.exec(m.sql);
				this.db
					.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
					.run(m.version, m.name, Date.now());
			})();
		}
	}

	/** Highest applied migration version. */
	schemaVersion(): number {
		const row = this.db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as {
			v: number | null;
		};
		return row.v ?? 0;
	}

	async createSession(
		session: SessionRecord,
		facilitator: ParticipantRecord,
		tokenHash: Buffer,
		initialUpdate: LoggedUpdate,
		serverClientId: number
	): Promise<void> {
		this.db.transaction(() => {
			this.stmt.insertSession.run(session.id, session.title, session.code, session.createdAt);
			this.stmt.insertDoc.run(session.id, session.id);
			this.insertParticipant(facilitator, tokenHash);
			this.stmt.insertClient.run(session.id, serverClientId, initialUpdate.participantId);
			this.stmt.insertUpdate.run(
				session.id,
				1,
				initialUpdate.data,
				initialUpdate.participantId,
				Date.now()
			);
		})();
		this.lastSeq.set(session.id, 1);
		this.logClients.set(session.id, []);
	}

	async getSession(id: string): Promise<SessionRecord | undefined> {
		const row = this.stmt.getSession.get(id) as SessionRow | undefined;
		return row && toSession(row);
	}

	async getSessionByCode(code: string): Promise<SessionRecord | undefined> {
		const row = this.stmt.sessionByCode.get(code) as SessionRow | undefined;
		return row && toSession(row);
	}

	async getParticipant(
		sessionId: string,
		participantId: string
	): Promise<ParticipantRecord | undefined> {
		const row = this.stmt.participantById.get(sessionId, participantId) as
			ParticipantRow | undefined;
		return row && toParticipant(row);
	}

	async listDocuments(sessionId: string): Promise<string[]> {
		return (this.stmt.docsOfSession.all(sessionId) as { id: string }[]).map((r) => r.id);
	}

	private insertParticipant(p: ParticipantRecord, tokenHash: Buffer): void {
		this.stmt.insertParticipant.run(
			p.id,
			p.sessionId,
			p.name,
			p.industry,
			p.role,
			tokenHash,
			p.joinedAt,
			p.proxy ? 1 : 0
		);
	}

	async addParticipant(participant: ParticipantRecord, tokenHash: Buffer): Promise<void> {
		this.insertParticipant(participant, tokenHash);
	}

	async findParticipantByToken(
		sessionId: string,
		tokenHash: Buffer
	): Promise<ParticipantRecord | undefined> {
		const row = this.stmt.participantByToken.get(sessionId, tokenHash) as
			ParticipantRow | undefined;
		return row && toParticipant(row);
	}

	async loadDocument(docId: string): Promise<StoredDocument> {
		const { snap, rows, clientOwners } = this.db.transaction(() => ({
			snap: this.stmt.snapshot.get(docId) as { data: Buffer; upto_seq: number } | undefined,
			rows: this.stmt.updatesAfter.all(docId, 0) as { seq: number; data: Buffer }[],
			clientOwners: new Map(
				(this.stmt.clients.all(docId) as { client_id: number; participant_id: string }[]).map(
					(r) => [r.client_id, r.participant_id]
				)
			)
		}))();
		const uptoSeq = snap?.upto_seq ?? 0;
		const updates: { seq: number; data: Uint8Array }[] = rows
			.filter((r) => r.seq > uptoSeq)
			.map((r) => ({ seq: r.seq, data: bytes(r.data) }));
		let lastSeq = Math.max(uptoSeq, rows.at(-1)?.seq ?? 0);
		const logged = this.logs.read(docId).batches;
		this.logClients.set(
			docId,
			logged.flatMap((b) => b.clients)
		);
		for (const batch of logged) {
			for (const [clientId, participantId] of batch.clients) {
				if (!clientOwners.has(clientId)) clientOwners.set(clientId, participantId);
			}
			batch.updates.forEach((data, i) => {
				const seq = batch.firstSeq + i;
				if (seq > uptoSeq) updates.push({ seq, data });
				lastSeq = Math.max(lastSeq, seq);
			});
		}
		updates.sort((a, b) => a.seq - b.seq);
		this.lastSeq.set(docId, lastSeq);
		return {
			snapshot: snap ? bytes(snap.data) : null,
			updates: updates.map((u) => u.data),
			logBytes: updates.reduce((sum, u) => sum + u.data.length, 0),
			lastSeq,
			clientOwners
		};
	}

	private nextSeq(docId: string): number {
		let last = this.lastSeq.get(docId);
		if (last === undefined) {
			last = (this.stmt.maxSeq.get({ id: docId }) as { seq: number }).seq;
			const logged = this.logs.read(docId).batches;
			for (const b of logged) last = Math.max(last, b.firstSeq + b.updates.length - 1);
			this.logClients.set(
				docId,
				logged.flatMap((b) => b.clients)
			);
		}
		return last + 1;
	}

	async appendUpdates(
		docId: string,
		updates: LoggedUpdate[],
		newClients: ReadonlyMap<number, string>
	): Promise<number> {
		const first = this.nextSeq(docId);
		// The document row comes first: a log without one is an orphan (see removeOrphanLogs).
		if (first === 1) this.stmt.insertDoc.run(docId, sessionOfDoc(docId));
		const clients = [...newClients];
		this.logs.append(docId, { firstSeq: first, clients, updates: updates.map((u) => u.data) });
		this.logClients.get(docId)?.push(...clients);
		const last = first + updates.length - 1;
		this.lastSeq.set(docId, last);
		return last;
	}

	/**
	 * Stores the snapshot (with the client bindings the log held) in one
	 * transaction, then drops what it covers from the log. A crash between
	 * the two leaves log entries the snapshot covers; loading skips them.
	 */
	async compact(docId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		const known = this.logClients.get(docId);
		// The snapshot covers the whole log, whose bindings are all known: no need to read it.
		const whole = known !== undefined && uptoSeq === this.lastSeq.get(docId);
		const clients = whole ? known : this.logs.read(docId).batches.flatMap((b) => b.clients);
		this.db.transaction(() => {
			this.stmt.insertDoc.run(docId, sessionOfDoc(docId));
			for (const [clientId, participantId] of clients) {
				this.stmt.insertClient.run(docId, clientId, participantId);
			}
			this.stmt.upsertSnapshot.run(docId, snapshot, uptoSeq, Date.now());
			this.stmt.deleteUpdatesUpTo.run(docId, uptoSeq);
		})();
		if (whole) {
			this.logs.remove(docId);
			this.logClients.set(docId, []);
		} else {
			this.logs.dropUpTo(docId, uptoSeq);
			this.logClients.delete(docId);
		}
	}

	release(docId: string): void {
		this.lastSeq.delete(docId);
		this.logClients.delete(docId);
		this.logs.release(docId);
	}

	async close(): Promise<void> {
		this.lastSeq.clear();
		this.logClients.clear();
		this.logs.close();
		if (this.db.open) {
			this.db.pragma('wal_checkpoint(TRUNCATE)');
			this.db.close();
		}
	}
}
