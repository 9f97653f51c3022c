/** Who may see or control a session, from its `SessionAccess` (see ../access.ts). */
import type { SessionAccess } from '../access.js';
import { notFound } from './common.js';
import { HttpError } from './errors.js';

export const closedError = () =>
	new HttpError(410, 'session_closed', 'This evening is closed; it is in the group’s archive.');

/**
 * Who may see a session at all. Ad-hoc sessions show their public facts to
 * anyone with the link, as always. A group session exists only for its
 * members, and for its guests while it is live; everyone else gets the same
 * 404 as for a session that does not exist.
 */
export function visibleSession(access: SessionAccess | undefined): SessionAccess {
	if (!access) throw notFound();
	if (access.group && access.kind === 'outsider') throw notFound();
	if (access.kind === 'guest' && access.closedAt !== null) throw closedError();
	return access;
}

/** The session's facilitator (for a group session: a facilitator of its group). */
export function requireFacilitator(access: SessionAccess | undefined): SessionAccess {
	const a = visibleSession(access);
	if (a.kind === 'facilitator') return a;
	if (a.kind === 'outsider') throw new HttpError(401, 'unauthenticated', 'Join the session first.');
	throw new HttpError(403, 'forbidden', 'Only the facilitator may do that.');
}

/**
 * May read the whole session (summary, exports): its members (group) or its
 * participants (ad-hoc). Guests see the live board only.
 */
export function requireReader(access: SessionAccess | undefined): SessionAccess {
	const a = visibleSession(access);
	if (a.kind === 'outsider') throw new HttpError(401, 'unauthenticated', 'Join the session first.');
	if (a.kind === 'guest') throw new HttpError(403, 'forbidden', 'Guests see the live board only.');
	return a;
}
