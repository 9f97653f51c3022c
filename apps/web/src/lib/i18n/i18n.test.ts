import { describe, expect, it } from 'vitest';
import { pickLocale } from './detect';
import { en } from './en';
import { fi } from './fi';
import { INDUSTRY_SUGGESTIONS } from './industries';
import {
	format,
	formatCount,
	hasLocale,
	loadLocale,
	pluralForm,
	setDictionary,
	translate,
	translatePlural
} from './translate';
import type { Message } from './types';

const placeholders = (message: Message): string[] => {
	const texts = typeof message === 'string' ? [message] : [message.one, message.other];
	return [
		...new Set(texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))
	].sort();
};

setDictionary('en', en);
setDictionary('fi', fi);

describe('loading', () => {
	it('loads a language once and keeps it', async () => {
		await loadLocale('fi');
		expect(hasLocale('fi')).toBe(true);
		expect(translate('fi', 'lang.label')).toBe('Kieli');
	});
});

describe('dictionaries', () => {
	it('have the same keys in Finnish and English', () => {
		expect(Object.keys(fi).sort()).toEqual(Object.keys(en).sort());
	});

	it('use the same kind of message and the same placeholders in both languages', () => {
		for (const key of Object.keys(en) as (keyof typeof en)[]) {
			expect(typeof fi[key], key).toBe(typeof en[key]);
			expect(placeholders(fi[key]), key).toEqual(placeholders(en[key]));
		}
	});

	it('have no empty or untrimmed messages', () => {
		for (const dict of [en, fi]) {
			for (const [key, message] of Object.entries(dict)) {
				const texts = typeof message === 'string' ? [message] : [message.one, message.other];
				for (const text of texts) {
					expect(text.trim(), key).toBe(text);
					expect(text.length, key).toBeGreaterThan(0);
				}
			}
		}
	});

	it('offer industry suggestions in both languages', () => {
		expect(INDUSTRY_SUGGESTIONS.fi).toContain('leipomo');
		expect(INDUSTRY_SUGGESTIONS.en).toContain('bakery');
		expect(INDUSTRY_SUGGESTIONS.fi.length).toBe(INDUSTRY_SUGGESTIONS.en.length);
	});
});

describe('format', () => {
	it('fills placeholders, also repeated ones', () => {
		expect(format('{a} and {b} and {a}', { a: 'x', b: 2 })).toBe('x and 2 and x');
	});

	it('leaves unknown placeholders visible instead of dropping text', () => {
		expect(format('Hi {name}', {})).toBe('Hi {name}');
	});

	it('does not interpret replacement patterns in values', () => {
		expect(format('Idea: {text}', { text: '$& $1 {text}' })).toBe('Idea: $& $1 {text}');
	});

	it('does not read inherited properties', () => {
		expect(format('{constructor}', {})).toBe('{constructor}');
	});
});

describe('translate', () => {
	it('translates with parameters', () => {
		expect(translate('fi', 'announce.newIdea', { name: 'Ville', text: 'Ruisleipäkurssi' })).toBe(
			'Ville lisäsi idean: Ruisleipäkurssi'
		);
		expect(translate('en', 'conn.saved')).toBe('All changes saved');
	});

	it('chooses plural forms per language', () => {
		expect(translatePlural('en', 'ideas.count', 1)).toBe('1 idea');
		expect(translatePlural('en', 'ideas.count', 12)).toBe('12 ideas');
		expect(translatePlural('fi', 'ideas.count', 1)).toBe('1 idea');
		expect(translatePlural('fi', 'ideas.count', 0)).toBe('0 ideaa');
		expect(translatePlural('fi', 'composer.left', 2)).toBe('2 merkkiä jäljellä');
	});

	it('formats counts for the locale', () => {
		expect(translatePlural('fi', 'online.count', 1000)).toBe('1\u00a0000 henkilöä');
		expect(translatePlural('en', 'online.count', 1000)).toBe('1,000 people');
	});

	it('knows one/other for both locales', () => {
		expect(pluralForm('fi', 1)).toBe('one');
		expect(pluralForm('fi', 5)).toBe('other');
		expect(pluralForm('en', 0)).toBe('other');
	});

	const samples = [
		0,
		1,
		-1,
		2,
		7,
		11,
		21,
		99,
		100,
		101,
		999,
		1000,
		-1000,
		1001,
		2000,
		9999,
		10_000,
		12_345,
		100_000,
		999_999,
		1_000_000,
		-1_234_567,
		2 ** 31,
		Number.MAX_SAFE_INTEGER,
		0.5,
		1.5,
		-0,
		1e21
	];

	it('writes numbers exactly as Intl.NumberFormat does, without building one for whole numbers', () => {
		for (const locale of ['fi', 'en'] as const) {
			const intl = new Intl.NumberFormat(locale);
			for (const n of samples)
				expect(formatCount(locale, n), `${locale} ${n}`).toBe(intl.format(n));
		}
	});

	it('picks the plural form Intl.PluralRules picks', () => {
		for (const locale of ['fi', 'en'] as const) {
			const rules = new Intl.PluralRules(locale);
			for (const n of samples) {
				const expected = rules.select(n) === 'one' ? 'one' : 'other';
				expect(pluralForm(locale, n), `${locale} ${n}`).toBe(expected);
			}
		}
	});
});

describe('pickLocale', () => {
	it('prefers the stored choice', () => {
		expect(pickLocale('en', ['fi-FI'])).toBe('en');
		expect(pickLocale('fi', ['en-US'])).toBe('fi');
	});

	it('ignores a stored value it does not know', () => {
		expect(pickLocale('sv', ['fi'])).toBe('fi');
	});

	it('follows the first supported browser language', () => {
		expect(pickLocale(null, ['fi-FI', 'en-US'])).toBe('fi');
		expect(pickLocale(null, ['de-DE', 'FI'])).toBe('fi');
		expect(pickLocale(null, ['en-GB', 'fi'])).toBe('en');
	});

	it('falls back to English', () => {
		expect(pickLocale(null, [])).toBe('en');
		expect(pickLocale(null, ['sv-FI', 'de'])).toBe('en');
	});
});
