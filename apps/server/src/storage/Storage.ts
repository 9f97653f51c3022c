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
	/** Total bytes of `updates`. */
	logBytes: number;
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
	/** The document's room was unloaded: drop what is kept in memory for it (not its data). */
	release(docId: string): void;

	close(): Promise<void>;
}

// --- groups -----------------------------------------------------------------

export type GroupLanguage = 'fi' | 'en';
export type GroupRole = 'facilitator' | 'member';
/** Where a member's facilitator role came from (null for plain members). */
export type RoleSource = 'creator' | 'link' | 'promoted';
export type LinkKind = 'facilitator' | 'invite';
export type ForgetMode = 'delete' | 'anonymise';

export interface GroupRecord {
	id: string;
	name: string;
	place: string;
	language: GroupLanguage;
	createdAt: number;
}

export interface MemberRecord {
	id: string;
	groupId: string;
	name: string;
	industry: string;
	role: GroupRole;
	roleSource: RoleSource | null;
	joinedAt: number;
}

/** A session of a group, with its closure (if closed). */
export interface GroupSessionRecord {
	sessionId: string;
	groupId: string;
	title: string;
	createdAt: number;
	closedAt: number | null;
}

export interface ClosureRecord {
	sessionId: string;
	closedAt: number;
	/** JSON of the board's `SessionSummary`. */
	summary: string;
}

export interface ArchivedSession extends ClosureRecord {
	title: string;
	createdAt: number;
}

export interface PendingForget {
	sessionId: string;
	participantId: string;
	mode: ForgetMode;
}

/**
 * Groups, their members and devices, and what ties sessions to groups.
 * Secrets (links, device tokens) are passed and stored as SHA-256 hashes only.
 * Kept apart from `Storage` so the document log stays a small interface; a
 * PostgreSQL implementation implements both.
 */
export interface GroupStorage {
	createGroup(
		group: GroupRecord,
		links: Record<LinkKind, Buffer>,
		creator: MemberRecord,
		deviceHash: Buffer
	): Promise<void>;
	getGroup(id: string): Promise<GroupRecord | undefined>;
	/** Which of the group's links has this hash, if any. */
	linkKind(groupId: string, hash: Buffer): Promise<LinkKind | undefined>;
	setLink(groupId: string, kind: LinkKind, hash: Buffer): Promise<void>;
	/** Deletes the group and everything of it (sessions, documents, members); returns its session ids. */
	deleteGroup(groupId: string): Promise<string[]>;

	addMember(member: MemberRecord, deviceHash: Buffer): Promise<void>;
	addDevice(memberId: string, deviceHash: Buffer): Promise<void>;
	getMember(groupId: string, memberId: string): Promise<MemberRecord | undefined>;
	memberByDevice(groupId: string, deviceHash: Buffer): Promise<MemberRecord | undefined>;
	memberByPersonalLink(groupId: string, hash: Buffer): Promise<MemberRecord | undefined>;
	setPersonalLink(memberId: string, hash: Buffer): Promise<void>;
	listMembers(groupId: string): Promise<MemberRecord[]>;
	setRole(memberId: string, role: GroupRole, source: RoleSource | null): Promise<void>;
	/** Withdraws facilitator roles that came from the facilitator link (except `keep`'s). */
	demoteLinkFacilitators(groupId: string, keep: string): Promise<MemberRecord[]>;
	/**
	 * Removes a member (devices, personal link, session links) and records, in
	 * the same transaction, the archive edits owed to them.
	 */
	removeMember(memberId: string, mode: ForgetMode): Promise<PendingForget[]>;

	/** Ties a session to its group; called before the session is created. */
	addGroupSession(
		sessionId: string,
		groupId: string,
		guestLinkHash: Buffer,
		createdAt: number
	): Promise<void>;
	/** The group of a session, or undefined for an ad-hoc session. */
	groupOfSession(sessionId: string): Promise<string | undefined>;
	/** The group's sessions, newest first. */
	listGroupSessions(groupId: string): Promise<GroupSessionRecord[]>;
	setGuestLink(sessionId: string, hash: Buffer): Promise<void>;
	guestLinkMatches(sessionId: string, hash: Buffer): Promise<boolean>;

	/** The member's participant in the session, if they have opened it. */
	participantOfMember(sessionId: string, memberId: string): Promise<string | undefined>;
	/** The member a participant belongs to (group sessions), if any. */
	memberOfParticipant(participantId: string): Promise<string | undefined>;
	/** Inserts participants of members (with unused token hashes) and their links. */
	addMemberParticipants(
		entries: { memberId: string; participant: ParticipantRecord; tokenHash: Buffer | null }[]
	): Promise<void>;
	addGuest(participant: ParticipantRecord, tokenHash: Buffer, via: 'link' | 'code'): Promise<void>;
	isGuest(participantId: string): Promise<boolean>;
	/** Invalidates the tokens of guests admitted by link; returns their participant ids. */
	revokeLinkGuests(sessionId: string): Promise<string[]>;
	setParticipantRole(participantId: string, role: ParticipantRecord['role']): Promise<void>;

	getClosure(sessionId: string): Promise<ClosureRecord | undefined>;
	saveClosure(closure: ClosureRecord, searchText: string): Promise<void>;
	/** Closed sessions of a group, newest first, whose text contains `query` (lower case). */
	searchArchive(groupId: string, query: string): Promise<ArchivedSession[]>;

	pendingForgets(): Promise<PendingForget[]>;
	/** Marks an archive edit done and deletes the participant's stored profile. */
	forgetDone(job: PendingForget): Promise<void>;
	/** Deletes a stored document (a left member's private desk). */
	deleteDocument(docId: string): Promise<void>;
}
