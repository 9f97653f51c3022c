/**
 * Words of the exports, in the group's language (or the one asked for).
 * Kept here, not in the web app's dictionaries: exports are made by the
 * server and may be opened without the app.
 */
export type ExportLanguage = 'fi' | 'en';

export const EXPORT_TEXT = {
	fi: {
		idea: 'Idea',
		rank: 'Sija',
		cluster: 'Teema',
		votes: 'Äänet',
		voters: 'Äänestäjät',
		author: 'Kirjoittaja',
		industry: 'Toimiala',
		posted: 'Kirjoitettu',
		anonymous: 'Nimetön',
		ideas: 'ideaa',
		participants: 'osallistujaa',
		voteCount: 'ääntä',
		topIdeas: 'Kärki-ideat',
		crossIndustry: 'Eniten eri toimialoja yhdistävät',
		actions: 'Seuraavat askeleet',
		owners: 'Vastuussa',
		helpers: 'Apuna',
		due: 'Mennessä',
		done: 'tehty',
		open: 'avoin',
		clusters: 'Teemat',
		loose: 'Ideat ilman teemaa',
		allIdeas: 'Ideat',
		industries: 'Toimialat',
		people: 'Osallistujat',
		closed: 'Suljettu',
		live: 'Käynnissä',
		exported: 'Viety Kipinästä',
		facilitator: 'vetäjä',
		untitled: 'Nimeämätön teema'
	},
	en: {
		idea: 'Idea',
		rank: 'Rank',
		cluster: 'Cluster',
		votes: 'Votes',
		voters: 'Voters',
		author: 'Author',
		industry: 'Industry',
		posted: 'Posted',
		anonymous: 'Anonymous',
		ideas: 'ideas',
		participants: 'participants',
		voteCount: 'votes',
		topIdeas: 'Top ideas',
		crossIndustry: 'Ideas across the most industries',
		actions: 'Next steps',
		owners: 'Owners',
		helpers: 'Helping',
		due: 'Due',
		done: 'done',
		open: 'open',
		clusters: 'Clusters',
		loose: 'Ideas outside clusters',
		allIdeas: 'Ideas',
		industries: 'Industries',
		people: 'Participants',
		closed: 'Closed',
		live: 'Live',
		exported: 'Exported from Kipinä',
		facilitator: 'facilitator',
		untitled: 'Untitled cluster'
	}
} as const satisfies Record<ExportLanguage, Record<string, string>>;

/** Times in exports are local to the groups: Finland. */
export const EXPORT_TIME_ZONE = 'Europe/Helsinki';

/** `2025-11-13 18:42` in Finnish time (sortable, and Excel reads it as a date). */
export function localDateTime(epochMs: number): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone: EXPORT_TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	}).format(epochMs);
}

/** `13.11.2025` (fi) or `13 November 2025` (en). */
export function longDate(epochMs: number, language: ExportLanguage): string {
	return new Intl.DateTimeFormat(language === 'fi' ? 'fi-FI' : 'en-GB', {
		timeZone: EXPORT_TIME_ZONE,
		day: 'numeric',
		month: language === 'fi' ? 'numeric' : 'long',
		year: 'numeric'
	}).format(epochMs);
}

/** A file name from a title: letters, digits and dashes (ä and ö kept). */
export function fileName(title: string, date: number, ext: string): string {
	const slug =
		title
			.normalize('NFC')
			.replace(/[^\p{L}\p{N}]+/gu, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 60) || 'kipina';
	return `${slug}-${localDateTime(date).slice(0, 10)}.${ext}`;
}
