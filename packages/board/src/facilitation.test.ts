import { describe, expect, it } from 'vitest';
import { createBoardDoc } from './doc.js';
import { addTime, pauseTimer, startTimer, timeLeft } from './facilitation.js';
import { getSettings } from './rules.js';

describe('timeLeft', () => {
	it('is null without a timer', () => {
		expect(timeLeft(null, 0)).toBeNull();
	});

	it('counts a running timer down and stops at zero', () => {
		const doc = createBoardDoc();
		startTimer(doc, 90_000, 10_000);
		const timer = getSettings(doc).timer;
		expect(timeLeft(timer, 40_000)).toBe(60_000);
		expect(timeLeft(timer, 200_000)).toBe(0);
	});

	it('never exceeds the duration when this device’s clock trails the server', () => {
		const doc = createBoardDoc();
		startTimer(doc, 90_000, 10_000);
		expect(timeLeft(getSettings(doc).timer, 9_990)).toBe(90_000);
	});

	it('counts added time, which raises the duration with it', () => {
		const doc = createBoardDoc();
		startTimer(doc, 90_000, 10_000);
		addTime(doc, 60_000, 10_000);
		expect(timeLeft(getSettings(doc).timer, 9_990)).toBe(150_000);
		expect(timeLeft(getSettings(doc).timer, 40_000)).toBe(120_000);
	});

	it('holds still while paused', () => {
		const doc = createBoardDoc();
		startTimer(doc, 90_000, 10_000);
		pauseTimer(doc, 40_000);
		expect(timeLeft(getSettings(doc).timer, 1_000_000)).toBe(60_000);
	});
});
