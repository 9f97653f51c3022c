/**
 * Dot voting for the participant this device enters for (its own, or a
 * proxy's when the facilitator acts for someone without a device).
 */
import {
	canVote,
	getSettings,
	results,
	votesOf,
	votesShown,
	vote,
	type Results,
	type Votes
} from '@kipina/board';
import type { FlowHost } from './host';

export interface Tally {
	votes: number;
	voterIds: string[];
}

const NO_TALLY: Tally = { votes: 0, voterIds: [] };

export class Voting {
	readonly #host: FlowHost;
	/** Per-idea totals, rebuilt when the (cached) results change. */
	#tallies: { from: Results; byIdea: Map<string, Tally> } | null = null;

	constructor(host: FlowHost) {
		this.#host = host;
	}

	get allowed(): boolean {
		return !this.#host.isClosed && canVote(this.#host.actor, this.#host.view(getSettings));
	}

	get budget(): number {
		return this.#host.view(getSettings).voteBudget;
	}

	get maxPerIdea(): number {
		return this.#host.view(getSettings).maxVotesPerIdea;
	}

	/** Whether dot counts are visible to everyone now (live, or from the results on). */
	get countsShown(): boolean {
		return votesShown(this.#host.view(getSettings));
	}

	/** Whether everyone may see who gave which dots. */
	get open(): boolean {
		return this.#host.view(getSettings).openVoting;
	}

	/** Dots of the participant this device enters for. */
	get mine(): Votes {
		const id = this.#host.actingAs.id;
		return this.#host.view((doc) => votesOf(doc, id));
	}

	get spent(): number {
		return Object.values(this.mine).reduce((a, b) => a + b, 0);
	}

	get left(): number {
		return Math.max(0, this.budget - this.spent);
	}

	mineOn(ideaId: string): number {
		return this.mine[ideaId] ?? 0;
	}

	canAdd(ideaId: string): boolean {
		return this.allowed && this.left > 0 && this.mineOn(ideaId) < this.maxPerIdea;
	}

	canRemove(ideaId: string): boolean {
		return this.allowed && this.mineOn(ideaId) > 0;
	}

	/** Totals per idea (everyone's dots); show them only when `countsShown`. */
	tally(ideaId: string): Tally {
		const current = this.#host.view(results);
		if (this.#tallies?.from !== current) {
			this.#tallies = { from: current, byIdea: new Map(current.ideas.map((r) => [r.idea.id, r])) };
		}
		return this.#tallies.byIdea.get(ideaId) ?? NO_TALLY;
	}

	get results(): Results {
		return this.#host.view(results);
	}

	/** Throws `CommandError` when the budget or the per-idea maximum does not allow it. */
	add(ideaId: string): void {
		const id = this.#host.actingAs.id;
		this.#host.run((doc) => vote(doc, id, ideaId, 1));
	}

	remove(ideaId: string): void {
		const id = this.#host.actingAs.id;
		this.#host.run((doc) => vote(doc, id, ideaId, -1));
	}
}
