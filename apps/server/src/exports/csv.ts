/**
 * CSV export: one row per idea, ranked, with its cluster, votes, author and
 * industry (docs/export.md).
 *
 * Made for Excel as Finnish users have it: UTF-8 with a byte-order mark (so
 * ä and ö survive), `;` between fields (the list separator of the Finnish
 * locale, where `,` is the decimal comma), CRLF line ends, every text field
 * quoted. Text that a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`
 * (OWASP "CSV injection").
 */
import { ANONYMOUS_AUTHOR, boardMaps, results } from '@kipina/board';
import type * as Y from 'yjs';
import { EXPORT_TEXT, localDateTime, type ExportLanguage } from './text.js';

export const CSV_SEPARATOR = ';';
const BOM = '\uFEFF';

/** Characters that make a spreadsheet read a cell as a formula (also full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A quoted, formula-safe text cell. */
export function textCell(value: string): string {
	const safe = FORMULA_START.test(value) ? `'${value}` : value;
	return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(doc: Y.Doc, language: ExportLanguage): string {
	const t = EXPORT_TEXT[language];
	const { participants, clusters } = boardMaps(doc);
	const header = [t.rank, t.idea, t.cluster, t.votes, t.voters, t.author, t.industry, t.posted];
	const rows = results(doc).ideas.map((r) => {
		const author =
			r.idea.authorId === ANONYMOUS_AUTHOR
				? t.anonymous
				: (participants.get(r.idea.authorId)?.name ?? '');
		return [
			String(r.rank),
			textCell(r.idea.text),
			textCell(r.clusterId ? clusters.get(r.clusterId)?.title || t.untitled : ''),
			String(r.votes),
			String(r.voters),
			textCell(author),
			textCell(r.idea.industry),
			textCell(localDateTime(r.idea.createdAt))
		];
	});
	const lines = [header.map(textCell), ...rows].map((cells) => cells.join(CSV_SEPARATOR));
	return BOM + lines.join('\r\n') + '\r\n';
}
