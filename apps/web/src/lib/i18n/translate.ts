/**
 * Pure message lookup and formatting. No Svelte here, so it is unit-tested
 * directly; `locale.svelte.ts` wraps it in reactive state.
 */
import type { en } from './en';
import type { Locale, Params, Placeholders, Plural, Translation } from './types';

type En = typeof en;

/**
 * The dictionaries loaded so far. Each language is its own chunk: a page
 * loads only the language it shows (see `loadLocale`), and another one when
 * the user switches to it.
 */
const DICTIONARIES: Partial<Record<Locale, Translation<En>>> = {};

const LOADERS: Readonly<Record<Locale, () => Promise<Translation<En>>>> = {
	en: () => import('./en').then((m) => m.en),
	fi: () => import('./fi').then((m) => m.fi)
};

/** Whether `locale`'s messages are here, so `translate` can use them right away. */
export function hasLocale(locale: Locale): boolean {
	return DICTIONARIES[locale] !== undefined;
}

/** Fetches `locale`'s messages (once); call before translating in it. */
export async function loadLocale(locale: Locale): Promise<void> {
	DICTIONARIES[locale] ??= await LOADERS[locale]();
}

/** Installs messages directly (tests, which import the dictionaries themselves). */
export function setDictionary(locale: Locale, dictionary: Translation<En>): void {
	DICTIONARIES[locale] = dictionary;
}

function dictionary(locale: Locale): Translation<En> {
	const found = DICTIONARIES[locale];
	if (!found) throw new Error(`Messages for '${locale}' are not loaded`);
	return found;
}

export type MessageKey = keyof En;

/** Keys of plain messages. */
export type TextKey = { [K in MessageKey]: En[K] extends string ? K : never }[MessageKey];

/** Keys of count-dependent messages. */
export type PluralKey = Exclude<MessageKey, TextKey>;

type ParamsFor<Names extends string> = [Names] extends [never]
	? []
	: [params: Readonly<Record<Names, string | number>>];

/** Arguments after the key: none, or an object with exactly the message's placeholders. */
export type TextArgs<K extends TextKey> = ParamsFor<Placeholders<En[K] & string>>;

/** Arguments after the count: `{count}` comes from the count itself. */
export type PluralArgs<K extends PluralKey> = ParamsFor<
	Exclude<Placeholders<En[K] extends Plural ? En[K]['one'] | En[K]['other'] : never>, 'count'>
>;

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible rather than vanish. */
export function format(template: string, params?: Params): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.hasOwn(params, name) ? String(params[name]) : whole
	);
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * The plural form `count` takes in `locale` (both of ours only need one/other).
 * Whole numbers are "one" exactly at ±1 in Finnish and English (CLDR), so the
 * first page render need not build Intl objects (ICU data, ~10 ms on a laptop).
 */
export function pluralForm(locale: Locale, count: number): keyof Plural {
	if (Number.isSafeInteger(count)) return Math.abs(count) === 1 ? 'one' : 'other';
	let rules = pluralRules.get(locale);
	if (!rules) {
		rules = new Intl.PluralRules(locale);
		pluralRules.set(locale, rules);
	}
	return rules.select(count) === 'one' ? 'one' : 'other';
}

/** How CLDR writes whole numbers in our locales: group separator and minus sign. */
const INTEGER_STYLE: Record<Locale, { group: string; minus: string }> = {
	fi: { group: '\u00a0', minus: '\u2212' },
	en: { group: ',', minus: '-' }
};

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * `1 000` (fi) or `1,000` (en), as `Intl.NumberFormat` writes them. Whole
 * numbers are grouped here (the tests compare with Intl); anything else goes
 * to a cached formatter: building one costs far more than using it.
 */
export function formatCount(locale: Locale, count: number): string {
	if (Number.isSafeInteger(count) && !Object.is(count, -0)) {
		const { group, minus } = INTEGER_STYLE[locale];
		const digits = String(Math.abs(count));
		const grouped = digits.length > 3 ? digits.replace(/\B(?=(\d{3})+$)/g, group) : digits;
		return count < 0 ? minus + grouped : grouped;
	}
	let format = numberFormats.get(locale);
	if (!format) {
		format = new Intl.NumberFormat(locale);
		numberFormats.set(locale, format);
	}
	return format.format(count);
}

export function translate<K extends TextKey>(locale: Locale, key: K, ...args: TextArgs<K>): string {
	const message = dictionary(locale)[key] as string;
	return format(message, args[0]);
}

export function translatePlural<K extends PluralKey>(
	locale: Locale,
	key: K,
	count: number,
	...args: PluralArgs<K>
): string {
	const message = dictionary(locale)[key] as Plural;
	return format(message[pluralForm(locale, count)], {
		...args[0],
		count: formatCount(locale, count)
	});
}
