import * as Y from 'yjs';
import type { Action, Cluster, Offer, Placement, Votes } from './records.js';
import { DESK_ROOTS, ROOTS, type Idea, type Participant } from './schema.js';

/** Typed access to the roots of a session document. */
export interface BoardMaps {
	meta: Y.Map<unknown>;
	participants: Y.Map<Participant>;
	ideas: Y.Map<Idea>;
	clusters: Y.Map<Cluster>;
	placements: Y.Map<Placement>;
	votes: Y.Map<Votes>;
	actions: Y.Map<Action>;
	offers: Y.Map<Offer>;
	stats: Y.Map<unknown>;
}

export function boardMaps(doc: Y.Doc): BoardMaps {
	return {
		meta: doc.getMap(ROOTS.meta),
		participants: doc.getMap(ROOTS.participants),
		ideas: doc.getMap(ROOTS.ideas),
		clusters: doc.getMap(ROOTS.clusters),
		placements: doc.getMap(ROOTS.placements),
		votes: doc.getMap(ROOTS.votes),
		actions: doc.getMap(ROOTS.actions),
		offers: doc.getMap(ROOTS.offers),
		stats: doc.getMap(ROOTS.stats)
	};
}

/** Typed access to a participant's private desk document. */
export function deskMaps(doc: Y.Doc): { ideas: Y.Map<Idea> } {
	return { ideas: doc.getMap(DESK_ROOTS.ideas) };
}

/** Creates a desk document (private ideas of one participant). */
export function createDeskDoc(): Y.Doc {
	const doc = new Y.Doc();
	deskMaps(doc);
	return doc;
}

/**
 * Creates a session document. Root types are created eagerly so that the
 * server can resolve the root name of any item it holds.
 */
export function createBoardDoc(options?: { gc?: boolean }): Y.Doc {
	const doc = new Y.Doc({ gc: options?.gc ?? true });
	boardMaps(doc);
	return doc;
}

/**
 * Whether a transaction integrated or deleted anything: exactly when Yjs
 * would emit an update for it. For `afterTransaction` listeners, which
 * (unlike `'update'` ones) do not make Yjs encode every transaction.
 */
export function changedDoc(tr: Y.Transaction): boolean {
	if (tr.deleteSet.clients.size > 0 || tr.afterState.size !== tr.beforeState.size) return true;
	for (const [client, clock] of tr.afterState) {
		if (tr.beforeState.get(client) !== clock) return true;
	}
	return false;
}
