import { describe, expect, it } from 'vitest';
import { delayToNextBoundary, estimateOffset } from './clockMath';

describe('estimateOffset', () => {
	it('is null without usable samples', () => {
		expect(estimateOffset([])).toBeNull();
		expect(estimateOffset([{ sentAt: 10, receivedAt: 5, serverNow: 100 }])).toBeNull();
	});

	it('assumes the server read its clock half-way through the round trip', () => {
		// Local 1000 → 1100; the server said 5050 (its clock is 4000 ahead).
		expect(estimateOffset([{ sentAt: 1000, receivedAt: 1100, serverNow: 5050 }])).toEqual({
			offset: 4000,
			rtt: 100
		});
	});

	it('trusts the sample with the shortest round trip', () => {
		const samples = [
			{ sentAt: 0, receivedAt: 900, serverNow: 10_100 }, // slow: a queued request
			{ sentAt: 1000, receivedAt: 1040, serverNow: 11_020 },
			{ sentAt: 2000, receivedAt: 2300, serverNow: 12_290 }
		];
		expect(estimateOffset(samples)).toEqual({ offset: 10_000, rtt: 40 });
	});

	it('handles a local clock behind the server and ahead of it', () => {
		expect(estimateOffset([{ sentAt: 5000, receivedAt: 5010, serverNow: 2005 }])?.offset).toBe(
			-3000
		);
	});

	it('ignores samples where the local clock jumped backwards', () => {
		const samples = [
			{ sentAt: 1000, receivedAt: 990, serverNow: 0 },
			{ sentAt: 2000, receivedAt: 2020, serverNow: 2010 }
		];
		expect(estimateOffset(samples)).toEqual({ offset: 0, rtt: 20 });
	});
});

describe('delayToNextBoundary', () => {
	it('waits until the next whole period', () => {
		expect(delayToNextBoundary(1_000_250, 1000)).toBe(750);
		expect(delayToNextBoundary(1_000_999, 1000)).toBe(1);
		expect(delayToNextBoundary(1_000_100, 250)).toBe(150);
	});

	it('never answers 0 (that would spin)', () => {
		expect(delayToNextBoundary(2000, 1000)).toBe(1000);
	});

	it('works for negative times too', () => {
		expect(delayToNextBoundary(-250, 1000)).toBe(250);
	});
});
