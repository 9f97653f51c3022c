import type { Locale } from './types';

/** Suggestions for the industry field (free text; these only help typing). */
export const INDUSTRY_SUGGESTIONS: Readonly<Record<Locale, readonly string[]>> = {
	fi: [
		'matkailu',
		'leipomo',
		'IT',
		'kirjanpito',
		'kauneudenhoito',
		'rakentaminen',
		'ravintola',
		'käsityö',
		'valokuvaus',
		'markkinointi'
	],
	en: [
		'tourism',
		'bakery',
		'IT',
		'accounting',
		'beauty care',
		'construction',
		'restaurant',
		'crafts',
		'photography',
		'marketing'
	]
};
