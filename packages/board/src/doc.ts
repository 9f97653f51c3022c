import * as Y from 'yjs';
import { ROOTS, type Idea, type Participant } from './schema.js';

/** Typed access to the roots of a session document. */
export interface BoardMaps {
	meta: Y.Map<unknown>;
	participants: Y.Map<Participant>;
	ideas: Y.Map<Idea>;
}

export function boardMaps(doc: Y.Doc): BoardMaps {
	return {
		meta: doc.getMap(ROOTS.meta),
		participants: doc.getMap(ROOTS.participants),
		ideas: doc.getMap(ROOTS.ideas)
	};
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
