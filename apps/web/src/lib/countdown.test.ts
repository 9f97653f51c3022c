import type { Timer } from '@kipina/board';
import { describe, expect, it } from 'vitest';
import { countdownCue, countdownView, formatCountdown } from './countdown';

const running = (endsAt: number, durationMs = 300_000): Timer => ({
	status: 'running',
	endsAt,
	durationMs
});

describe('formatCountdown', () => {
	it('shows mm:ss, rounding up to the whole second', () => {
		expect(formatCountdown(300_000)).toBe('05:00');
		expect(formatCountdown(299_001)).toBe('05:00');
		expect(formatCountdown(299_000)).toBe('04:59');
		expect(formatCountdown(59_500)).toBe('01:00');
		expect(formatCountdown(200)).toBe('00:01');
	});

	it('never goes below zero', () => {
		expect(formatCountdown(0)).toBe('00:00');
		expect(formatCountdown(-5000)).toBe('00:00');
	});

	it('adds hours from an hour up', () => {
		expect(formatCountdown(3_600_000)).toBe('1:00:00');
		expect(formatCountdown(3_725_000)).toBe('1:02:05');
		expect(formatCountdown(3_599_000)).toBe('59:59');
	});
});

describe('countdownView', () => {
	it('is null without a timer', () => {
		expect(countdownView(null, 0)).toBeNull();
	});

	it("never shows more than the duration while this device's clock trails the server", () => {
		// Started at server time 10_000 for 90 s; this device still thinks it is 9_990.
		expect(countdownView(running(100_000, 90_000), 9_990)).toMatchObject({
			seconds: 90,
			text: '01:30',
			fraction: 1
		});
	});

	it('counts a running timer down against server time', () => {
		expect(countdownView(running(100_000), 30_000)).toMatchObject({
			state: 'running',
			seconds: 70,
			text: '01:10'
		});
	});

	it('emphasises the last minute', () => {
		expect(countdownView(running(100_000), 40_001)?.state).toBe('final');
		expect(countdownView(running(100_000), 39_999)?.state).toBe('running');
	});

	it('reaches "done" at zero and stays there', () => {
		expect(countdownView(running(100_000), 100_000)).toMatchObject({
			state: 'done',
			text: '00:00',
			overdueMs: 0
		});
		expect(countdownView(running(100_000), 130_000)?.overdueMs).toBe(30_000);
	});

	it('shows a paused timer without a clock', () => {
		const paused: Timer = { status: 'paused', remainingMs: 90_500, durationMs: 300_000 };
		expect(countdownView(paused, 0)).toMatchObject({ state: 'paused', text: '01:31' });
		expect(countdownView(paused, 999_999_999)?.text).toBe('01:31');
	});

	it('gives the share of time left for the progress bar', () => {
		expect(countdownView(running(150_000, 300_000), 0)?.fraction).toBe(0.5);
		expect(countdownView(running(0, 300_000), 10)?.fraction).toBe(0);
	});
});

describe('countdownCue', () => {
	const at = (now: number, timer: Timer = running(100_000)) => countdownView(timer, now);

	it('speaks once on entering the last minute', () => {
		expect(countdownCue(at(39_000), at(40_500))).toBe('final-minute');
		expect(countdownCue(at(40_500), at(41_000))).toBeNull();
	});

	it('speaks once at zero', () => {
		expect(countdownCue(at(99_500), at(100_100))).toBe('time-up');
		expect(countdownCue(at(100_100), at(100_400))).toBeNull();
	});

	it('stays quiet for a timer that was already low or over when it loaded', () => {
		expect(countdownCue(null, at(50_000))).toBeNull();
		expect(countdownCue(null, at(120_000))).toBeNull();
	});

	it('stays quiet when a device wakes up long after zero', () => {
		expect(countdownCue(at(20_000), at(130_000))).toBeNull();
	});

	it('says nothing when the timer is stopped or paused', () => {
		expect(countdownCue(at(50_000), null)).toBeNull();
		const paused: Timer = { status: 'paused', remainingMs: 40_000, durationMs: 300_000 };
		expect(countdownCue(at(50_000), countdownView(paused, 0))).toBeNull();
	});
});
