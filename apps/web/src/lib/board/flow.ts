/**
 * The meeting-night flow as the UI sees it: one object per board with the
 * facilitator's controls, themes, voting and planning, each a thin runes
 * adapter over `@kipina/board` views and commands (see `host.ts`).
 */
import {
	boardMaps,
	getParticipant,
	getSettings,
	results,
	writesPrivately,
	type Participant,
	type Phase,
	type Results,
	type Settings,
	type Spotlight
} from '@kipina/board';
import { createContext } from 'svelte';
import { Clustering } from './Clustering';
import { Facilitation } from './Facilitation';
import type { FlowHost } from './host';
import { Planning } from './Planning';
import type { ServerClock } from './serverClock.svelte';
import { Voting } from './Voting';

export class Flow {
	readonly facilitation: Facilitation;
	readonly clustering: Clustering;
	readonly voting: Voting;
	readonly planning: Planning;
	readonly #host: FlowHost;

	constructor(host: FlowHost, clock: ServerClock) {
		this.#host = host;
		this.facilitation = new Facilitation(host, clock);
		this.clustering = new Clustering(host);
		this.voting = new Voting(host);
		this.planning = new Planning(host);
	}

	get settings(): Settings {
		return this.#host.view(getSettings);
	}

	get phase(): Phase {
		return this.settings.phase;
	}

	/** New ideas go to private desks now. */
	get writesPrivately(): boolean {
		return writesPrivately(this.settings);
	}

	/** Read-only for this device: locked for participants (the facilitator is never locked out). */
	get lockedForMe(): boolean {
		return this.settings.locked && !this.#host.isFacilitator;
	}

	/** A participant's profile (`undefined` until it has arrived). */
	person(participantId: string): Participant | undefined {
		return this.#host.view((doc) => getParticipant(doc, participantId));
	}

	/** What is in the spotlight, with its text (an idea's text, a theme's name; `''` unnamed). */
	get spotlight(): (Spotlight & { text: string }) | null {
		const target = this.settings.spotlight;
		if (!target) return null;
		const text = this.#host.view((doc) => {
			const { ideas, clusters } = boardMaps(doc);
			return target.kind === 'idea' ? ideas.get(target.id)?.text : clusters.get(target.id)?.title;
		});
		return text === undefined ? null : { ...target, text };
	}

	get results(): Results {
		return this.#host.view(results);
	}
}

const [getFlow, setFlow] = createContext<Flow>();

export { getFlow, setFlow };
