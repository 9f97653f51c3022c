import { describe, expect, it } from 'vitest';
import { INDUSTRY_TONES, industryTone, initials } from './industryColor';

/** WCAG relative luminance contrast of two #rrggbb colours. */
function contrast(a: string, b: string): number {
	const lum = (hex: string) => {
		const [r, g, bl] = [1, 3, 5].map((i) => {
			const c = parseInt(hex.slice(i, i + 2), 16) / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
	};
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

describe('industryTone', () => {
	it('gives the same tone for the same industry regardless of case and spaces', () => {
		expect(industryTone('Leipomo')).toBe(industryTone(' leipomo '));
	});

	it('spreads common industries over several tones', () => {
		const industries = ['matkailu', 'leipomo', 'IT', 'kirjanpito', 'kauneudenhoito', 'ravintola'];
		expect(new Set(industries.map(industryTone)).size).toBeGreaterThanOrEqual(4);
	});

	it('keeps every tone readable (WCAG AA)', () => {
		for (const tone of INDUSTRY_TONES) expect(contrast(tone.bg, tone.fg)).toBeGreaterThan(4.5);
	});
});

describe('initials', () => {
	it('takes the first and last name', () => {
		expect(initials('Aino Maria Virtanen')).toBe('AV');
		expect(initials('ville')).toBe('V');
		expect(initials('  ')).toBe('?');
	});
});
