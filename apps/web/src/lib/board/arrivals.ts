import type { Idea } from '@kipina/board';

/**
 * Which of `ideas` were not known before, and the new set of known ids.
 * Pure bookkeeping for "someone just posted" (the replica decides whether an
 * update is live news or a catch-up sync).
 */
export function diffIdeas(
	known: ReadonlySet<string>,
	ideas: readonly Idea[]
): { added: Idea[]; known: ReadonlySet<string> } {
	const added = ideas.filter((idea) => !known.has(idea.id));
	return { added, known: new Set(ideas.map((idea) => idea.id)) };
}

export const NO_IDS: ReadonlySet<string> = new Set();
