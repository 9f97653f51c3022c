/**
 * A calm colour per industry, so the mix of industries is visible at a glance.
 * The same industry gets the same colour on every screen (a hash, not an index).
 * Every pair has at least 4.5:1 contrast.
 */
export const INDUSTRY_TONES = [
	{ bg: '#efe4d2', fg: '#5a4220' },
	{ bg: '#f6dcd8', fg: '#8a2c22' },
	{ bg: '#d9e7f3', fg: '#1f4b75' },
	{ bg: '#dfebd6', fg: '#375a27' },
	{ bg: '#eadff0', fg: '#5b386f' },
	{ bg: '#fae3c8', fg: '#874710' },
	{ bg: '#d5ece7', fg: '#1c5a52' },
	{ bg: '#e3e6ea', fg: '#39434e' }
] as const;

export type IndustryTone = (typeof INDUSTRY_TONES)[number];

/** Tones already worked out: a board has a handful of industries and thousands of chips. */
const tones = new Map<string, IndustryTone>();

export function industryTone(industry: string): IndustryTone {
	let tone = tones.get(industry);
	if (!tone) {
		tone = toneOf(industry);
		if (tones.size >= 500) tones.clear();
		tones.set(industry, tone);
	}
	return tone;
}

function toneOf(industry: string): IndustryTone {
	const key = industry.trim().toLocaleLowerCase('fi');
	let hash = 2166136261;
	for (const char of key) {
		hash ^= char.codePointAt(0) ?? 0;
		hash = Math.imul(hash, 16777619);
	}
	return INDUSTRY_TONES[(hash >>> 0) % INDUSTRY_TONES.length] ?? INDUSTRY_TONES[0];
}

/** One or two letters for an avatar: "Aino Virtanen" → "AV". */
export function initials(name: string): string {
	const parts = name.trim().split(/\s+/).filter(Boolean);
	const first = parts[0]?.[0] ?? '?';
	const last = parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '';
	return (first + last).toLocaleUpperCase('fi');
}
