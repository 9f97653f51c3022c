/**
 * Whether this device chimes when the timer reaches zero. Remembered per
 * device and per view (`localStorage`): on by default on the projector, off
 * on people's own devices, where a room full of phones chiming at once would
 * be noise.
 */
import { on } from 'svelte/events';
import { readItem, writeItem } from '$lib/storage';
import { playChime, unlockAudio } from './chime';

export type ChimePlace = 'screen' | 'board';

export const CHIME_DEFAULTS: Record<ChimePlace, boolean> = { screen: true, board: false };

export function chimeKey(place: ChimePlace): string {
	return `kipina:chime:${place}`;
}

export class ChimeSetting {
	readonly place: ChimePlace;
	#enabled = $state(false);

	constructor(place: ChimePlace) {
		this.place = place;
		const stored = readItem(chimeKey(place));
		this.#enabled = stored === null ? CHIME_DEFAULTS[place] : stored === 'on';
	}

	get enabled(): boolean {
		return this.#enabled;
	}

	set enabled(value: boolean) {
		this.#enabled = value;
		writeItem(chimeKey(this.place), value ? 'on' : 'off');
		// Turning it on is a click: the browser lets the page make sound from now on.
		if (value) unlockAudio();
	}

	toggle(): void {
		this.enabled = !this.#enabled;
	}

	/** Chimes if enabled. */
	play(): void {
		if (this.#enabled) playChime();
	}

	/**
	 * Browsers allow sound only after the page was clicked or typed in; the
	 * first such gesture anywhere unlocks it. Call from a component; returns
	 * the cleanup.
	 */
	unlockOnFirstGesture(): () => void {
		const unlock = () => {
			if (this.#enabled) unlockAudio();
			stop();
		};
		const offs = [on(window, 'pointerdown', unlock), on(window, 'keydown', unlock)];
		const stop = () => offs.forEach((off) => off());
		return stop;
	}
}
