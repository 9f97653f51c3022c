/**
 * Who someone is to a group or a session, resolved from their credentials on
 * every request and every websocket: the one place that turns cookies and
 * tokens into an access kind (see docs/security.md).
 *
 * - An ad-hoc session (no group) works as before: its link admits anyone; a
 *   `kp_<session>` credential makes its holder a participant or facilitator.
 * - A group session admits the group's members by their `kg_<group>` device
 *   cookie (their participant is created when they first open it) and guests
 *   by a `kp_<session>` credential they got with the guest link or join code,
 *   while the session is live. Everyone else is an outsider and learns nothing,
 *   not even that the session exists.
 */
import { boardMaps, type Role } from '@kipina/board';
import type * as Y from 'yjs';
import type { Authenticator } from './http/auth.js';
import { hashToken, newToken } from './identity.js';
import { newParticipant, toDocParticipant } from './sessions.js';
import type {
	GroupRecord,
	GroupStorage,
	MemberRecord,
	ParticipantRecord,
	SessionRecord,
	Storage
} from './storage/Storage.js';
import type { RoomManager } from './sync/RoomManager.js';

export type AccessKind = 'facilitator' | 'member' | 'guest' | 'participant' | 'outsider';

export interface Credentials {
	/** The request's Cookie header. */
	cookie: string | undefined;
	/** A bare token (`Authorization: Bearer`, `?token=`) of a participant or a member's device. */
	token: string | null;
}

export interface GroupAccess {
	group: GroupRecord;
	/** The requester's membership; null for outsiders. */
	member: MemberRecord | null;
}

export interface SessionAccess {
	session: SessionRecord;
	/** The session's group; null for an ad-hoc session. */
	group: GroupRecord | null;
	closedAt: number | null;
	kind: AccessKind;
	member: MemberRecord | null;
	/** The requester's participant in this session, if there is one already. */
	participant: ParticipantRecord | null;
}

export class Access {
	/** Increases whenever access is withdrawn, so in-flight authentications can recheck. */
	epoch = 0;
	private readonly blocked = new Set<string>();
	private readonly creating = new Map<string, Promise<ParticipantRecord>>();

	constructor(
		private readonly storage: Storage,
		private readonly groups: GroupStorage,
		private readonly auth: Authenticator,
		private readonly rooms: RoomManager
	) {}

	/** Access to the group (and all its sessions) was withdrawn for someone. */
	revoked(): void {
		this.epoch += 1;
	}

	/** While a group is being deleted, nobody reaches it or its sessions. */
	block(groupId: string): void {
		this.blocked.add(groupId);
		this.revoked();
	}

	unblock(groupId: string): void {
		this.blocked.delete(groupId);
	}

	async group(groupId: string, creds: Credentials): Promise<GroupAccess | undefined> {
		if (this.blocked.has(groupId)) return undefined;
		const group = await this.groups.getGroup(groupId);
		if (!group) return undefined;
		const member = await this.auth.memberFor(groupId, creds.cookie, creds.token);
		return { group, member: member ?? null };
	}

	async session(sessionId: string, creds: Credentials): Promise<SessionAccess | undefined> {
		const session = await this.storage.getSession(sessionId);
		if (!session) return undefined;
		const closedAt = (await this.groups.getClosure(sessionId))?.closedAt ?? null;
		const groupId = await this.groups.groupOfSession(sessionId);
		if (groupId === undefined) {
			const participant = await this.auth.participantFor(sessionId, creds.cookie, creds.token);
			return {
				session,
				group: null,
				closedAt,
				member: null,
				participant: participant ?? null,
				kind: !participant
					? 'outsider'
					: participant.role === 'facilitator'
						? 'facilitator'
						: 'participant'
			};
		}
		const found = await this.group(groupId, creds);
		if (!found) return undefined;
		const { group, member } = found;
		if (member) {
			const pid = await this.groups.participantOfMember(sessionId, member.id);
			const participant = pid ? await this.storage.getParticipant(sessionId, pid) : undefined;
			return {
				session,
				group,
				closedAt,
				member,
				participant: participant ?? null,
				kind: member.role === 'facilitator' ? 'facilitator' : 'member'
			};
		}
		// Only guests hold a session credential in a group session: members'
		// participants have tokens nobody was ever given.
		const participant = await this.auth.participantFor(sessionId, creds.cookie, creds.token);
		const guest = participant && (await this.groups.isGuest(participant.id)) ? participant : null;
		return {
			session,
			group,
			closedAt,
			member: null,
			participant: guest,
			kind: guest ? 'guest' : 'outsider'
		};
	}

	/**
	 * The requester's participant in the session. A member gets one the first
	 * time they open a live session (from their group profile), and their
	 * role follows their group role. Undefined when there is none to give.
	 */
	async participantOf(access: SessionAccess): Promise<ParticipantRecord | undefined> {
		const { member, session } = access;
		if (!member) return access.participant ?? undefined;
		const role: Role = member.role === 'facilitator' ? 'facilitator' : 'participant';
		if (access.participant) {
			if (access.participant.role === role) return access.participant;
			return this.setRole(access.participant, role);
		}
		if (access.closedAt !== null) return undefined;
		const key = `${session.id}:${member.id}`;
		let pending = this.creating.get(key);
		if (!pending) {
			pending = this.createFor(session.id, member, role).finally(() => this.creating.delete(key));
			this.creating.set(key, pending);
		}
		return pending;
	}

	private async createFor(
		sessionId: string,
		member: MemberRecord,
		role: Role
	): Promise<ParticipantRecord> {
		const existing = await this.groups.participantOfMember(sessionId, member.id);
		const stored = existing && (await this.storage.getParticipant(sessionId, existing));
		if (stored) return stored.role === role ? stored : this.setRole(stored, role);
		const participant = newParticipant(sessionId, member, role);
		await this.groups.addMemberParticipants([
			{ memberId: member.id, participant, tokenHash: hashToken(newToken()) }
		]);
		await this.editSession(sessionId, 'join', (doc) =>
			boardMaps(doc).participants.set(participant.id, toDocParticipant(participant))
		);
		return participant;
	}

	private async setRole(p: ParticipantRecord, role: Role): Promise<ParticipantRecord> {
		await this.groups.setParticipantRole(p.id, role);
		const next = { ...p, role };
		await this.editSession(p.sessionId, 'role', (doc) => {
			const participants = boardMaps(doc).participants;
			if (participants.has(p.id)) participants.set(p.id, toDocParticipant(next));
		});
		return next;
	}

	private async editSession(
		sessionId: string,
		reason: string,
		edit: (doc: Y.Doc) => void
	): Promise<void> {
		const room = await this.rooms.acquire(sessionId);
		try {
			await room.serverEdit(reason, edit);
		} finally {
			this.rooms.release(room);
		}
	}
}
