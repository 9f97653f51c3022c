import { parse as parseCookies } from 'cookie';
import { CookieSigner, cookieName, groupCookieName, hashToken } from '../identity.js';
import type { GroupStorage, MemberRecord, ParticipantRecord, Storage } from '../storage/Storage.js';

/** Tokens are 32 characters; anything much longer is not worth hashing. */
const MAX_TOKEN = 128;

/**
 * Resolves who a request or socket belongs to, from a signed cookie or a bare
 * token: a session's participant (`kp_<session>`) or a group's member
 * (`kg_<group>`). Every lookup goes to storage, so a revoked token stops
 * working at once.
 */
export class Authenticator {
	constructor(
		private readonly storage: Storage,
		readonly signer: CookieSigner,
		private readonly groups: GroupStorage
	) {}

	private verified(name: string, cookieHeader: string | undefined): string | null {
		if (!cookieHeader) return null;
		const value = parseCookies(cookieHeader)[name];
		return value ? this.signer.verify(value) : null;
	}

	/** The token carried by this session's signed cookie, if valid. */
	tokenFromCookie(sessionId: string, cookieHeader: string | undefined): string | null {
		return this.verified(cookieName(sessionId), cookieHeader);
	}

	async participantFor(
		sessionId: string,
		cookieHeader: string | undefined,
		bareToken: string | null
	): Promise<ParticipantRecord | undefined> {
		const token = this.tokenFromCookie(sessionId, cookieHeader) ?? bareToken;
		if (!token || token.length > MAX_TOKEN) return undefined;
		return this.storage.findParticipantByToken(sessionId, hashToken(token));
	}

	/** The group member this device is, from the `kg_<group>` cookie or a bare device token. */
	async memberFor(
		groupId: string,
		cookieHeader: string | undefined,
		bareToken: string | null
	): Promise<MemberRecord | undefined> {
		const fromCookie = this.verified(groupCookieName(groupId), cookieHeader);
		for (const token of [fromCookie, bareToken]) {
			if (!token || token.length > MAX_TOKEN) continue;
			const member = await this.groups.memberByDevice(groupId, hashToken(token));
			if (member) return member;
		}
		return undefined;
	}
}
