/**
 * Text this device wrote that the server has not confirmed yet.
 *
 * Yjs cannot take back a change, so when the server refuses a replica
 * (RESET_CODES) the board starts a fresh one and the unconfirmed changes go
 * with the old one. What the user typed must not go with them: the board
 * replays it on the fresh replica once, and hands back whatever still
 * cannot be saved. Deletions are not kept: they lose nothing typed.
 */

export interface PendingChange {
	kind: 'add' | 'edit';
	ideaId: string;
	/** Whose idea it is (this person, or a proxy the facilitator entered it for). */
	authorId?: string;
	/** The idea's whole text after the change. */
	text: string;
	/** For an added idea: its creation time, so a replay keeps its place. */
	createdAt: number;
	/** This replica's clock after the change; saved once the server confirms this clock. */
	clock: number;
	/** How often this text was already replayed after a reset. */
	attempt: number;
}

/** The changes the server has not confirmed, given its confirmed clock for this replica. */
export function unconfirmed(
	pending: readonly PendingChange[],
	savedClock: number
): PendingChange[] {
	return pending.filter((change) => change.clock > savedClock);
}

/**
 * One change per idea, with its latest text: an added-then-edited idea is
 * replayed as an addition of the edited text.
 */
export function collapse(changes: readonly PendingChange[]): PendingChange[] {
	const byIdea = new Map<string, PendingChange>();
	for (const change of changes) {
		const earlier = byIdea.get(change.ideaId);
		byIdea.set(
			change.ideaId,
			earlier
				? {
						...change,
						kind: earlier.kind === 'add' ? 'add' : change.kind,
						createdAt: earlier.kind === 'add' ? earlier.createdAt : change.createdAt,
						attempt: Math.max(earlier.attempt, change.attempt)
					}
				: change
		);
	}
	return [...byIdea.values()];
}

/** Split into what is worth one more try and what goes back to the user. */
export function triage(changes: readonly PendingChange[]): {
	replay: PendingChange[];
	giveBack: PendingChange[];
} {
	const collapsed = collapse(changes);
	return {
		replay: collapsed.filter((change) => change.attempt === 0),
		giveBack: collapsed.filter((change) => change.attempt > 0)
	};
}
