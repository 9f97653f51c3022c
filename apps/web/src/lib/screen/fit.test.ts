import { describe, expect, it } from 'vitest';
import {
	FIT_LIMITS,
	fitCards,
	fitGroups,
	groupPieces,
	linesFor,
	linesInHeight,
	packColumns,
	typicalLength
} from './fit';

/** The ideas area of the projector screen at 1920×1080. */
const PROJECTOR = { width: 1480, height: 860 };

describe('typicalLength', () => {
	it('stands for most texts, not the longest', () => {
		expect(typicalLength([10, 20, 30, 500])).toBe(220);
		expect(typicalLength([40, 40, 40, 40, 40, 40, 40, 500])).toBe(40);
	});

	it('has a sensible value without ideas', () => {
		expect(typicalLength([])).toBe(40);
	});
});

describe('linesFor', () => {
	it('grows with the text and shrinks with the width', () => {
		expect(linesFor(40, 1000, 20)).toBe(1);
		expect(linesFor(200, 300, 20)).toBeGreaterThan(linesFor(200, 600, 20));
	});
});

describe('fitCards', () => {
	it('gives a few ideas big type', () => {
		const fit = fitCards(PROJECTOR, 10, 60);
		expect(fit.fontPx).toBeGreaterThanOrEqual(32);
		expect(fit.meta).toBe(true);
		expect(fit.columns * fit.rows).toBeGreaterThanOrEqual(10);
	});

	it('gives more ideas smaller type and more columns', () => {
		const few = fitCards(PROJECTOR, 12, 60);
		const some = fitCards(PROJECTOR, 60, 60);
		const many = fitCards(PROJECTOR, 150, 60);
		expect(some.fontPx).toBeLessThan(few.fontPx);
		expect(many.fontPx).toBeLessThan(some.fontPx);
		expect(many.columns).toBeGreaterThan(few.columns);
		expect(many.fontPx).toBeGreaterThanOrEqual(FIT_LIMITS.minFont);
	});

	it('keeps every count within the box', () => {
		for (const count of [1, 5, 12, 37, 60, 120, 150, 300]) {
			for (const length of [20, 80, 200]) {
				const fit = fitCards(PROJECTOR, count, length);
				expect(fit.columns * fit.rows, `${count}`).toBeGreaterThanOrEqual(count);
				const cardH = (PROJECTOR.height - (fit.rows - 1) * fit.gapPx) / fit.rows;
				const needed = fit.fontPx * (1.1 + fit.lines * 1.25 + (fit.meta ? 1.45 : 0));
				expect(needed, `${count} × ${length}`).toBeLessThanOrEqual(cardH + 0.01);
			}
		}
	});

	it('handles no ideas (nothing to fit)', () => {
		expect(fitCards(PROJECTOR, 0, 40).columns).toBe(1);
	});

	it('prefers cutting long texts short to unreadable type', () => {
		const fit = fitCards(PROJECTOR, 150, 220);
		expect(fit.fontPx).toBeGreaterThanOrEqual(FIT_LIMITS.floorFont);
		expect(fit.lines).toBeGreaterThanOrEqual(1);
		expect(fit.lines).toBeLessThanOrEqual(FIT_LIMITS.maxLines);
	});
});

describe('packColumns', () => {
	it('puts each block into the shortest column', () => {
		expect(packColumns([5, 1, 1, 1, 3], 2)).toEqual([[0], [1, 2, 3, 4]]);
		expect(packColumns([2, 2, 2], 3)).toEqual([[0], [1], [2]]);
	});

	it('keeps the order within a column', () => {
		expect(packColumns([1, 1, 1, 1], 2)).toEqual([
			[0, 2],
			[1, 3]
		]);
	});
});

describe('fitGroups', () => {
	it('places every idea of every group exactly once', () => {
		const sizes = [5, 8, 3, 12, 2, 1, 50];
		const fit = fitGroups(PROJECTOR, sizes, 50);
		expect(fit.placement.length).toBe(fit.columns);
		sizes.forEach((size, group) => {
			const covered = fit.placement
				.flat()
				.filter((piece) => piece.group === group)
				.flatMap((piece) => Array.from({ length: piece.to - piece.from }, (_, k) => piece.from + k))
				.sort((a, b) => a - b);
			expect(covered, `group ${group}`).toEqual(Array.from({ length: size }, (_, k) => k));
		});
	});

	it('splits one very big group over columns instead of shrinking everything', () => {
		// As large as if the same ideas were spread evenly over the themes.
		const split = fitGroups(PROJECTOR, [20, 20, 20, 20, 20, 50], 50);
		const even = fitGroups(PROJECTOR, [25, 25, 25, 25, 25, 25], 50);
		expect(split.fontPx).toBeGreaterThanOrEqual(even.fontPx - 1);
		expect(groupPieces([20, 50], 4).filter((p) => p.group === 1).length).toBeGreaterThan(1);
		expect(groupPieces([3, 4], 4)).toEqual([
			{ group: 0, from: 0, to: 3 },
			{ group: 1, from: 0, to: 4 }
		]);
	});

	it('shrinks type as groups fill up', () => {
		const small = fitGroups(PROJECTOR, [3, 3, 3], 50);
		const large = fitGroups(PROJECTOR, [30, 30, 30, 30, 20], 50);
		expect(large.fontPx).toBeLessThan(small.fontPx);
	});
});

describe('linesInHeight', () => {
	it('uses the room a card really has, within the limit', () => {
		const fit = fitCards(PROJECTOR, 12, 60);
		expect(linesInHeight(fit, 10)).toBe(fit.lines);
		expect(linesInHeight(fit, 10_000)).toBe(FIT_LIMITS.maxLines);
	});
});
