/**
 * Countdown display logic, pure: what the timer shows and when it speaks.
 * `Countdown.svelte` renders it; the shared timer itself lives in the board's
 * meta (`Timer`, in server time).
 */
import { timeLeft, type Timer } from '@kipina/board';

/** The last minute is emphasised (and announced once). */
export const FINAL_MINUTE_MS = 60_000;

export type CountdownState = 'running' | 'final' | 'paused' | 'done';

export interface CountdownView {
	state: CountdownState;
	/** Whole seconds shown, rounded up: 0.2 s left still shows 00:01. */
	seconds: number;
	/** `mm:ss`, or `h:mm:ss` from an hour up. */
	text: string;
	/** Share of the duration still left, 0–1 (for a progress bar). */
	fraction: number;
	/** How long ago a running timer reached zero (ms); 0 before that. */
	overdueMs: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `mm:ss` for under an hour, `h:mm:ss` above; never negative. */
export function formatCountdown(ms: number): string {
	const total = Math.max(0, Math.ceil(ms / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** What to show for `timer` at server time `serverNow`; `null` when there is no timer. */
export function countdownView(timer: Timer | null, serverNow: number): CountdownView | null {
	if (!timer) return null;
	const left = timeLeft(timer, serverNow) ?? 0;
	const seconds = Math.max(0, Math.ceil(left / 1000));
	const state: CountdownState =
		seconds === 0
			? 'done'
			: timer.status === 'paused'
				? 'paused'
				: left <= FINAL_MINUTE_MS
					? 'final'
					: 'running';
	return {
		state,
		seconds,
		text: formatCountdown(left),
		fraction: timer.durationMs > 0 ? Math.min(1, Math.max(0, left / timer.durationMs)) : 0,
		overdueMs: timer.status === 'running' ? Math.max(0, serverNow - timer.endsAt) : 0
	};
}

export type CountdownCue = 'final-minute' | 'time-up';

/** A device that wakes up long after zero stays quiet: the moment has passed. */
export const TIME_UP_GRACE_MS = 5_000;

/**
 * What to announce (and whether to chime) when the view changes from
 * `before` to `after`: only on crossing into the last minute and on reaching
 * zero while running — not on loading a timer that is already low or over,
 * not long after the fact (a phone waking up), and never every second.
 */
export function countdownCue(
	before: CountdownView | null,
	after: CountdownView | null
): CountdownCue | null {
	if (!before || !after) return null;
	if (after.state === 'done' && before.state !== 'done' && before.state !== 'paused') {
		return after.overdueMs <= TIME_UP_GRACE_MS ? 'time-up' : null;
	}
	if (after.state === 'final' && before.state === 'running') return 'final-minute';
	return null;
}
