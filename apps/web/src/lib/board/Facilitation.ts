/**
 * The facilitator's controls: phase, settings, timer, spotlight, reveal of
 * private ideas and people without a device. The server enforces that only
 * the facilitator may change these; the UI offers them only to the facilitator.
 */
import {
	PHASES,
	addTime,
	getSettings,
	listParticipants,
	pauseTimer,
	privateIdeaStats,
	resumeTimer,
	setPhase,
	setSetting,
	setSpotlight,
	startTimer,
	stopTimer,
	votingProgress,
	type Participant,
	type Phase,
	type PrivateIdeaStats,
	type Settings,
	type Spotlight,
	type VotingProgress
} from '@kipina/board';
import type * as Y from 'yjs';
import type { ProfileInput } from '$lib/api';
import { addProxy, revealIdeas } from '$lib/flowApi';
import type { FlowHost } from './host';
import type { ServerClock } from './serverClock.svelte';

const ONE_MINUTE = 60_000;

const proxiesOf = (doc: Y.Doc) => listParticipants(doc).filter((p) => p.proxy === true);

export class Facilitation {
	readonly #host: FlowHost;
	readonly #clock: ServerClock;

	constructor(host: FlowHost, clock: ServerClock) {
		this.#host = host;
		this.#clock = clock;
		// The timer is set in server time: measure the offset before the first start.
		if (host.isFacilitator) clock.ensureSynced();
	}

	get settings(): Settings {
		return this.#host.view(getSettings);
	}

	get phaseIndex(): number {
		return PHASES.indexOf(this.settings.phase);
	}

	/** Private ideas not yet revealed, over the whole session. */
	get privateStats(): PrivateIdeaStats {
		return this.#host.view(privateIdeaStats);
	}

	get votingProgress(): VotingProgress {
		return this.#host.view(votingProgress);
	}

	/** People the facilitator added because they have no device. */
	get proxies(): Participant[] {
		return this.#host.view(proxiesOf);
	}

	setPhase(phase: Phase): void {
		this.#host.run((doc) => setPhase(doc, phase));
	}

	set<K extends keyof Settings>(key: K, value: Settings[K]): void {
		this.#host.run((doc) => setSetting(doc, key, value));
	}

	/**
	 * Turning private writing off also reveals what was written privately:
	 * ideas left on desks would otherwise stay hidden with nobody writing
	 * there any more. The setting goes first, so nothing new lands on a desk
	 * after the reveal.
	 */
	async setPrivateWriting(on: boolean): Promise<number> {
		this.set('privateWriting', on);
		return on ? 0 : this.reveal();
	}

	/** Moves all private ideas onto the board (the server does it); returns how many. */
	reveal(): Promise<number> {
		return revealIdeas(this.#host.sessionId);
	}

	startTimer(durationMs: number): void {
		this.#host.run((doc) => startTimer(doc, durationMs, this.#clock.now()));
	}

	pauseTimer(): void {
		this.#host.run((doc) => pauseTimer(doc, this.#clock.now()));
	}

	resumeTimer(): void {
		this.#host.run((doc) => resumeTimer(doc, this.#clock.now()));
	}

	addMinute(): void {
		this.#host.run((doc) => addTime(doc, ONE_MINUTE, this.#clock.now()));
	}

	stopTimer(): void {
		this.#host.run((doc) => stopTimer(doc));
	}

	spotlight(target: Spotlight | null): void {
		this.#host.run((doc) => setSpotlight(doc, target));
	}

	isSpotlit(kind: Spotlight['kind'], id: string): boolean {
		const current = this.settings.spotlight;
		return current?.kind === kind && current.id === id;
	}

	addProxy(input: ProfileInput): Promise<Participant> {
		return addProxy(this.#host.sessionId, input);
	}
}
