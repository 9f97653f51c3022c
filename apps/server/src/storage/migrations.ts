/**
 * Versioned SQLite schema migrations, run in order at start. Never edit a
 * released migration; add a new one.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
	{
		version: 1,
		name: 'sessions, participants, document log',
		sql: `
			CREATE TABLE sessions (
				id TEXT PRIMARY KEY,
				title TEXT NOT NULL,
				code TEXT NOT NULL UNIQUE,
				created_at INTEGER NOT NULL
			);
			CREATE TABLE participants (
				id TEXT PRIMARY KEY,
				session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
				name TEXT NOT NULL,
				industry TEXT NOT NULL,
				role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant')),
				token_hash BLOB NOT NULL UNIQUE,
				joined_at INTEGER NOT NULL,
				proxy INTEGER NOT NULL DEFAULT 0
			);
			CREATE INDEX participants_session ON participants(session_id);
			-- Documents: a session's board (doc_id = session id) and each
			-- participant's private desk (doc_id = '<session>/desk/<participant>').
			CREATE TABLE docs (
				id TEXT PRIMARY KEY,
				session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE
			);
			CREATE INDEX docs_session ON docs(session_id);
			CREATE TABLE doc_updates (
				doc_id TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
				seq INTEGER NOT NULL,
				data BLOB NOT NULL,
				participant_id TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				PRIMARY KEY (doc_id, seq)
			) WITHOUT ROWID;
			CREATE TABLE doc_snapshots (
				doc_id TEXT PRIMARY KEY REFERENCES docs(id) ON DELETE CASCADE,
				data BLOB NOT NULL,
				upto_seq INTEGER NOT NULL,
				updated_at INTEGER NOT NULL
			);
			CREATE TABLE doc_clients (
				doc_id TEXT NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
				client_id INTEGER NOT NULL,
				participant_id TEXT NOT NULL,
				PRIMARY KEY (doc_id, client_id)
			) WITHOUT ROWID;
		`
	}
];
