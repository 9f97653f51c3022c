/**
 * What the projector shows, read from the board through the flow host (the
 * board client): settings, ideas and themes, results, actions, live counts
 * and presence. Read-only by construction: it has no commands.
 *
 * Views are module-level functions, so the host caches each result until the
 * document changes instead of recomputing it per component.
 */
import {
	boardLayout,
	getSessionInfo,
	getSettings,
	industryCount,
	listActions,
	listIdeas,
	listParticipants,
	privateIdeaStats,
	results,
	votesShown,
	votingProgress,
	type ActionView,
	type Cluster,
	type Idea,
	type Layout,
	type Participant,
	type PrivateIdeaStats,
	type Results,
	type SessionInfo,
	type Settings,
	type VotingProgress
} from '@kipina/board';
import type * as Y from 'yjs';
import { onlineUsers, type OnlineUser } from '$lib/board/online';
import { draggersByIdea, type Dragger } from '$lib/board/presence';

/** What the screen needs from the board client: reactive reads, nothing that writes. */
export interface ScreenHost {
	readonly sessionId: string;
	readonly isClosed: boolean;
	view<T>(read: (doc: Y.Doc) => T): T;
	presence<T>(read: (states: Iterable<unknown>) => T): T;
}

/** What the spotlight shows, resolved: an idea, or a theme with its ideas. */
export type SpotlitItem =
	| { kind: 'idea'; idea: Idea; votes: number | null }
	| { kind: 'cluster'; cluster: Cluster; ideas: Idea[]; votes: number | null };

const participantsById = (doc: Y.Doc) =>
	new Map(listParticipants(doc).map((p): [string, Participant] => [p.id, p]));

/** Idea id → dots on it. */
const dotsByIdea = (doc: Y.Doc) => new Map(results(doc).ideas.map((r) => [r.idea.id, r.votes]));

/** The screen is nobody's "me": everyone's drags and presence show, the facilitator's too. */
const NOBODY = '';
const onlineOnScreen = (states: Iterable<unknown>) => onlineUsers(states, NOBODY);
const draggersOnScreen = (states: Iterable<unknown>) => draggersByIdea(states, NOBODY);

export class ScreenModel {
	readonly #host: ScreenHost;

	constructor(host: ScreenHost) {
		this.#host = host;
	}

	get sessionId(): string {
		return this.#host.sessionId;
	}

	get isClosed(): boolean {
		return this.#host.isClosed;
	}

	get info(): SessionInfo {
		return this.#host.view(getSessionInfo);
	}

	get settings(): Settings {
		return this.#host.view(getSettings);
	}

	/** Ideas on the shared board (never private ones: those are not in this document). */
	get ideas(): Idea[] {
		return this.#host.view(listIdeas);
	}

	get layout(): Layout {
		return this.#host.view(boardLayout);
	}

	get results(): Results {
		return this.#host.view(results);
	}

	/** Dots per idea while counts may be shown to everyone, else `null`. */
	get dots(): Map<string, number> | null {
		return votesShown(this.settings) ? this.#host.view(dotsByIdea) : null;
	}

	get privateStats(): PrivateIdeaStats {
		return this.#host.view(privateIdeaStats);
	}

	get votingProgress(): VotingProgress {
		return this.#host.view(votingProgress);
	}

	get actions(): ActionView[] {
		return this.#host.view(listActions);
	}

	get participants(): Map<string, Participant> {
		return this.#host.view(participantsById);
	}

	/** Distinct industries among the ideas on the board. */
	get industries(): number {
		return industryCount(this.ideas);
	}

	/** Everyone with the board open, one entry per person, by name. */
	get online(): OnlineUser[] {
		return this.#host.presence(onlineOnScreen);
	}

	/** Idea id → who is dragging it right now (anyone, the facilitator included). */
	get draggers(): Map<string, Dragger[]> {
		return this.#host.presence(draggersOnScreen);
	}

	get spotlit(): SpotlitItem | null {
		const target = this.settings.spotlight;
		if (!target) return null;
		const dots = this.dots;
		if (target.kind === 'idea') {
			const idea = this.ideas.find((i) => i.id === target.id);
			return idea ? { kind: 'idea', idea, votes: dots ? (dots.get(idea.id) ?? 0) : null } : null;
		}
		const group = this.layout.clusters.find((c) => c.cluster.id === target.id);
		if (!group) return null;
		const votes = dots ? group.ideas.reduce((sum, i) => sum + (dots.get(i.id) ?? 0), 0) : null;
		return { kind: 'cluster', cluster: group.cluster, ideas: group.ideas, votes };
	}
}
