/**
 * Dot voting. Each participant's dots are one record (`votes[participantId]`),
 * written only by them, so concurrent votes of different people never
 * conflict and the budget can be checked on the record alone.
 */
import type * as Y from 'yjs';
import { CommandError } from './commands.js';
import { boardMaps } from './doc.js';
import { commandOrigin } from './origins.js';
import type { Votes } from './records.js';
import { getSettings } from './rules.js';

/** Dots on ideas that still exist (stale entries of deleted ideas do not count). */
export function liveVotes(doc: Y.Doc, record: Votes | undefined): Votes {
	const { ideas } = boardMaps(doc);
	const out: Votes = {};
	for (const [ideaId, n] of Object.entries(record ?? {})) if (ideas.has(ideaId)) out[ideaId] = n;
	return out;
}

export function votesOf(doc: Y.Doc, participantId: string): Votes {
	return liveVotes(doc, boardMaps(doc).votes.get(participantId));
}

export function spent(votes: Votes): number {
	return Object.values(votes).reduce((a, b) => a + b, 0);
}

/** Dots `participantId` has left to spend. */
export function votesLeft(doc: Y.Doc, participantId: string): number {
	return Math.max(0, getSettings(doc).voteBudget - spent(votesOf(doc, participantId)));
}

export type VoteRefusal = 'budget' | 'per-idea' | 'none-to-take';

/**
 * Adds (`delta = 1`) or takes back (`delta = -1`) a dot of `participantId`
 * on an idea. Throws `CommandError` with `invalid` when the budget or the
 * per-idea maximum does not allow it.
 */
export function vote(doc: Y.Doc, participantId: string, ideaId: string, delta: 1 | -1): void {
	const { votes, ideas } = boardMaps(doc);
	if (!ideas.has(ideaId)) throw new CommandError('not-found', 'That idea no longer exists.');
	const settings = getSettings(doc);
	const current = votesOf(doc, participantId);
	const onIdea = current[ideaId] ?? 0;
	const next = onIdea + delta;
	if (next < 0) throw new CommandError('invalid', 'There is no dot to take back.');
	if (delta > 0 && next > settings.maxVotesPerIdea) {
		throw new CommandError('invalid', `At most ${settings.maxVotesPerIdea} dots on one idea.`);
	}
	if (delta > 0 && spent(current) + 1 > settings.voteBudget) {
		throw new CommandError('invalid', 'No dots left.');
	}
	const record: Votes = { ...current };
	if (next === 0) delete record[ideaId];
	else record[ideaId] = next;
	doc.transact(() => {
		if (Object.keys(record).length === 0) votes.delete(participantId);
		else votes.set(participantId, record);
	}, commandOrigin('vote'));
}

/** Takes back all of a participant's dots. */
export function clearVotes(doc: Y.Doc, participantId: string): void {
	const { votes } = boardMaps(doc);
	if (votes.has(participantId)) {
		doc.transact(() => votes.delete(participantId), commandOrigin('clearVotes'));
	}
}

export interface VotingProgress {
	/** People who can vote (everyone who joined). */
	people: number;
	/** People who have not spent all their dots. */
	withVotesLeft: number;
	/** Dots spent in total. */
	dotsSpent: number;
}

export function votingProgress(doc: Y.Doc): VotingProgress {
	const { participants } = boardMaps(doc);
	const budget = getSettings(doc).voteBudget;
	let withVotesLeft = 0;
	let dotsSpent = 0;
	for (const p of participants.values()) {
		const used = spent(votesOf(doc, p.id));
		dotsSpent += used;
		if (used < budget) withVotesLeft += 1;
	}
	return { people: participants.size, withVotesLeft, dotsSpent };
}
