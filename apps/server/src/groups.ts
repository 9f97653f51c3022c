/**
 * Core groups: creating one, the capability links (facilitator, member
 * invite, personal, guest) and what they grant, members coming and going,
 * and the group's sessions — starting tonight's with last month's open
 * actions and unfinished ideas carried over.
 *
 * Links are `/g/<group>/join#<secret>` (guests: `/guest/<session>#<secret>`):
 * the secret travels in the URL fragment, which browsers never send to a
 * server, and is exchanged by POST for a signed cookie. Only SHA-256 hashes
 * of secrets are stored.
 */
import {
	ANONYMOUS_AUTHOR,
	CLOSE,
	boardMaps,
	randomId,
	writeSessionExport,
	type Action,
	type Idea,
	type SessionExport,
	type SessionSummary
} from '@kipina/board';
import type * as Y from 'yjs';
import type { Access } from './access.js';
import type { Archive } from './archive.js';
import { hashToken, newToken } from './identity.js';
import {
	newParticipant,
	normalizeJoinCode,
	toDocParticipant,
	type Profile,
	type Sessions
} from './sessions.js';
import type {
	ForgetMode,
	GroupLanguage,
	GroupRecord,
	GroupStorage,
	LinkKind,
	MemberRecord,
	ParticipantRecord,
	SessionRecord,
	Storage
} from './storage/Storage.js';
import type { RoomManager } from './sync/RoomManager.js';

export const groupLink = (groupId: string, secret: string) => `/g/${groupId}/join#${secret}`;
export const guestLink = (sessionId: string, secret: string) => `/guest/${sessionId}#${secret}`;

export interface NewGroup {
	name: string;
	place: string;
	language: GroupLanguage;
}

/** What carrying over takes from an earlier session of the group (ids in that session). */
export interface Carry {
	from: string;
	ideas: string[];
	actions: string[];
}

export type Exchange =
	| { result: 'member'; member: MemberRecord; token: string; created: boolean }
	| { result: 'profile-needed'; kind: LinkKind }
	| { result: 'invalid' };

export class Groups {
	constructor(
		private readonly storage: Storage,
		private readonly groups: GroupStorage,
		private readonly sessions: Sessions,
		private readonly rooms: RoomManager,
		private readonly access: Access,
		private readonly archive: Archive
	) {}

	async create(
		input: NewGroup,
		creator: Profile
	): Promise<{
		group: GroupRecord;
		member: MemberRecord;
		token: string;
		links: Record<LinkKind, string>;
	}> {
		const group: GroupRecord = { id: randomId(10), ...input, createdAt: Date.now() };
		const member: MemberRecord = {
			id: randomId(12),
			groupId: group.id,
			name: creator.name,
			industry: creator.industry,
			role: 'facilitator',
			roleSource: 'creator',
			joinedAt: group.createdAt
		};
		const secrets = { facilitator: newToken(), invite: newToken() };
		const token = newToken();
		await this.groups.createGroup(
			group,
			{ facilitator: hashToken(secrets.facilitator), invite: hashToken(secrets.invite) },
			member,
			hashToken(token)
		);
		return {
			group,
			member,
			token,
			links: {
				facilitator: groupLink(group.id, secrets.facilitator),
				invite: groupLink(group.id, secrets.invite)
			}
		};
	}

	/**
	 * Exchanges a link's secret for membership on this device. A personal link
	 * signs its member in; the invite link makes a new member (the facilitator
	 * link a facilitator) once a name is given; a device that is a member
	 * already stays who it is (the facilitator link promotes it).
	 */
	async exchange(
		group: GroupRecord,
		secret: string,
		current: MemberRecord | null,
		profile: Profile | null
	): Promise<Exchange> {
		if (secret.length === 0 || secret.length > 128) return { result: 'invalid' };
		const hash = hashToken(secret);
		const personal = await this.groups.memberByPersonalLink(group.id, hash);
		if (personal) return this.addDevice(personal);
		const kind = await this.groups.linkKind(group.id, hash);
		if (!kind) return { result: 'invalid' };
		if (current) {
			if (kind === 'facilitator' && current.role !== 'facilitator') {
				await this.groups.setRole(current.id, 'facilitator', 'link');
				return this.addDevice({ ...current, role: 'facilitator', roleSource: 'link' });
			}
			return this.addDevice(current);
		}
		if (!profile) return { result: 'profile-needed', kind };
		const member: MemberRecord = {
			id: randomId(12),
			groupId: group.id,
			name: profile.name,
			industry: profile.industry,
			role: kind === 'facilitator' ? 'facilitator' : 'member',
			roleSource: kind === 'facilitator' ? 'link' : null,
			joinedAt: Date.now()
		};
		const token = newToken();
		await this.groups.addMember(member, hashToken(token));
		return { result: 'member', member, token, created: true };
	}

	private async addDevice(member: MemberRecord): Promise<Exchange> {
		const token = newToken();
		await this.groups.addDevice(member.id, hashToken(token));
		return { result: 'member', member, token, created: false };
	}

	/**
	 * A new secret for a group link; the old one stops working at once.
	 * Rotating the facilitator link also withdraws the facilitator role from
	 * everyone who got it through that link (except `by`): their open
	 * connections are closed with 4501 and reconnect as members.
	 */
	async rotate(group: GroupRecord, kind: LinkKind, by: MemberRecord): Promise<string> {
		const secret = newToken();
		await this.groups.setLink(group.id, kind, hashToken(secret));
		if (kind === 'facilitator') {
			if (by.roleSource === 'link') await this.groups.setRole(by.id, 'facilitator', 'promoted');
			const demoted = await this.groups.demoteLinkFacilitators(group.id, by.id);
			if (demoted.length > 0) await this.closeMembersSockets(demoted, CLOSE.accessChanged);
		}
		this.access.revoked();
		return groupLink(group.id, secret);
	}

	/** A new personal link for `member` (the previous one stops working). */
	async personalLink(member: MemberRecord): Promise<string> {
		const secret = newToken();
		await this.groups.setPersonalLink(member.id, hashToken(secret));
		return groupLink(member.groupId, secret);
	}

	async setRole(member: MemberRecord, role: MemberRecord['role']): Promise<MemberRecord> {
		await this.groups.setRole(member.id, role, role === 'facilitator' ? 'promoted' : null);
		if (role === 'member') {
			this.access.revoked();
			await this.closeMembersSockets([member], CLOSE.accessChanged);
		}
		return { ...member, role, roleSource: role === 'facilitator' ? 'promoted' : null };
	}

	/**
	 * A member leaves (or is removed): their devices and links stop working at
	 * once, their open connections close with 4401, and their ideas in every
	 * session of the group are deleted or anonymised, as they chose.
	 */
	async removeMember(member: MemberRecord, mode: ForgetMode): Promise<number> {
		const jobs = await this.groups.removeMember(member.id, mode);
		this.access.revoked();
		this.rooms.disconnect(
			new Set(jobs.map((j) => j.participantId)),
			CLOSE.unauthenticated,
			'No longer a member of this group'
		);
		for (const job of jobs) await this.archive.forget(job);
		return jobs.length;
	}

	/** Deletes the group with all its sessions, documents and members. */
	async delete(group: GroupRecord): Promise<void> {
		this.access.block(group.id);
		try {
			for (const s of await this.groups.listGroupSessions(group.id)) {
				await this.rooms.evictSession(s.sessionId, CLOSE.unknownSession, 'This group was deleted');
			}
			await this.groups.deleteGroup(group.id);
		} finally {
			this.access.unblock(group.id);
		}
	}

	private async closeMembersSockets(members: MemberRecord[], code: number): Promise<void> {
		const ids = new Set<string>();
		for (const s of await this.groups.listGroupSessions(members[0]!.groupId)) {
			for (const m of members) {
				const pid = await this.groups.participantOfMember(s.sessionId, m.id);
				if (pid) ids.add(pid);
			}
		}
		this.rooms.disconnect(ids, code, 'Your access to this group changed');
	}

	// --- sessions of the group ----------------------------------------------

	/** The group's live (not closed) session, if any. */
	async liveSession(groupId: string): Promise<SessionRecord | undefined> {
		const live = (await this.groups.listGroupSessions(groupId)).find((s) => s.closedAt === null);
		return live && this.storage.getSession(live.sessionId);
	}

	/** The latest closed session: the one last month's review is about. */
	async lastClosed(
		groupId: string
	): Promise<{ sessionId: string; summary: SessionSummary } | null> {
		const last = (await this.groups.listGroupSessions(groupId)).find((s) => s.closedAt !== null);
		if (!last) return null;
		return { sessionId: last.sessionId, summary: await this.archive.summary(last.sessionId) };
	}

	/**
	 * Starts tonight's session with `by` as its facilitator, optionally with
	 * ideas and open actions carried over from an earlier session of the group
	 * (same ids, authors and owners mapped to their participants tonight), or
	 * with the records of an imported export.
	 */
	async startSession(
		group: GroupRecord,
		by: MemberRecord,
		title: string,
		options: { carry?: Carry; imported?: SessionExport } = {}
	): Promise<{ session: SessionRecord; participant: ParticipantRecord; guestLink: string }> {
		const sessionId = randomId(10);
		const guestSecret = newToken();
		const createdAt = Date.now();
		await this.groups.addGroupSession(sessionId, group.id, hashToken(guestSecret), createdAt);

		const carried = options.carry ? await this.carried(sessionId, options.carry, by) : null;
		const { session, participant } = await this.sessions.create(title, by, {
			id: sessionId,
			seed: (doc, facilitator) => {
				if (options.imported) {
					writeSessionExport(doc, options.imported, { mode: 'import' });
				}
				if (carried) carried.seed(doc, facilitator);
			}
		});
		await this.groups.addMemberParticipants([
			{ memberId: by.id, participant, tokenHash: null },
			...(carried?.participants ?? [])
		]);
		return { session, participant, guestLink: guestLink(session.id, guestSecret) };
	}

	/** Resolves what to carry over; members named in it get their participant tonight. */
	private async carried(sessionId: string, carry: Carry, by: MemberRecord) {
		const source = await this.archive.readDoc(carry.from);
		const { ideas, actions } = boardMaps(source);
		const pickedIdeas = carry.ideas.map((id) => ideas.get(id)).filter((i): i is Idea => !!i);
		const pickedActions = carry.actions
			.map((id) => actions.get(id))
			.filter((a): a is Action => !!a && a.status === 'open');
		source.destroy();

		// Participant of last time → member → participant tonight.
		const members = new Map<string, MemberRecord>();
		for (const m of await this.groups.listMembers(by.groupId)) members.set(m.id, m);
		const tonight = new Map<string, ParticipantRecord>();
		const participants: { memberId: string; participant: ParticipantRecord; tokenHash: Buffer }[] =
			[];
		const mapParticipant = async (oldId: string): Promise<string | null> => {
			const memberId = await this.groups.memberOfParticipant(oldId);
			const member = memberId ? members.get(memberId) : undefined;
			if (!member) return null;
			if (member.id === by.id) return 'facilitator';
			let p = tonight.get(member.id);
			if (!p) {
				p = newParticipant(
					sessionId,
					member,
					member.role === 'facilitator' ? 'facilitator' : 'participant'
				);
				tonight.set(member.id, p);
				participants.push({
					memberId: member.id,
					participant: p,
					tokenHash: hashToken(newToken())
				});
			}
			return p.id;
		};
		const ideaAuthors = new Map<string, string | null>();
		for (const idea of pickedIdeas) ideaAuthors.set(idea.id, await mapParticipant(idea.authorId));
		const owners = new Map<string, (string | null)[]>();
		for (const a of pickedActions) {
			owners.set(a.id, await Promise.all(a.ownerIds.map(mapParticipant)));
		}
		const carriedIdeaIds = new Set(pickedIdeas.map((i) => i.id));

		return {
			participants,
			seed: (doc: Y.Doc, facilitator: ParticipantRecord) => {
				const m = boardMaps(doc);
				const resolve = (id: string | null) => (id === 'facilitator' ? facilitator.id : id);
				for (const p of tonight.values()) m.participants.set(p.id, toDocParticipant(p));
				for (const idea of pickedIdeas) {
					const author = resolve(ideaAuthors.get(idea.id) ?? null);
					m.ideas.set(idea.id, {
						id: idea.id,
						text: idea.text,
						authorId: author ?? ANONYMOUS_AUTHOR,
						industry: idea.industry,
						createdAt: idea.createdAt
					});
				}
				const now = Date.now();
				for (const a of pickedActions) {
					const ownerIds = [
						...new Set((owners.get(a.id) ?? []).map(resolve).filter((x): x is string => !!x))
					];
					m.actions.set(a.id, {
						...a,
						source: a.source?.kind === 'idea' && carriedIdeaIds.has(a.source.id) ? a.source : null,
						ownerIds,
						createdBy: facilitator.id,
						createdAt: now
					});
				}
			}
		};
	}

	// --- guests ---------------------------------------------------------------

	/**
	 * A new guest link for the session. The old link stops working at once,
	 * and so do the guests it admitted (their connections close with 4401);
	 * guests who came with the join code in the room stay.
	 */
	async rotateGuestLink(sessionId: string): Promise<string> {
		const secret = newToken();
		await this.groups.setGuestLink(sessionId, hashToken(secret));
		const revoked = await this.groups.revokeLinkGuests(sessionId);
		this.access.revoked();
		this.rooms.disconnect(new Set(revoked), CLOSE.unauthenticated, 'The guest link was replaced');
		return guestLink(sessionId, secret);
	}

	/** Is `secret` the session's guest link, or its join code? */
	async guestCapability(session: SessionRecord, secret: string): Promise<'link' | 'code' | null> {
		if (secret.length === 0 || secret.length > 128) return null;
		if (await this.groups.guestLinkMatches(session.id, hashToken(secret))) return 'link';
		return normalizeJoinCode(secret) === session.code ? 'code' : null;
	}

	async admitGuest(
		sessionId: string,
		profile: Profile,
		via: 'link' | 'code'
	): Promise<{ participant: ParticipantRecord; token: string }> {
		const participant = newParticipant(sessionId, profile, 'participant');
		const token = newToken();
		await this.groups.addGuest(participant, hashToken(token), via);
		const room = await this.rooms.acquire(sessionId);
		try {
			await room.serverEdit('guest', (doc) =>
				boardMaps(doc).participants.set(participant.id, toDocParticipant(participant))
			);
		} finally {
			this.rooms.release(room);
		}
		return { participant, token };
	}

	// --- what the group home shows ---------------------------------------------

	/** Closed sessions, newest first, optionally only those whose text contains `query`. */
	async archiveList(groupId: string, query: string) {
		const found = await this.groups.searchArchive(groupId, query.trim().toLocaleLowerCase('fi'));
		return found.map((s) => {
			const summary = JSON.parse(s.summary) as SessionSummary;
			return {
				id: s.sessionId,
				title: s.title,
				createdAt: s.createdAt,
				closedAt: s.closedAt,
				ideaCount: summary.ideaCount,
				participantCount: summary.participantCount,
				actionCount: summary.actions.length,
				topIdeas: summary.topIdeas.slice(0, 3).map((i) => ({ text: i.text, votes: i.votes }))
			};
		});
	}

	/**
	 * Actions of all the group's sessions, each in its latest version (a
	 * carried-over action keeps its id), open ones first, newest session first.
	 */
	async actions(groupId: string) {
		const seen = new Set<string>();
		const out = [];
		for (const s of await this.groups.listGroupSessions(groupId)) {
			const summary = await this.archive.summary(s.sessionId);
			for (const a of summary.actions) {
				if (seen.has(a.id)) continue;
				seen.add(a.id);
				out.push({
					id: a.id,
					text: a.text,
					status: a.status,
					due: a.due,
					owners: a.owners,
					session: {
						id: s.sessionId,
						title: s.title,
						createdAt: s.createdAt,
						live: s.closedAt === null
					}
				});
			}
		}
		return out.sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1));
	}

	/** Last month's review: the open actions and unfinished ideas of the latest closed session. */
	async review(groupId: string) {
		const last = await this.lastClosed(groupId);
		if (!last) return { from: null, actions: [], ideas: [] };
		const { summary } = last;
		return {
			from: { id: last.sessionId, title: summary.title, closedAt: summary.closedAt },
			actions: summary.actions.filter((a) => a.status === 'open'),
			ideas: summary.unfinished
		};
	}
}
