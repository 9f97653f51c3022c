import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
	ArchivedSession,
	ClosureRecord,
	ForgetMode,
	GroupRecord,
	GroupRole,
	GroupSessionRecord,
	GroupStorage,
	LinkKind,
	MemberRecord,
	ParticipantRecord,
	PendingForget,
	RoleSource
} from './Storage.js';

interface GroupRow {
	id: string;
	name: string;
	place: string;
	language: 'fi' | 'en';
	created_at: number;
}

interface MemberRow {
	id: string;
	group_id: string;
	name: string;
	industry: string;
	role: GroupRole;
	role_source: RoleSource | null;
	joined_at: number;
}

const toGroup = (r: GroupRow): GroupRecord => ({
	id: r.id,
	name: r.name,
	place: r.place,
	language: r.language,
	createdAt: r.created_at
});

const toMember = (r: MemberRow): MemberRecord => ({
	id: r.id,
	groupId: r.group_id,
	name: r.name,
	industry: r.industry,
	role: r.role,
	roleSource: r.role_source,
	joinedAt: r.joined_at
});

const MEMBER_COLUMNS = 'id, group_id, name, industry, role, role_source, joined_at';
const LINK_COLUMN: Record<LinkKind, string> = {
	facilitator: 'facilitator_link_hash',
	invite: 'invite_link_hash'
};

/**
 * Groups on the same SQLite database as `SqliteStorage` (its migrations
 * create these tables). Synchronous underneath, like `SqliteStorage`.
 * Deleting documents also removes their update logs (`removeLogs`).
 */
export class SqliteGroupStorage implements GroupStorage {
	private readonly stmt;

	constructor(
		private readonly db: Database.Database,
		private readonly removeLogs: (docIds: string[]) => void = () => {}
	) {
		this.stmt = {
			insertGroup: db.prepare(
				`INSERT INTO groups (id, name, place, language, created_at, facilitator_link_hash, invite_link_hash)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`
			),
			group: db.prepare('SELECT id, name, place, language, created_at FROM groups WHERE id = ?'),
			linkKind: db.prepare(
				`SELECT CASE WHEN facilitator_link_hash = @hash THEN 'facilitator'
				             WHEN invite_link_hash = @hash THEN 'invite' END AS kind
				 FROM groups WHERE id = @id`
			),
			insertMember: db.prepare(
				`INSERT INTO group_members (${MEMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`
			),
			insertDevice: db.prepare(
				'INSERT INTO member_devices (token_hash, member_id, created_at) VALUES (?, ?, ?)'
			),
			member: db.prepare(
				`SELECT ${MEMBER_COLUMNS} FROM group_members WHERE group_id = ? AND id = ?`
			),
			memberByDevice: db.prepare(
				`SELECT m.id, m.group_id, m.name, m.industry, m.role, m.role_source, m.joined_at
				 FROM member_devices d JOIN group_members m ON m.id = d.member_id
				 WHERE d.token_hash = ? AND m.group_id = ?`
			),
			memberByPersonalLink: db.prepare(
				`SELECT ${MEMBER_COLUMNS} FROM group_members WHERE group_id = ? AND personal_link_hash = ?`
			),
			setPersonalLink: db.prepare('UPDATE group_members SET personal_link_hash = ? WHERE id = ?'),
			members: db.prepare(
				`SELECT ${MEMBER_COLUMNS} FROM group_members WHERE group_id = ? ORDER BY joined_at, id`
			),
			setRole: db.prepare('UPDATE group_members SET role = ?, role_source = ? WHERE id = ?'),
			linkFacilitators: db.prepare(
				`SELECT ${MEMBER_COLUMNS} FROM group_members
				 WHERE group_id = ? AND role = 'facilitator' AND role_source = 'link' AND id != ?`
			),
			memberSessions: db.prepare(
				'SELECT session_id, participant_id FROM session_members WHERE member_id = ?'
			),
			deleteMember: db.prepare('DELETE FROM group_members WHERE id = ?'),
			insertForget: db.prepare(
				'INSERT OR IGNORE INTO pending_forgets (session_id, participant_id, mode) VALUES (?, ?, ?)'
			),
			insertGroupSession: db.prepare(
				'INSERT INTO group_sessions (session_id, group_id, guest_link_hash, created_at) VALUES (?, ?, ?, ?)'
			),
			groupOfSession: db.prepare('SELECT group_id FROM group_sessions WHERE session_id = ?'),
			groupSessions: db.prepare(
				`SELECT gs.session_id, gs.group_id, s.title, s.created_at, c.closed_at
				 FROM group_sessions gs
				 JOIN sessions s ON s.id = gs.session_id
				 LEFT JOIN session_closures c ON c.session_id = gs.session_id
				 WHERE gs.group_id = ? ORDER BY s.created_at DESC, gs.session_id`
			),
			sessionsOfGroup: db.prepare('SELECT session_id FROM group_sessions WHERE group_id = ?'),
			docsOfGroup: db.prepare(
				`SELECT d.id FROM docs d JOIN group_sessions g ON g.session_id = d.session_id
				 WHERE g.group_id = ?`
			),
			deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
			deleteGroup: db.prepare('DELETE FROM groups WHERE id = ?'),
			setGuestLink: db.prepare(
				'UPDATE group_sessions SET guest_link_hash = ? WHERE session_id = ?'
			),
			guestLink: db.prepare(
				'SELECT 1 FROM group_sessions WHERE session_id = ? AND guest_link_hash = ?'
			),
			participantOfMember: db.prepare(
				'SELECT participant_id FROM session_members WHERE session_id = ? AND member_id = ?'
			),
			memberOfParticipant: db.prepare(
				'SELECT member_id FROM session_members WHERE participant_id = ?'
			),
			insertParticipant: db.prepare(
				`INSERT INTO participants (id, session_id, name, industry, role, token_hash, joined_at, proxy)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			),
			insertSessionMember: db.prepare(
				'INSERT INTO session_members (session_id, member_id, participant_id) VALUES (?, ?, ?)'
			),
			insertGuest: db.prepare(
				'INSERT INTO session_guests (participant_id, session_id, via) VALUES (?, ?, ?)'
			),
			isGuest: db.prepare('SELECT 1 FROM session_guests WHERE participant_id = ?'),
			linkGuests: db.prepare(
				`SELECT participant_id FROM session_guests WHERE session_id = ? AND via = 'link'`
			),
			setToken: db.prepare('UPDATE participants SET token_hash = ? WHERE id = ?'),
			setParticipantRole: db.prepare('UPDATE participants SET role = ? WHERE id = ?'),
			closure: db.prepare(
				'SELECT session_id, closed_at, summary FROM session_closures WHERE session_id = ?'
			),
			upsertClosure: db.prepare(
				`INSERT INTO session_closures (session_id, closed_at, summary, search_text) VALUES (?, ?, ?, ?)
				 ON CONFLICT (session_id) DO UPDATE SET closed_at = excluded.closed_at,
				 summary = excluded.summary, search_text = excluded.search_text`
			),
			searchArchive: db.prepare(
				`SELECT c.session_id, c.closed_at, c.summary, s.title, s.created_at
				 FROM group_sessions gs
				 JOIN sessions s ON s.id = gs.session_id
				 JOIN session_closures c ON c.session_id = gs.session_id
				 WHERE gs.group_id = ? AND instr(c.search_text, ?) > 0
				 ORDER BY s.created_at DESC, gs.session_id`
			),
			pendingForgets: db.prepare(
				'SELECT session_id, participant_id, mode FROM pending_forgets ORDER BY session_id'
			),
			deleteForget: db.prepare(
				'DELETE FROM pending_forgets WHERE session_id = ? AND participant_id = ?'
			),
			deleteParticipant: db.prepare('DELETE FROM participants WHERE id = ?'),
			deleteDocument: db.prepare('DELETE FROM docs WHERE id = ?')
		};
	}

	async createGroup(
		group: GroupRecord,
		links: Record<LinkKind, Buffer>,
		creator: MemberRecord,
		deviceHash: Buffer
	): Promise<void> {
		this.db.transaction(() => {
			this.stmt.insertGroup.run(
				group.id,
				group.name,
				group.place,
				group.language,
				group.createdAt,
				links.facilitator,
				links.invite
			);
			this.insertMember(creator, deviceHash);
		})();
	}

	async getGroup(id: string): Promise<GroupRecord | undefined> {
		const row = this.stmt.group.get(id) as GroupRow | undefined;
		return row && toGroup(row);
	}

	async linkKind(groupId: string, hash: Buffer): Promise<LinkKind | undefined> {
		const row = this.stmt.linkKind.get({ id: groupId, hash }) as
			{ kind: LinkKind | null } | undefined;
		return row?.kind ?? undefined;
	}

	async setLink(groupId: string, kind: LinkKind, hash: Buffer): Promise<void> {
		this.db.prepare(`UPDATE groups SET ${LINK_COLUMN[kind]} = ? WHERE id = ?`).run(hash, groupId);
	}

	async deleteGroup(groupId: string): Promise<string[]> {
		const { ids, docs } = this.db.transaction(() => {
			const ids = (this.stmt.sessionsOfGroup.all(groupId) as { session_id: string }[]).map(
				(r) => r.session_id
			);
			const docs = (this.stmt.docsOfGroup.all(groupId) as { id: string }[]).map((r) => r.id);
			// Sessions cascade to participants, documents, snapshots and closures.
			for (const id of ids) this.stmt.deleteSession.run(id);
			this.stmt.deleteGroup.run(groupId);
			return { ids, docs };
		})();
		this.removeLogs(docs);
		return ids;
	}

	private insertMember(m: MemberRecord, deviceHash: Buffer): void {
		this.stmt.insertMember.run(
			m.id,
			m.groupId,
			m.name,
			m.industry,
			m.role,
			m.roleSource,
			m.joinedAt
		);
		this.stmt.insertDevice.run(deviceHash, m.id, Date.now());
	}

	async addMember(member: MemberRecord, deviceHash: Buffer): Promise<void> {
		this.db.transaction(() => this.insertMember(member, deviceHash))();
	}

	async addDevice(memberId: string, deviceHash: Buffer): Promise<void> {
		this.stmt.insertDevice.run(deviceHash, memberId, Date.now());
	}

	async getMember(groupId: string, memberId: string): Promise<MemberRecord | undefined> {
		const row = this.stmt.member.get(groupId, memberId) as MemberRow | undefined;
		return row && toMember(row);
	}

	async memberByDevice(groupId: string, deviceHash: Buffer): Promise<MemberRecord | undefined> {
		const row = this.stmt.memberByDevice.get(deviceHash, groupId) as MemberRow | undefined;
		return row && toMember(row);
	}

	async memberByPersonalLink(groupId: string, hash: Buffer): Promise<MemberRecord | undefined> {
		const row = this.stmt.memberByPersonalLink.get(groupId, hash) as MemberRow | undefined;
		return row && toMember(row);
	}

	async setPersonalLink(memberId: string, hash: Buffer): Promise<void> {
		this.stmt.setPersonalLink.run(hash, memberId);
	}

	async listMembers(groupId: string): Promise<MemberRecord[]> {
		return (this.stmt.members.all(groupId) as MemberRow[]).map(toMember);
	}

	async setRole(memberId: string, role: GroupRole, source: RoleSource | null): Promise<void> {
		this.stmt.setRole.run(role, source, memberId);
	}

	async demoteLinkFacilitators(groupId: string, keep: string): Promise<MemberRecord[]> {
		return this.db.transaction(() => {
			const rows = this.stmt.linkFacilitators.all(groupId, keep) as MemberRow[];
			for (const row of rows) this.stmt.setRole.run('member', null, row.id);
			return rows.map((r) => ({ ...toMember(r), role: 'member' as const, roleSource: null }));
		})();
	}

	async removeMember(memberId: string, mode: ForgetMode): Promise<PendingForget[]> {
		return this.db.transaction(() => {
			const links = this.stmt.memberSessions.all(memberId) as {
				session_id: string;
				participant_id: string;
			}[];
			const jobs = links.map((l) => ({
				sessionId: l.session_id,
				participantId: l.participant_id,
				mode
			}));
			for (const job of jobs) this.stmt.insertForget.run(job.sessionId, job.participantId, mode);
			this.stmt.deleteMember.run(memberId);
			return jobs;
		})();
	}

	async addGroupSession(
		sessionId: string,
		groupId: string,
		guestLinkHash: Buffer,
		createdAt: number
	): Promise<void> {
		this.stmt.insertGroupSession.run(sessionId, groupId, guestLinkHash, createdAt);
	}

	async groupOfSession(sessionId: string): Promise<string | undefined> {
		return (this.stmt.groupOfSession.get(sessionId) as { group_id: string } | undefined)?.group_id;
	}

	async listGroupSessions(groupId: string): Promise<GroupSessionRecord[]> {
		return (
			this.stmt.groupSessions.all(groupId) as {
				session_id: string;
				group_id: string;
				title: string;
				created_at: number;
				closed_at: number | null;
			}[]
		).map((r) => ({
			sessionId: r.session_id,
			groupId: r.group_id,
			title: r.title,
			createdAt: r.created_at,
			closedAt: r.closed_at
		}));
	}

	async setGuestLink(sessionId: string, hash: Buffer): Promise<void> {
		this.stmt.setGuestLink.run(hash, sessionId);
	}

	async guestLinkMatches(sessionId: string, hash: Buffer): Promise<boolean> {
		return this.stmt.guestLink.get(sessionId, hash) !== undefined;
	}

	async participantOfMember(sessionId: string, memberId: string): Promise<string | undefined> {
		return (
			this.stmt.participantOfMember.get(sessionId, memberId) as
				{ participant_id: string } | undefined
		)?.participant_id;
	}

	async memberOfParticipant(participantId: string): Promise<string | undefined> {
		return (this.stmt.memberOfParticipant.get(participantId) as { member_id: string } | undefined)
			?.member_id;
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

	async addMemberParticipants(
		entries: { memberId: string; participant: ParticipantRecord; tokenHash: Buffer | null }[]
	): Promise<void> {
		this.db.transaction(() => {
			for (const { memberId, participant, tokenHash } of entries) {
				if (tokenHash) this.insertParticipant(participant, tokenHash);
				this.stmt.insertSessionMember.run(participant.sessionId, memberId, participant.id);
			}
		})();
	}

	async addGuest(
		participant: ParticipantRecord,
		tokenHash: Buffer,
		via: 'link' | 'code'
	): Promise<void> {
		this.db.transaction(() => {
			this.insertParticipant(participant, tokenHash);
			this.stmt.insertGuest.run(participant.id, participant.sessionId, via);
		})();
	}

	async isGuest(participantId: string): Promise<boolean> {
		return this.stmt.isGuest.get(participantId) !== undefined;
	}

	async revokeLinkGuests(sessionId: string): Promise<string[]> {
		return this.db.transaction(() => {
			const ids = (this.stmt.linkGuests.all(sessionId) as { participant_id: string }[]).map(
				(r) => r.participant_id
			);
			// A random hash nobody holds the token for: the guest's cookie stops working.
			for (const id of ids) this.stmt.setToken.run(crypto.randomBytes(32), id);
			return ids;
		})();
	}

	async setParticipantRole(participantId: string, role: ParticipantRecord['role']): Promise<void> {
		this.stmt.setParticipantRole.run(role, participantId);
	}

	async getClosure(sessionId: string): Promise<ClosureRecord | undefined> {
		const row = this.stmt.closure.get(sessionId) as
			{ session_id: string; closed_at: number; summary: string } | undefined;
		return row && { sessionId: row.session_id, closedAt: row.closed_at, summary: row.summary };
	}

	async saveClosure(closure: ClosureRecord, searchText: string): Promise<void> {
		this.stmt.upsertClosure.run(closure.sessionId, closure.closedAt, closure.summary, searchText);
	}

	async searchArchive(groupId: string, query: string): Promise<ArchivedSession[]> {
		return (
			this.stmt.searchArchive.all(groupId, query) as {
				session_id: string;
				closed_at: number;
				summary: string;
				title: string;
				created_at: number;
			}[]
		).map((r) => ({
			sessionId: r.session_id,
			closedAt: r.closed_at,
			summary: r.summary,
			title: r.title,
			createdAt: r.created_at
		}));
	}

	async pendingForgets(): Promise<PendingForget[]> {
		return (
			this.stmt.pendingForgets.all() as {
				session_id: string;
				participant_id: string;
				mode: ForgetMode;
			}[]
		).map((r) => ({ sessionId: r.session_id, participantId: r.participant_id, mode: r.mode }));
	}

	async forgetDone(job: PendingForget): Promise<void> {
		this.db.transaction(() => {
			this.stmt.deleteParticipant.run(job.participantId);
			this.stmt.deleteForget.run(job.sessionId, job.participantId);
		})();
	}

	async deleteDocument(docId: string): Promise<void> {
		this.stmt.deleteDocument.run(docId);
		this.removeLogs([docId]);
	}
}
