import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
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
 * The embedded default: one SQLite file in WAL mode. better-sqlite3 is
 * synchronous, so every method has finished its work (and, with
 * `synchronous = NORMAL` in WAL mode, survives a process crash) when its
 * promise is created.
 */
export class SqliteStorage implements Storage {
	readonly db: Database.Database;
	private readonly lastSeq = new Map<string, number>();
	private readonly stmt;

	constructor(file: string) {
		if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
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
					coalesce((SELECT max(seq) FROM doc_updates WHERE doc_id = ?1), 0),
					coalesce((SELECT upto_seq FROM doc_snapshots WHERE doc_id = ?1), 0)
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
			deleteUpdatesUpTo: db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?')
		};
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
		return this.db.transaction(() => {
			const snap = this.stmt.snapshot.get(docId) as { data: Buffer; upto_seq: number } | undefined;
			const uptoSeq = snap?.upto_seq ?? 0;
			const rows = this.stmt.updatesAfter.all(docId, uptoSeq) as {
				seq: number;
				data: Buffer;
			}[];
			const clientOwners = new Map<number, string>();
			for (const r of this.stmt.clients.all(docId) as {
				client_id: number;
				participant_id: string;
			}[]) {
				clientOwners.set(r.client_id, r.participant_id);
			}
			const lastSeq = rows.length > 0 ? rows[rows.length - 1]!.seq : uptoSeq;
			this.lastSeq.set(docId, lastSeq);
			return {
				snapshot: snap ? bytes(snap.data) : null,
				updates: rows.map((r) => bytes(r.data)),
				lastSeq,
				clientOwners
			};
		})();
	}

	private nextSeq(docId: string): number {
		let last = this.lastSeq.get(docId);
		if (last === undefined) {
			last = (this.stmt.maxSeq.get(docId) as { seq: number }).seq;
		}
		return last + 1;
	}

	async appendUpdates(
		docId: string,
		updates: LoggedUpdate[],
		newClients: ReadonlyMap<number, string>
	): Promise<number> {
		const first = this.nextSeq(docId);
		let seq = first - 1;
		const now = Date.now();
		this.db.transaction(() => {
			if (first === 1) this.stmt.insertDoc.run(docId, sessionOfDoc(docId));
			for (const [clientId, participantId] of newClients) {
				this.stmt.insertClient.run(docId, clientId, participantId);
			}
			for (const u of updates) {
				seq += 1;
				this.stmt.insertUpdate.run(docId, seq, u.data, u.participantId, now);
			}
		})();
		this.lastSeq.set(docId, seq);
		return seq;
	}

	async compact(docId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		this.db.transaction(() => {
			this.stmt.insertDoc.run(docId, sessionOfDoc(docId));
			this.stmt.upsertSnapshot.run(docId, snapshot, uptoSeq, Date.now());
			this.stmt.deleteUpdatesUpTo.run(docId, uptoSeq);
		})();
	}

	async close(): Promise<void> {
		this.lastSeq.clear();
		if (this.db.open) {
			this.db.pragma('wal_checkpoint(TRUNCATE)');
			this.db.close();
		}
	}
}
