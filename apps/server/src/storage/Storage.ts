import type { Role } from '@kipina/board';

export interface SessionRecord {
	id: string;
	title: string;
	/** Short code typed at /join (unique). */
	code: string;
	createdAt: number;
}

export interface ParticipantRecord {
	id: string;
	sessionId: string;
	name: string;
	industry: string;
	role: Role;
	joinedAt: number;
	/** Added by the facilitator for someone without a device. */
	proxy: boolean;
}

/**
 * Documents are named: a session's board is `<sessionId>`, a participant's
 * private desk `<sessionId>/desk/<participantId>`.
 */
export function sessionOfDoc(docId: string): string {
	const slash = docId.indexOf('/');
	return slash < 0 ? docId : docId.slice(0, slash);
}

export function deskDocId(sessionId: string, participantId: string): string {
	return `${sessionId}/desk/${participantId}`;
}

/** One accepted update, as appended to a document's log. */
export interface LoggedUpdate {
	data: Uint8Array;
	/** Who sent it ('@server' for server-side edits). */
	participantId: string;
}

export interface StoredDocument {
	/** The latest compacted state, or null before the first compaction. */
	snapshot: Uint8Array | null;
	/** Updates appended after the snapshot, oldest first. */
	updates: Uint8Array[];
	/** Sequence number of the last update covered by snapshot + updates (0 when empty). */
	lastSeq: number;
	/** Yjs client id → participant id ('@server' for the server's own edits). */
	clientOwners: Map<number, string>;
}

/**
 * Everything the server persists. Async so that a networked database
 * (PostgreSQL) can stand in for the embedded SQLite default.
 *
 * Durability contract: when `appendUpdates` resolves, the updates survive a
 * process crash. Nothing is broadcast or acknowledged before that.
 */
export interface Storage {
	createSession(
		session: SessionRecord,
		facilitator: ParticipantRecord,
		tokenHash: Buffer,
		initialUpdate: LoggedUpdate,
		serverClientId: number
	): Promise<void>;
	getSession(id: string): Promise<SessionRecord | undefined>;
	getSessionByCode(code: string): Promise<SessionRecord | undefined>;
	addParticipant(participant: ParticipantRecord, tokenHash: Buffer): Promise<void>;
	getParticipant(sessionId: string, participantId: string): Promise<ParticipantRecord | undefined>;
	findParticipantByToken(
		sessionId: string,
		tokenHash: Buffer
	): Promise<ParticipantRecord | undefined>;

	/** Ids of the session's stored documents (its board and its participants' desks). */
	listDocuments(sessionId: string): Promise<string[]>;
	loadDocument(docId: string): Promise<StoredDocument>;
	/**
	 * Appends accepted updates to the document's log in one transaction,
	 * together with the client ids they bind for the first time. Returns the
	 * sequence number of the last one.
	 */
	appendUpdates(
		docId: string,
		updates: LoggedUpdate[],
		newClients: ReadonlyMap<number, string>
	): Promise<number>;
	/** Replaces log entries up to `uptoSeq` by `snapshot`, atomically. */
	compact(docId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;

	close(): Promise<void>;
}
