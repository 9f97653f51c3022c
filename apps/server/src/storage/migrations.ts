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
	},
	{
		version: 2,
		name: 'groups, members and their devices, group sessions, guests, closed sessions',
		sql: `
			CREATE TABLE groups (
				id TEXT PRIMARY KEY,
				name TEXT NOT NULL,
				place TEXT NOT NULL,
				language TEXT NOT NULL CHECK (language IN ('fi', 'en')),
				created_at INTEGER NOT NULL,
				-- Capability links: only SHA-256 hashes of their secrets are stored.
				facilitator_link_hash BLOB NOT NULL UNIQUE,
				invite_link_hash BLOB NOT NULL UNIQUE
			);
			CREATE TABLE group_members (
				id TEXT PRIMARY KEY,
				group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
				name TEXT NOT NULL,
				industry TEXT NOT NULL,
				role TEXT NOT NULL CHECK (role IN ('facilitator', 'member')),
				-- Where a facilitator role came from: the group's creator, the facilitator
				-- link (withdrawn when that link is rotated) or a promotion.
				role_source TEXT CHECK (role_source IN ('creator', 'link', 'promoted')),
				joined_at INTEGER NOT NULL,
				personal_link_hash BLOB UNIQUE
			);
			CREATE INDEX group_members_group ON group_members(group_id);
			-- One row per device that holds a member cookie (token hash only).
			CREATE TABLE member_devices (
				token_hash BLOB PRIMARY KEY,
				member_id TEXT NOT NULL REFERENCES group_members(id) ON DELETE CASCADE,
				created_at INTEGER NOT NULL
			) WITHOUT ROWID;
			CREATE INDEX member_devices_member ON member_devices(member_id);
			-- Written before the session itself, so a session is never, even for a
			-- moment, an ad-hoc session that its bare link would let anyone join.
			CREATE TABLE group_sessions (
				session_id TEXT PRIMARY KEY,
				group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
				guest_link_hash BLOB UNIQUE,
				created_at INTEGER NOT NULL
			);
			CREATE INDEX group_sessions_group ON group_sessions(group_id, created_at);
			-- A member's participant in a group session (created when they first open it).
			CREATE TABLE session_members (
				session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
				member_id TEXT NOT NULL REFERENCES group_members(id) ON DELETE CASCADE,
				participant_id TEXT NOT NULL UNIQUE,
				PRIMARY KEY (session_id, member_id)
			) WITHOUT ROWID;
			CREATE INDEX session_members_member ON session_members(member_id);
			-- Guests of a group session and how they were admitted.
			CREATE TABLE session_guests (
				participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
				session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
				via TEXT NOT NULL CHECK (via IN ('link', 'code'))
			) WITHOUT ROWID;
			CREATE INDEX session_guests_session ON session_guests(session_id);
			-- Closed sessions: read-only from then on; the summary is JSON.
			CREATE TABLE session_closures (
				session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
				closed_at INTEGER NOT NULL,
				summary TEXT NOT NULL,
				search_text TEXT NOT NULL
			);
			-- Archive edits still owed to a member who left (resumed after a crash).
			CREATE TABLE pending_forgets (
				session_id TEXT NOT NULL,
				participant_id TEXT NOT NULL,
				mode TEXT NOT NULL CHECK (mode IN ('delete', 'anonymise')),
				PRIMARY KEY (session_id, participant_id)
			) WITHOUT ROWID;
		`
	}
];
