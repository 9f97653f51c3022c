/**
 * Derived views of the board: its layout in clusters, and the results —
 * ideas and clusters ranked by votes, each with its industry mix (how many
 * different industries posted it and voted for it).
 */
import type * as Y from 'yjs';
import { clusterIdeaIds } from './clustering.js';
import { boardMaps } from './doc.js';
import { byOrder } from './order.js';
import type { Cluster } from './records.js';
import type { Idea } from './schema.js';
import { listIdeas } from './views.js';
import { liveVotes } from './voting.js';

export interface ClusterWithIdeas {
	cluster: Cluster;
	ideas: Idea[];
}

export interface Layout {
	clusters: ClusterWithIdeas[];
	/** Ideas not in any cluster, oldest first. */
	loose: Idea[];
}

export function boardLayout(doc: Y.Doc): Layout {
	const { clusters, ideas } = boardMaps(doc);
	const placed = new Set<string>();
	const withIdeas = [...clusters.values()].sort(byOrder).map((cluster) => {
		const ids = clusterIdeaIds(doc, cluster.id);
		for (const id of ids) placed.add(id);
		return { cluster, ideas: ids.map((id) => ideas.get(id)!) };
	});
	return { clusters: withIdeas, loose: listIdeas(doc).filter((i) => !placed.has(i.id)) };
}

const normalIndustry = (s: string) => s.trim().toLocaleLowerCase('fi');

export interface Score {
	votes: number;
	/** People who put at least one dot on it. */
	voters: number;
	/** Distinct industries among its authors and voters (display names, as first seen). */
	industries: string[];
	/** Ids of voters (only meaningful to show with open voting). */
	voterIds: string[];
}

export interface RankedIdea extends Score {
	idea: Idea;
	rank: number;
	clusterId: string | null;
}

export interface RankedCluster extends Score {
	cluster: Cluster;
	rank: number;
	ideaCount: number;
}

export interface Results {
	ideas: RankedIdea[];
	clusters: RankedCluster[];
	/** Ideas ranked by industry mix first, votes second. */
	crossIndustry: RankedIdea[];
	totalVotes: number;
}

function industrySet(names: Iterable<string>): string[] {
	const seen = new Map<string, string>();
	for (const name of names) {
		const key = normalIndustry(name);
		if (key && !seen.has(key)) seen.set(key, name.trim());
	}
	return [...seen.values()].sort((a, b) => a.localeCompare(b, 'fi'));
}

/**
 * Ranks by votes; ties go to the broader industry mix, then to more voters,
 * then to the earlier idea (then id), so every replica shows the same order.
 * Equal scores share a rank number ("1, 1, 3").
 */
export function results(doc: Y.Doc): Results {
	const { votes, participants, placements, clusters } = boardMaps(doc);
	const ideas = listIdeas(doc);
	const dots = new Map<string, Map<string, number>>(); // idea → voter → dots
	for (const [voterId, record] of votes.entries()) {
		for (const [ideaId, n] of Object.entries(liveVotes(doc, record))) {
			let m = dots.get(ideaId);
			if (!m) dots.set(ideaId, (m = new Map()));
			m.set(voterId, n);
		}
	}
	const industryOf = (pid: string) => participants.get(pid)?.industry ?? '';
	const scoreOf = (members: Idea[]): Score => {
		const voterDots = new Map<string, number>();
		for (const idea of members) {
			for (const [voter, n] of dots.get(idea.id) ?? []) {
				voterDots.set(voter, (voterDots.get(voter) ?? 0) + n);
			}
		}
		return {
			votes: [...voterDots.values()].reduce((a, b) => a + b, 0),
			voters: voterDots.size,
			industries: industrySet([
				...members.map((i) => i.industry),
				...[...voterDots.keys()].map(industryOf)
			]),
			voterIds: [...voterDots.keys()].sort()
		};
	};

	const tieBreak = (a: Score & { at: number; id: string }, b: Score & { at: number; id: string }) =>
		b.votes - a.votes ||
		b.industries.length - a.industries.length ||
		b.voters - a.voters ||
		a.at - b.at ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
	const withRanks = <T extends Score>(sorted: T[], same: (a: T, b: T) => boolean) =>
		sorted.map((item, i) => {
			let rank = i + 1;
			if (i > 0 && same(sorted[i - 1]!, item)) rank = (sorted[i - 1] as T & { rank: number }).rank;
			return Object.assign(item, { rank });
		});

	const rankedIdeas = withRanks(
		ideas
			.map((idea) => {
				const p = placements.get(idea.id);
				return {
					idea,
					clusterId: p && clusters.has(p.clusterId) ? p.clusterId : null,
					rank: 0,
					at: idea.createdAt,
					id: idea.id,
					...scoreOf([idea])
				};
			})
			.sort(tieBreak),
		(a, b) => a.votes === b.votes && a.industries.length === b.industries.length
	).map(({ at: _at, id: _id, ...rest }) => rest);

	const layout = boardLayout(doc);
	const rankedClusters = withRanks(
		layout.clusters
			.map(({ cluster, ideas: members }) => ({
				cluster,
				ideaCount: members.length,
				rank: 0,
				at: cluster.createdAt,
				id: cluster.id,
				...scoreOf(members)
			}))
			.sort(tieBreak),
		(a, b) => a.votes === b.votes && a.industries.length === b.industries.length
	).map(({ at: _at, id: _id, ...rest }) => rest);

	const crossIndustry = [...rankedIdeas].sort(
		(a, b) =>
			b.industries.length - a.industries.length ||
			b.votes - a.votes ||
			a.idea.createdAt - b.idea.createdAt ||
			(a.idea.id < b.idea.id ? -1 : 1)
	);

	return {
		ideas: rankedIdeas,
		clusters: rankedClusters,
		crossIndustry,
		totalVotes: rankedIdeas.reduce((a, r) => a + r.votes, 0)
	};
}
