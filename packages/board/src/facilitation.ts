/**
 * Facilitator commands: phase, settings, timer, spotlight. The policy lets
 * only facilitators' connections write these; the UI offers them only to
 * facilitators.
 */
import type * as Y from 'yjs';
import { setMeta } from './commands.js';
import { LIMITS, type Phase, type Settings, type Spotlight, type Timer } from './schema.js';
import { getSettings } from './rules.js';

export function setPhase(doc: Y.Doc, phase: Phase): void {
	setMeta(doc, 'phase', phase);
}

/** Changes one setting (phase, private writing, lock, budgets, visibility, …). */
export function setSetting<K extends keyof Settings>(doc: Y.Doc, key: K, value: Settings[K]): void {
	setMeta(doc, key, value as never);
}

export function setSpotlight(doc: Y.Doc, spotlight: Spotlight | null): void {
	setMeta(doc, 'spotlight', spotlight);
}

const clampDuration = (ms: number) => Math.max(1000, Math.min(LIMITS.timerMs, Math.round(ms)));

/** Starts a countdown of `durationMs`; `serverNow` is the current server time. */
export function startTimer(doc: Y.Doc, durationMs: number, serverNow: number): void {
	const duration = clampDuration(durationMs);
	setMeta(doc, 'timer', {
		status: 'running',
		endsAt: Math.round(serverNow + duration),
		durationMs: duration
	});
}

export function pauseTimer(doc: Y.Doc, serverNow: number): void {
	const timer = getSettings(doc).timer;
	if (timer?.status !== 'running') return;
	setMeta(doc, 'timer', {
		status: 'paused',
		remainingMs: Math.max(0, Math.round(timer.endsAt - serverNow)),
		durationMs: timer.durationMs
	});
}

export function resumeTimer(doc: Y.Doc, serverNow: number): void {
	const timer = getSettings(doc).timer;
	if (timer?.status !== 'paused') return;
	setMeta(doc, 'timer', {
		status: 'running',
		endsAt: Math.round(serverNow + timer.remainingMs),
		durationMs: timer.durationMs
	});
}

/** Adds time to the countdown (e.g. +1 min), running or paused. */
export function addTime(doc: Y.Doc, ms: number, serverNow: number): void {
	const timer = getSettings(doc).timer;
	if (!timer) return;
	if (timer.status === 'running') {
		const remaining = Math.max(0, timer.endsAt - serverNow);
		const next = Math.min(LIMITS.timerMs, remaining + ms);
		setMeta(doc, 'timer', {
			status: 'running',
			endsAt: Math.round(serverNow + next),
			durationMs: clampDuration(Math.max(timer.durationMs, next))
		});
	} else {
		const next = Math.min(LIMITS.timerMs, timer.remainingMs + ms);
		setMeta(doc, 'timer', {
			status: 'paused',
			remainingMs: Math.round(next),
			durationMs: clampDuration(Math.max(timer.durationMs, next))
		});
	}
}

export function stopTimer(doc: Y.Doc): void {
	setMeta(doc, 'timer', null);
}

/**
 * Milliseconds left on the countdown at `serverNow` (null without a timer),
 * never more than its duration: a device's estimate of server time can trail
 * it by half a round trip, and a timer just started must not show a second
 * more than it was set for.
 */
export function timeLeft(timer: Timer | null, serverNow: number): number | null {
	if (!timer) return null;
	if (timer.status === 'paused') return timer.remainingMs;
	return Math.min(timer.durationMs, Math.max(0, timer.endsAt - serverNow));
}
