import { createContext } from 'svelte';
import { KEYS, readItem, writeItem } from '../storage';
import { pickLocale } from './detect';
import {
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

	constructor(locale: Locale) {
		this.#locale = locale;
		applyToDocument(locale);
	}

	/** Picks the stored choice, else the browser's languages. */
	static fromBrowser(): I18n {
		const languages = typeof navigator === 'undefined' ? [] : navigator.languages;
		return new I18n(pickLocale(readItem(KEYS.locale), languages ?? []));
	}

	get locale(): Locale {
		return this.#locale;
	}

	set locale(locale: Locale) {
		this.#locale = locale;
		writeItem(KEYS.locale, locale);
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
