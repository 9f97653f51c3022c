import { describe, expect, it } from 'vitest';
import { tieNotes } from './ties';

const item = (votes: number, rank: number, industries: number) => ({
	votes,
	rank,
	industries: Array.from({ length: industries }, (_, i) => `industry ${i}`)
});

describe('tieNotes', () => {
	it('names no tie where the dots differ', () => {
		expect(tieNotes([item(5, 1, 1), item(3, 2, 3), item(1, 3, 1)])).toEqual([null, null, null]);
	});

	it('says when the industry mix broke a tie of dots', () => {
		expect(tieNotes([item(4, 1, 3), item(4, 2, 1), item(2, 3, 1)])).toEqual([
			'industry',
			'industry',
			null
		]);
	});

	it('says when a place is shared', () => {
		expect(tieNotes([item(4, 1, 2), item(4, 1, 2), item(4, 3, 1)])).toEqual([
			'shared',
			'shared',
			'industry'
		]);
	});

	it('stays quiet about ideas without dots', () => {
		expect(tieNotes([item(1, 1, 1), item(0, 2, 1), item(0, 2, 1)])).toEqual([null, null, null]);
	});
});
