import { createContext } from 'svelte';
import { KEYS, readItem, writeItem } from '../storage';
import { pickLocale } from './detect';
import {
	hasLocale,
	loadLocale,
	translate,
	translatePlural,
	type PluralArgs,
	type PluralKey,
	type TextArgs,
	type TextKey
} from './translate';
import type { Locale } from './types';

/**
 * The UI language. Reading `t`/`plural` inside a template or effect tracks the
 * locale, so switching re-renders every message without a reload.
 */
export class I18n {
	#locale = $state<Locale>('en');
	/** The language asked for last (a switch may still be loading its messages). */
	#wanted: Locale = 'en';

	/** `locale`'s messages must be loaded already (`loadLocale`). */
	constructor(locale: Locale) {
		this.#locale = locale;
		this.#wanted = locale;
		applyToDocument(locale);
	}

	/** The stored choice, else the first of the browser's languages we speak. */
	static browserLocale(): Locale {
		const languages = typeof navigator === 'undefined' ? [] : navigator.languages;
		return pickLocale(readItem(KEYS.locale), languages ?? []);
	}

	/** The stored choice, else the browser's languages, with its messages loaded. */
	static async loadBrowserLocale(): Promise<Locale> {
		const locale = I18n.browserLocale();
		await loadLocale(locale);
		return locale;
	}

	get locale(): Locale {
		return this.#locale;
	}

	/** Switches now if the language's messages are here, else as soon as they have loaded. */
	set locale(locale: Locale) {
		this.#wanted = locale;
		writeItem(KEYS.locale, locale);
		if (hasLocale(locale)) this.#apply(locale);
		else {
			// Offline, the messages may not arrive: the page stays in its language (the choice is
			// stored, so the next load uses it).
			loadLocale(locale).then(
				() => this.#wanted === locale && this.#apply(locale),
				() => undefined
			);
		}
	}

	#apply(locale: Locale): void {
		this.#locale = locale;
		applyToDocument(locale);
	}

	t = <K extends TextKey>(key: K, ...args: TextArgs<K>): string =>
		translate(this.#locale, key, ...args);

	plural = <K extends PluralKey>(key: K, count: number, ...args: PluralArgs<K>): string =>
		translatePlural(this.#locale, key, count, ...args);

	/** Clock time such as 18.42 (fi) or 6:42 PM (en). */
	time = (epochMs: number): string =>
		new Intl.DateTimeFormat(this.#locale, { hour: 'numeric', minute: '2-digit' }).format(epochMs);

	/** The current month's name, for default titles. */
	month = (date: number = Date.now()): string =>
		new Intl.DateTimeFormat(this.#locale, { month: 'long' }).format(date);
}

function applyToDocument(locale: Locale): void {
	if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

const [getI18n, setI18n] = createContext<I18n>();

export { getI18n, setI18n };
