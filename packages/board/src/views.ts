/**
 * Views: plain data read from a session document. They copy only what the
 * caller asks for; callers re-read on change instead of mirroring the doc.
 */
import type * as Y from 'yjs';
import { boardMaps } from './doc.js';
import type { PrivateIdeaStats } from './records.js';
import type { Idea, Participant } from './schema.js';

/** All ideas, oldest first (ties broken by id, so every replica agrees). */
export function listIdeas(doc: Y.Doc): Idea[] {
	const ideas = [...boardMaps(doc).ideas.values()];
	return ideas.sort(
		(a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

export function getIdea(doc: Y.Doc, ideaId: string): Idea | undefined {
	return boardMaps(doc).ideas.get(ideaId);
}

export function getParticipant(doc: Y.Doc, participantId: string): Participant | undefined {
	return boardMaps(doc).participants.get(participantId);
}

/**
 * All participants in the order they joined, then by name. Ties are broken by
 * id: map iteration order follows arrival order, which differs per replica.
 */
export function listParticipants(doc: Y.Doc): Participant[] {
	return [...boardMaps(doc).participants.values()].sort(
		(a, b) =>
			a.joinedAt - b.joinedAt ||
			a.name.localeCompare(b.name) ||
			(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

export interface SessionInfo {
	title: string;
	createdAt: number;
}

export function getSessionInfo(doc: Y.Doc): SessionInfo {
	const { meta } = boardMaps(doc);
	return {
		title: (meta.get('title') as string | undefined) ?? '',
		createdAt: (meta.get('createdAt') as number | undefined) ?? 0
	};
}

/** Number of distinct industries among the given ideas' authors. */
export function industryCount(ideas: readonly Idea[]): number {
	return new Set(ideas.map((i) => i.industry.toLocaleLowerCase('fi')).filter(Boolean)).size;
}

/** Private ideas not yet revealed: how many, from how many people. */
export function privateIdeaStats(doc: Y.Doc): PrivateIdeaStats {
	let ideas = 0;
	let people = 0;
	for (const [key, value] of boardMaps(doc).stats.entries()) {
		if (key.startsWith('private.') && typeof value === 'number' && value > 0) {
			ideas += value;
			people += 1;
		}
	}
	return { ideas, people };
}
