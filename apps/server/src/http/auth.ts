import { parse as parseCookies } from 'cookie';
import { CookieSigner, cookieName, hashToken } from '../identity.js';
import type { ParticipantRecord, Storage } from '../storage/Storage.js';

/** Resolves who a request or socket belongs to, from the cookie or a bare token. */
export class Authenticator {
	constructor(
		private readonly storage: Storage,
		readonly signer: CookieSigner
	) {}

	/** The token carried by this session's signed cookie, if valid. */
	tokenFromCookie(sessionId: string, cookieHeader: string | undefined): string | null {
		if (!cookieHeader) return null;
		const value = parseCookies(cookieHeader)[cookieName(sessionId)];
		return value ? this.signer.verify(value) : null;
	}

	async participantFor(
		sessionId: string,
		cookieHeader: string | undefined,
		bareToken: string | null
	): Promise<ParticipantRecord | undefined> {
		const token = this.tokenFromCookie(sessionId, cookieHeader) ?? bareToken;
		if (!token || token.length > 128) return undefined;
		return this.storage.findParticipantByToken(sessionId, hashToken(token));
	}
}
