/**
 * Clustering commands. A cluster is a record; an idea's membership is its own
 * `placements` entry (written on drop, never during a drag), so two people
 * moving different ideas never conflict, and two people moving the same idea
 * end with one of the moves on every replica.
 */
import type * as Y from 'yjs';
import { CommandError } from './commands.js';
import { boardMaps } from './doc.js';
import { randomId } from './ids.js';
import { byOrder, keyBetween } from './order.js';
import { commandOrigin } from './origins.js';
import { CLUSTER_COLORS, ClusterSchema, type Cluster } from './records.js';
import { LIMITS, cleanLine } from './schema.js';

function clustersInOrder(doc: Y.Doc): Cluster[] {
	return [...boardMaps(doc).clusters.values()].sort(byOrder);
}

/** Ideas of a cluster in their order (ids). */
export function clusterIdeaIds(doc: Y.Doc, clusterId: string): string[] {
	const { placements, ideas } = boardMaps(doc);
	return [...placements.entries()]
		.filter(([ideaId, p]) => p.clusterId === clusterId && ideas.has(ideaId))
		.map(([id, p]) => ({ id, order: p.order }))
		.sort(byOrder)
		.map((p) => p.id);
}

/** Creates a cluster holding `ideaIds` (in that order); returns its id. */
export function createCluster(
	doc: Y.Doc,
	createdBy: string,
	ideaIds: string[],
	title = '',
	now = Date.now()
): string {
	const { clusters, placements, ideas } = boardMaps(doc);
	for (const ideaId of ideaIds) {
		if (!ideas.has(ideaId)) throw new CommandError('not-found', 'That idea no longer exists.');
	}
	const existing = clustersInOrder(doc);
	const cluster: Cluster = {
		id: randomId(),
		title: cleanLine(title).slice(0, LIMITS.clusterTitle),
		order: keyBetween(existing.at(-1)?.order ?? null, null),
		color: CLUSTER_COLORS[existing.length % CLUSTER_COLORS.length]!,
		createdBy,
		createdAt: Math.floor(now)
	};
	ClusterSchema.parse(cluster);
	doc.transact(() => {
		clusters.set(cluster.id, cluster);
		let order: string | null = null;
		for (const ideaId of ideaIds) {
			order = keyBetween(order, null);
			placements.set(ideaId, { clusterId: cluster.id, order });
		}
	}, commandOrigin('createCluster'));
	return cluster.id;
}

export function renameCluster(doc: Y.Doc, clusterId: string, title: string): void {
	const { clusters } = boardMaps(doc);
	const current = clusters.get(clusterId);
	if (!current) throw new CommandError('not-found', 'That cluster no longer exists.');
	const next = { ...current, title: cleanLine(title).slice(0, LIMITS.clusterTitle) };
	if (next.title === current.title) return;
	doc.transact(() => clusters.set(clusterId, next), commandOrigin('renameCluster'));
}

/** Dissolves a cluster: its ideas become ungrouped. */
export function deleteCluster(doc: Y.Doc, clusterId: string): void {
	const { clusters, placements } = boardMaps(doc);
	if (!clusters.has(clusterId)) return;
	doc.transact(() => {
		for (const [ideaId, p] of [...placements.entries()]) {
			if (p.clusterId === clusterId) placements.delete(ideaId);
		}
		clusters.delete(clusterId);
	}, commandOrigin('deleteCluster'));
}

/**
 * Moves an idea into a cluster (before `beforeIdeaId`, or last), or out of
 * any cluster with `clusterId = null`.
 */
export function moveIdea(
	doc: Y.Doc,
	ideaId: string,
	clusterId: string | null,
	beforeIdeaId: string | null = null
): void {
	const { clusters, placements, ideas } = boardMaps(doc);
	if (!ideas.has(ideaId)) throw new CommandError('not-found', 'That idea no longer exists.');
	if (clusterId === null) {
		if (placements.has(ideaId)) {
			doc.transact(() => placements.delete(ideaId), commandOrigin('moveIdea'));
		}
		return;
	}
	if (!clusters.has(clusterId))
		throw new CommandError('not-found', 'That cluster no longer exists.');
	const members = clusterIdeaIds(doc, clusterId).filter((id) => id !== ideaId);
	const at = beforeIdeaId === null ? members.length : members.indexOf(beforeIdeaId);
	const index = at < 0 ? members.length : at;
	const before = index > 0 ? placements.get(members[index - 1]!)!.order : null;
	const after = index < members.length ? placements.get(members[index]!)!.order : null;
	const order = keyBetween(before, after);
	doc.transact(() => placements.set(ideaId, { clusterId, order }), commandOrigin('moveIdea'));
}

/**
 * Drops idea `ideaId` onto idea `targetId`: joins the target's cluster, or
 * forms a new cluster of the two. Returns the cluster id.
 */
export function groupIdeas(
	doc: Y.Doc,
	createdBy: string,
	ideaId: string,
	targetId: string
): string {
	if (ideaId === targetId)
		throw new CommandError('invalid', 'An idea cannot be grouped with itself.');
	const target = boardMaps(doc).placements.get(targetId);
	if (target && boardMaps(doc).clusters.has(target.clusterId)) {
		moveIdea(doc, ideaId, target.clusterId);
		return target.clusterId;
	}
	return createCluster(doc, createdBy, [targetId, ideaId]);
}
