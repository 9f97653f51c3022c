/**
 * Target dates of actions are stored as `YYYY-MM-DD` (a day, not a moment):
 * shown in the reader's language without any time-zone shift.
 */

/** `2026-12-05` → "5.12.2026" (fi) or "Dec 5, 2026" (en); the input itself if it is no date. */
export function formatDay(day: string, locale: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match) return day;
	const [, y, m, d] = match;
	const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
	if (Number.isNaN(date.getTime())) return day;
	return new Intl.DateTimeFormat(locale, {
		day: 'numeric',
		month: locale === 'fi' ? 'numeric' : 'short',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(date);
}
