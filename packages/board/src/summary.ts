/**
 * What an evening leaves behind: the summary stored when a session closes and
 * shown in its group's archive — top ideas, clusters, actions, who took part
 * and the industry mix. Computed only from the board's views (`results`,
 * `boardLayout`, `listActions`, `listParticipants`), so the archive shows the
 * same ranking the room saw.
 */
import type * as Y from 'yjs';
import { boardMaps } from './doc.js';
import { listActions } from './planning.js';
import type { ActionStatus } from './records.js';
import { boardLayout, results, type RankedIdea } from './results.js';
import { ANONYMOUS_AUTHOR, type Role } from './schema.js';
import { getSessionInfo, listParticipants } from './views.js';

/** How many ideas the summary lists as top ideas and as unfinished ones. */
export const SUMMARY_TOP = 5;

export interface SummaryIdea {
	id: string;
	text: string;
	rank: number;
	votes: number;
	voters: number;
	/** Distinct industries among its author and voters. */
	industries: string[];
	clusterId: string | null;
	clusterTitle: string | null;
	authorId: string;
	/** Empty when the author is anonymous or unknown. */
	authorName: string;
	industry: string;
}

export interface SummaryCluster {
	id: string;
	title: string;
	rank: number;
	votes: number;
	ideaCount: number;
	industries: string[];
}

export interface SummaryAction {
	id: string;
	text: string;
	status: ActionStatus;
	due: string | null;
	ownerIds: string[];
	/** Names of the owners still known to the session (a member who left is not). */
	owners: string[];
	helpers: string[];
	source: { kind: 'idea' | 'cluster'; id: string; text: string } | null;
	createdAt: number;
}

export interface IndustryShare {
	industry: string;
	participants: number;
	ideas: number;
}

export interface SummaryParticipant {
	id: string;
	name: string;
	industry: string;
	role: Role;
}

export interface SessionSummary {
	title: string;
	createdAt: number;
	/** When the session was closed; null while it is live. */
	closedAt: number | null;
	ideaCount: number;
	participantCount: number;
	voteCount: number;
	participants: SummaryParticipant[];
	/** Industries of participants and ideas, most ideas first. */
	industries: IndustryShare[];
	topIdeas: SummaryIdea[];
	/** Ideas with the broadest industry mix (at least two industries). */
	crossIndustry: SummaryIdea[];
	clusters: SummaryCluster[];
	actions: SummaryAction[];
	/** The best-supported ideas no action grew from: candidates for next month. */
	unfinished: SummaryIdea[];
}

/** When the session was closed, or null while it is live. */
export function closedAt(doc: Y.Doc): number | null {
	const value = boardMaps(doc).meta.get('closed');
	return typeof value === 'number' ? value : null;
}

const industryKey = (s: string) => s.trim().toLocaleLowerCase('fi');

function industryMix(doc: Y.Doc): IndustryShare[] {
	const shares = new Map<string, IndustryShare>();
	const share = (name: string) => {
		const key = industryKey(name);
		if (!key) return null;
		let entry = shares.get(key);
		if (!entry) shares.set(key, (entry = { industry: name.trim(), participants: 0, ideas: 0 }));
		return entry;
	};
	for (const p of listParticipants(doc)) {
		const entry = share(p.industry);
		if (entry) entry.participants += 1;
	}
	for (const idea of boardMaps(doc).ideas.values()) {
		const entry = share(idea.industry);
		if (entry) entry.ideas += 1;
	}
	return [...shares.values()].sort(
		(a, b) =>
			b.ideas - a.ideas ||
			b.participants - a.participants ||
			a.industry.localeCompare(b.industry, 'fi')
	);
}

/** Summarises a session document (live or closed). */
export function summarize(doc: Y.Doc): SessionSummary {
	const { participants, clusters } = boardMaps(doc);
	const ranked = results(doc);
	const layout = boardLayout(doc);
	const nameOf = (id: string) =>
		id === ANONYMOUS_AUTHOR ? '' : (participants.get(id)?.name ?? '');
	const clusterTitle = (id: string | null) => (id ? (clusters.get(id)?.title ?? '') : null);
	const toIdea = (r: RankedIdea): SummaryIdea => ({
		id: r.idea.id,
		text: r.idea.text,
		rank: r.rank,
		votes: r.votes,
		voters: r.voters,
		industries: r.industries,
		clusterId: r.clusterId,
		clusterTitle: clusterTitle(r.clusterId),
		authorId: r.idea.authorId,
		authorName: nameOf(r.idea.authorId),
		industry: r.idea.industry
	});

	const ideaText = new Map(ranked.ideas.map((r) => [r.idea.id, r.idea.text]));
	const actions = listActions(doc).map((a): SummaryAction => ({
		id: a.id,
		text: a.text,
		status: a.status,
		due: a.due,
		ownerIds: a.ownerIds,
		owners: a.ownerIds.map(nameOf).filter(Boolean),
		helpers: a.helperIds.map(nameOf).filter(Boolean),
		source: a.source && {
			...a.source,
			text:
				(a.source.kind === 'idea' ? ideaText.get(a.source.id) : clusters.get(a.source.id)?.title) ??
				''
		},
		createdAt: a.createdAt
	}));

	// An idea is "acted on" when an action grew from it or from its cluster.
	const actedOn = new Set<string>();
	for (const a of actions) {
		if (a.source?.kind === 'idea') actedOn.add(a.source.id);
		if (a.source?.kind === 'cluster') {
			const cluster = layout.clusters.find((c) => c.cluster.id === a.source!.id);
			for (const idea of cluster?.ideas ?? []) actedOn.add(idea.id);
		}
	}

	const people = listParticipants(doc);
	return {
		...getSessionInfo(doc),
		closedAt: closedAt(doc),
		ideaCount: ranked.ideas.length,
		participantCount: people.length,
		voteCount: ranked.totalVotes,
		participants: people.map((p) => ({
			id: p.id,
			name: p.name,
			industry: p.industry,
			role: p.role
		})),
		industries: industryMix(doc),
		topIdeas: ranked.ideas.slice(0, SUMMARY_TOP).map(toIdea),
		crossIndustry: ranked.crossIndustry
			.filter((r) => r.industries.length >= 2)
			.slice(0, 3)
			.map(toIdea),
		clusters: ranked.clusters.map((c) => ({
			id: c.cluster.id,
			title: c.cluster.title,
			rank: c.rank,
			votes: c.votes,
			ideaCount: c.ideaCount,
			industries: c.industries
		})),
		actions,
		unfinished: ranked.ideas
			.filter((r) => !actedOn.has(r.idea.id))
			.slice(0, SUMMARY_TOP)
			.map(toIdea)
	};
}

/** Lower-cased text of the session for archive search: title, ideas, clusters, actions. */
export function searchText(doc: Y.Doc): string {
	const { ideas, clusters, actions } = boardMaps(doc);
	const parts = [getSessionInfo(doc).title];
	for (const idea of ideas.values()) parts.push(idea.text);
	for (const cluster of clusters.values()) parts.push(cluster.title);
	for (const action of actions.values()) parts.push(action.text);
	return parts.join('\n').toLocaleLowerCase('fi');
}
