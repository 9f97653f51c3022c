/**
 * Why two results stand where they stand. `results()` in @kipina/board ranks
 * by dots; equal dots go to the broader industry mix, and when that is equal
 * too the places are shared ("1, 1, 3"). The results view says so next to the
 * items, so nobody wonders why one idea with 4 dots sits above another.
 */

export interface Ranked {
	votes: number;
	rank: number;
	industries: readonly string[];
}

/**
 * - `shared`: same dots and same industry mix as a neighbour: the place is shared;
 * - `industry`: same dots as a neighbour, but the industry mix decided the order;
 * - `null`: no tie (or no dots at all: a long list of zeros is not a tie worth naming).
 */
export type TieNote = 'shared' | 'industry' | null;

/** One note per item of a ranked list (in its order). */
export function tieNotes(items: readonly Ranked[]): TieNote[] {
	return items.map((item, i) => {
		if (item.votes === 0) return null;
		const neighbours = [items[i - 1], items[i + 1]].filter(
			(n): n is Ranked => n !== undefined && n.votes === item.votes
		);
		if (neighbours.some((n) => n.rank === item.rank)) return 'shared';
		if (neighbours.length > 0) return 'industry';
		return null;
	});
}
