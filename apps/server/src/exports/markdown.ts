/**
 * Markdown export, for an email or meeting notes: the evening's top ideas,
 * next steps, clusters with their ideas, and who took part. User text is
 * escaped, so an idea can never turn into a link, an image or HTML.
 */
import {
	ANONYMOUS_AUTHOR,
	boardLayout,
	boardMaps,
	results,
	summarize,
	type Idea
} from '@kipina/board';
import type * as Y from 'yjs';
import { EXPORT_TEXT, longDate, type ExportLanguage } from './text.js';

/** Escapes Markdown syntax in user text; line breaks become hard breaks inside list items. */
export function escapeMarkdown(text: string, indent = '  '): string {
	return text
		.split('\n')
		.map((line) =>
			line
				.replace(/[\\`*_[\]<>#|~!]/g, (c) => `\\${c}`)
				// Only at the start of a line: list markers, headings via setext, numbered lists.
				.replace(/^(\s*)([-+=])/, '$1\\$2')
				.replace(/^(\s*\d+)([.)])/, '$1\\$2')
		)
		.join(`  \n${indent}`);
}

export function toMarkdown(
	doc: Y.Doc,
	language: ExportLanguage,
	group: { name: string; place: string } | null
): string {
	const t = EXPORT_TEXT[language];
	const s = summarize(doc);
	const { participants } = boardMaps(doc);
	const votesOf = new Map(results(doc).ideas.map((r) => [r.idea.id, r.votes]));
	const rankedVotes = new Map<string, number>();
	for (const c of s.clusters) rankedVotes.set(c.id, c.votes);
	const nameOf = (id: string) =>
		id === ANONYMOUS_AUTHOR ? t.anonymous : (participants.get(id)?.name ?? '');
	const byline = (idea: Pick<Idea, 'authorId' | 'industry'>) => {
		const name = nameOf(idea.authorId);
		const who = [name, idea.industry && `(${idea.industry})`].filter(Boolean).join(' ');
		return who ? ` — ${escapeMarkdown(who)}` : '';
	};
	const out: string[] = [];
	out.push(`# ${escapeMarkdown(s.title)}`, '');
	const context = [
		group && escapeMarkdown([group.name, group.place].filter(Boolean).join(', ')),
		longDate(s.createdAt, language),
		s.closedAt === null ? t.live : `${t.closed} ${longDate(s.closedAt, language)}`
	].filter(Boolean);
	out.push(context.join(' · '), '');
	out.push(
		`**${s.ideaCount} ${t.ideas} · ${s.participantCount} ${t.participants} · ${s.voteCount} ${t.voteCount}**`,
		''
	);

	if (s.topIdeas.length > 0) {
		out.push(`## ${t.topIdeas}`, '');
		s.topIdeas.forEach((idea, i) => {
			const cluster = idea.clusterTitle ? ` · ${escapeMarkdown(idea.clusterTitle)}` : '';
			out.push(
				`${i + 1}. **${escapeMarkdown(idea.text, '   ')}** (${idea.votes} ${t.voteCount})${cluster}${byline(idea)}`
			);
		});
		out.push('');
	}

	if (s.actions.length > 0) {
		out.push(`## ${t.actions}`, '');
		for (const a of s.actions) {
			const details = [
				a.owners.length > 0 && `${t.owners}: ${escapeMarkdown(a.owners.join(', '))}`,
				a.helpers.length > 0 && `${t.helpers}: ${escapeMarkdown(a.helpers.join(', '))}`,
				a.due && `${t.due} ${a.due}`
			].filter(Boolean);
			out.push(
				`- [${a.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(a.text)}${details.length ? ` — ${details.join(' · ')}` : ''}`
			);
		}
		out.push('');
	}

	const layout = boardLayout(doc);
	const ideaLine = (idea: Idea) => {
		const votes = votesOf.get(idea.id);
		return `- ${escapeMarkdown(idea.text)}${votes ? ` (${votes} ${t.voteCount})` : ''}${byline(idea)}`;
	};
	if (layout.clusters.length > 0) {
		out.push(`## ${t.clusters}`, '');
		for (const { cluster, ideas } of layout.clusters) {
			const votes = rankedVotes.get(cluster.id) ?? 0;
			out.push(
				`### ${escapeMarkdown(cluster.title || t.untitled)} (${ideas.length} ${t.ideas}, ${votes} ${t.voteCount})`,
				''
			);
			for (const idea of ideas) out.push(ideaLine(idea));
			out.push('');
		}
	}
	if (layout.loose.length > 0) {
		out.push(`## ${layout.clusters.length > 0 ? t.loose : t.allIdeas}`, '');
		for (const idea of layout.loose) out.push(ideaLine(idea));
		out.push('');
	}

	if (s.industries.length > 0) {
		out.push(`## ${t.industries}`, '');
		for (const i of s.industries) {
			out.push(
				`- ${escapeMarkdown(i.industry)}: ${i.participants} ${t.participants}, ${i.ideas} ${t.ideas}`
			);
		}
		out.push('');
	}
	out.push(`## ${t.people}`, '');
	out.push(
		s.participants
			.map((p) => {
				const extra = [p.industry, p.role === 'facilitator' ? t.facilitator : '']
					.filter(Boolean)
					.join(', ');
				return escapeMarkdown(extra ? `${p.name} (${extra})` : p.name);
			})
			.join(', '),
		''
	);
	out.push(`_${t.exported}_`, '');
	return out.join('\n');
}
