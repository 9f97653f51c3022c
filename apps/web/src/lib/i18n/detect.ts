import { LOCALES, type Locale } from './types';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale to start with: the one the user picked on this device, else the
 * first of the browser's preferred languages that we speak, else English.
 */
export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
	if (isLocale(stored)) return stored;
	for (const tag of languages) {
		const base = tag.toLowerCase().split('-')[0];
		if (isLocale(base)) return base;
	}
	return 'en';
}
