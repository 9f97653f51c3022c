/**
 * Auto-layout for the projector: how many columns and how large a type the
 * ideas get so that all of them fit the screen without scrolling — ten ideas
 * as big cards, a hundred and fifty as a compact grid. Pure estimates from
 * text length and box size; `shrinkToFit` corrects what the estimate misses.
 */

/** Average advance of a character, in em, for the UI font at card weight (Finnish has long words). */
const CHAR_EM = 0.54;
const LINE = 1.25;
/** Card padding, top + bottom, in em. */
const PAD_Y = 1.1;
/** Card padding, left + right, in em. */
const PAD_X = 1.4;
/** The author line under the text (industry chip), in em, gap included. */
const META = 1.45;
/** Type smaller than this has no author line: it would be illegible anyway. */
const META_MIN_PX = 17;

export const FIT_LIMITS = {
	/** Largest type on a card (px at 1920×1080); a single idea needs no more. */
	maxFont: 46,
	/** Smallest type before cards start cutting text off. */
	minFont: 13,
	/** Smallest type at all. */
	floorFont: 9,
	/** Lines of text a card shows at most; the spotlight shows the rest. */
	maxLines: 6,
	maxColumns: 14
} as const;

export interface Box {
	width: number;
	height: number;
}

export interface CardFit {
	columns: number;
	rows: number;
	/** Type size of the idea text, px. */
	fontPx: number;
	/** Lines of text a card shows (longer texts end in "…"). */
	lines: number;
	/** Whether cards have room for the author line. */
	meta: boolean;
	gapPx: number;
}

/**
 * A length that stands for the ideas' texts: the 75th percentile, so a few
 * long ones are cut off rather than shrinking everything.
 */
export function typicalLength(lengths: readonly number[]): number {
	if (lengths.length === 0) return 40;
	const sorted = [...lengths].sort((a, b) => a - b);
	const at = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.75))] ?? 40;
	return Math.max(16, Math.min(220, at));
}

/** Lines a text of `chars` characters takes in a column `widthPx` wide at `fontPx`. */
export function linesFor(chars: number, widthPx: number, fontPx: number): number {
	const perLine = Math.max(1, Math.floor(widthPx / (CHAR_EM * fontPx)));
	// Words wrap before the edge: count a little more than the plain division.
	return Math.max(1, Math.ceil((chars * 1.08) / perLine));
}

const gapFor = (box: Box, count: number) =>
	Math.round(Math.max(8, Math.min(24, box.width / (count > 40 ? 160 : 80))));

function cardHeight(fontPx: number, lines: number, meta: boolean): number {
	return fontPx * (PAD_Y + lines * LINE + (meta ? META : 0));
}

/**
 * Height a card needs at its fit (px), with a little air: rows are no taller,
 * so four ideas do not become four towers.
 */
export function roomyCardHeight(fit: CardFit): number {
	return cardHeight(fit.fontPx, fit.lines, fit.meta) + fit.fontPx * 1.2;
}

/** Lines of text a card of `heightPx` holds at its fit (at least the fit's own). */
export function linesInHeight(fit: CardFit, heightPx: number): number {
	const room = Math.floor((heightPx / fit.fontPx - PAD_Y - (fit.meta ? META : 0)) / LINE);
	return Math.max(fit.lines, Math.min(FIT_LIMITS.maxLines, room));
}

/** Characters per line below which a card is too narrow to read. */
const MIN_MEASURE = 14;

/** Longest word among the texts (capped: a pasted link may break anywhere). */
export function longestWord(texts: readonly string[]): number {
	let longest = 0;
	for (const text of texts) {
		for (const word of text.split(/[\s/–—-]+/)) if (word.length > longest) longest = word.length;
	}
	return Math.min(longest, 22);
}

const perLine = (widthPx: number, fontPx: number) => Math.floor(widthPx / (CHAR_EM * fontPx));

/**
 * Cards in a grid: the largest type at which `count` cards showing
 * `textLength` characters in full fit `box`. When none does, the layout that
 * shows the most of each text, cut off after `lines`.
 */
export function fitCards(box: Box, count: number, textLength: number, wordLength = 0): CardFit {
	/** A line must hold the longest word, or Finnish compounds break mid-word. */
	const measure = Math.max(MIN_MEASURE, wordLength + 1);
	const n = Math.max(1, count);
	const gap = gapFor(box, n);
	let best: CardFit | null = null;
	let fallback: (CardFit & { shown: number }) | null = null;
	for (let columns = 1; columns <= Math.min(n, FIT_LIMITS.maxColumns); columns++) {
		const rows = Math.ceil(n / columns);
		const cardW = (box.width - (columns - 1) * gap) / columns;
		const cardH = (box.height - (rows - 1) * gap) / rows;
		if (cardW <= 0) break;
		if (cardH <= 0) continue;
		const full = (font: number) => {
			const textW = cardW - PAD_X * font;
			if (perLine(textW, font) < measure) return null;
			const lines = linesFor(textLength, textW, font);
			const meta = font >= META_MIN_PX;
			if (lines > FIT_LIMITS.maxLines || cardHeight(font, lines, meta) > cardH) return null;
			return { lines, meta };
		};
		if (full(FIT_LIMITS.minFont)) {
			// Smaller type only ever fits better: search for the largest that fits.
			let lo: number = FIT_LIMITS.minFont;
			let hi: number = FIT_LIMITS.maxFont;
			while (hi - lo > 0.25) {
				const mid = (lo + hi) / 2;
				if (full(mid)) lo = mid;
				else hi = mid;
			}
			const font = Math.floor(lo * 2) / 2;
			const fit = full(font) ?? { lines: 1, meta: false };
			if (!best || font > best.fontPx) best = { columns, rows, fontPx: font, gapPx: gap, ...fit };
			continue;
		}
		if (best) continue;
		// Cut texts off: as much of each as the cell holds at the smallest type (or less),
		// weighing what is shown by how large it is.
		const font = Math.floor(Math.min(FIT_LIMITS.minFont, cardH / (PAD_Y + LINE)) * 2) / 2;
		if (font < FIT_LIMITS.floorFont) continue;
		const textW = cardW - PAD_X * font;
		if (perLine(textW, font) < MIN_MEASURE) continue;
		const lines = Math.min(
			FIT_LIMITS.maxLines,
			Math.max(1, Math.floor((cardH / font - PAD_Y) / LINE))
		);
		const shown = Math.min(textLength, lines * perLine(textW, font)) * font;
		if (!fallback || shown > fallback.shown) {
			fallback = { columns, rows, fontPx: font, lines, meta: false, gapPx: gap, shown };
		}
	}
	if (best) return best;
	if (fallback) {
		const { shown: _shown, ...fit } = fallback;
		return fit;
	}
	return { columns: 1, rows: n, fontPx: FIT_LIMITS.floorFont, lines: 1, meta: false, gapPx: gap };
}

/**
 * Places blocks of the given heights into `columns` columns, each into the
 * shortest so far (a masonry). Returns block indices per column, in order.
 */
export function packColumns(heights: readonly number[], columns: number): number[][] {
	const out: number[][] = Array.from({ length: Math.max(1, columns) }, () => []);
	const filled = out.map(() => 0);
	heights.forEach((h, index) => {
		let target = 0;
		for (let c = 1; c < filled.length; c++) if (filled[c]! < filled[target]!) target = c;
		out[target]!.push(index);
		filled[target]! += h;
	});
	return out;
}

/** A run of a group's ideas, `[from, to)`; a big group is split over columns in pieces. */
export interface GroupPiece {
	group: number;
	from: number;
	to: number;
}

export interface GroupFit {
	columns: number;
	fontPx: number;
	/** Lines each idea in a group shows at most. */
	lines: number;
	gapPx: number;
	/** Pieces of groups per column, in reading order. */
	placement: GroupPiece[][];
}

/** Height of a group (theme) card: its title, then its ideas as a list. */
function groupHeight(fontPx: number, ideas: number, lines: number): number {
	const title = fontPx * (1.15 * LINE + 0.5);
	const items = Math.max(1, ideas) * fontPx * (lines * LINE + 0.55);
	return title + items + fontPx * 1.3;
}

/**
 * Splits groups taller than a column's fair share into even pieces, so one
 * big group (often "not in a theme yet") does not set the type size for all.
 */
export function groupPieces(groupSizes: readonly number[], columns: number): GroupPiece[] {
	const total = groupSizes.reduce((a, b) => a + b + 1.5, 0);
	const share = Math.max(4, Math.ceil(total / Math.max(1, columns)));
	const pieces: GroupPiece[] = [];
	groupSizes.forEach((size, group) => {
		const parts = size > share ? Math.ceil(size / share) : 1;
		for (let p = 0; p < parts; p++) {
			pieces.push({
				group,
				from: Math.round((p * size) / parts),
				to: Math.round(((p + 1) * size) / parts)
			});
		}
	});
	return pieces;
}

/**
 * Groups of ideas (themes, and the ideas not grouped yet) in columns: the
 * largest type at which every column fits `box.height`.
 */
export function fitGroups(
	box: Box,
	groupSizes: readonly number[],
	textLength: number,
	wordLength = 0
): GroupFit {
	/** A line must hold the longest word (and a readable measure), as on cards. */
	const measure = Math.max(MIN_MEASURE + 4, wordLength + 1);
	const total = groupSizes.reduce((a, b) => a + b, 0) + groupSizes.length;
	const gap = gapFor(box, total);
	let best: GroupFit | null = null;
	const maxColumns = Math.max(1, Math.min(Math.max(groupSizes.length, Math.ceil(total / 8)), 8));
	const place = (columns: number, height: (piece: GroupPiece) => number) => {
		const pieces = groupPieces(groupSizes, columns);
		const heights = pieces.map(height);
		const columnsOf = packColumns(heights, columns);
		const tallest = Math.max(...columnsOf.map((col) => col.reduce((a, i) => a + heights[i]!, 0)));
		return { tallest, placement: columnsOf.map((col) => col.map((i) => pieces[i]!)) };
	};
	for (let columns = 1; columns <= maxColumns; columns++) {
		const colW = (box.width - (columns - 1) * gap) / columns;
		const attempt = (font: number) => {
			if (perLine(colW - 2.2 * font, font) < measure) return null;
			const lines = Math.min(3, linesFor(textLength, colW - 2.2 * font, font));
			const { tallest, placement } = place(
				columns,
				(piece) => groupHeight(font, piece.to - piece.from, lines) + gap
			);
			return tallest <= box.height + gap ? { lines, placement } : null;
		};
		let lo: number = FIT_LIMITS.floorFont;
		let hi = FIT_LIMITS.maxFont * 0.8;
		if (!attempt(lo)) continue;
		while (hi - lo > 0.25) {
			const mid = (lo + hi) / 2;
			if (attempt(mid)) lo = mid;
			else hi = mid;
		}
		const font = Math.floor(lo * 2) / 2;
		const fit = attempt(font);
		if (fit && (!best || font > best.fontPx)) {
			best = { columns, fontPx: font, lines: fit.lines, gapPx: gap, placement: fit.placement };
		}
	}
	if (best) return best;
	return {
		columns: maxColumns,
		fontPx: FIT_LIMITS.floorFont,
		lines: 1,
		gapPx: gap,
		placement: place(maxColumns, (piece) => piece.to - piece.from + 2).placement
	};
}
