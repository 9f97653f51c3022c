/**
 * What others are doing right now, read from awareness states: who is
 * dragging which idea. The server overwrites each state's `user` field with
 * the connection's identity, so the names are trustworthy; `dragging` is the
 * client's own field and is only ever used as a hint on the screen.
 */

/** Awareness field a client sets while it drags an idea (its id), `null` otherwise. */
export const DRAGGING_FIELD = 'dragging';

export interface Dragger {
	participantId: string;
	name: string;
}

/** Idea id → people (not me) dragging it now, one entry per person. */
export function draggersByIdea(
	states: Iterable<unknown>,
	myParticipantId: string
): Map<string, Dragger[]> {
	const out = new Map<string, Dragger[]>();
	const seen = new Set<string>();
	for (const state of states) {
		if (typeof state !== 'object' || state === null) continue;
		const { user, [DRAGGING_FIELD]: dragging } = state as Record<string, unknown>;
		if (typeof dragging !== 'string' || !dragging) continue;
		if (typeof user !== 'object' || user === null) continue;
		const { participantId, name } = user as Record<string, unknown>;
		if (typeof participantId !== 'string' || typeof name !== 'string' || !name) continue;
		if (participantId === myParticipantId) continue;
		const key = `${participantId}\u0000${dragging}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const list = out.get(dragging) ?? [];
		list.push({ participantId, name });
		out.set(dragging, list);
	}
	return out;
}
