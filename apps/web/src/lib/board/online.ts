/** Who is online, read from awareness states (whose `user` field the server sets). */
export interface OnlineUser {
	participantId: string;
	name: string;
	industry: string;
	isMe: boolean;
}

interface AwarenessUser {
	participantId: string;
	name: string;
	industry: string;
}

function asUser(state: unknown): AwarenessUser | null {
	if (typeof state !== 'object' || state === null) return null;
	const user = (state as { user?: unknown }).user;
	if (typeof user !== 'object' || user === null) return null;
	const { participantId, name, industry } = user as Record<string, unknown>;
	if (typeof participantId !== 'string' || !participantId) return null;
	if (typeof name !== 'string' || !name) return null;
	return { participantId, name, industry: typeof industry === 'string' ? industry : '' };
}

/**
 * One entry per participant (a person may have a phone and a laptop open),
 * yourself first, then by name.
 */
export function onlineUsers(states: Iterable<unknown>, myParticipantId: string): OnlineUser[] {
	const byId = new Map<string, OnlineUser>();
	for (const state of states) {
		const user = asUser(state);
		if (!user || byId.has(user.participantId)) continue;
		byId.set(user.participantId, { ...user, isMe: user.participantId === myParticipantId });
	}
	return [...byId.values()].sort(
		(a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name, 'fi')
	);
}
