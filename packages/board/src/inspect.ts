/**
 * Reads what a Yjs update would change in a session document, without
 * applying it.
 *
 * `Y.decodeUpdate` yields the update's structs and delete set. For each new
 * item we find the root map and key it writes: from the item itself when the
 * encoding carries its parent, otherwise through its `origin`/`rightOrigin`,
 * which points either into this update or at an item the document already
 * has. For each deletion we look up the deleted item in the document. The
 * result is a list of key writes and key deletions that `policy.ts` can judge
 * per participant.
 *
 * Anything our schema never produces (nested types, array-style inserts into
 * a root, content other than JSON values) and anything that depends on
 * structs the document does not have is refused here, so that an accepted
 * update always integrates completely, with no pending structs.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs' own type parameters */
import * as Y from 'yjs';

export type RefusalCode =
	/** The bytes do not decode as a Yjs update. */
	| 'malformed'
	/** The update depends on structs the document does not have. */
	| 'gap'
	/** The update decodes but has a shape the board schema never produces. */
	| 'shape';

export class UpdateRefusal extends Error {
	constructor(
		readonly code: RefusalCode,
		message: string
	) {
		super(message);
		this.name = 'UpdateRefusal';
	}
}

/** A new item that takes the place of `root[key]`. */
export interface KeyWrite {
	root: string;
	key: string;
	/** False when the item arrives already deleted (it still displaces the current value). */
	hasValue: boolean;
	value: unknown;
}

/** The deletion of the item currently holding `root[key]`. */
export interface KeyDelete {
	root: string;
	key: string;
	/** The value being deleted, as the document holds it now. */
	value: unknown;
}

export interface UpdateSummary {
	writes: KeyWrite[];
	deletes: KeyDelete[];
	/** Yjs client ids that author new structs in this update. */
	clients: Set<number>;
	/** True when applying the update would change nothing. */
	empty: boolean;
}

interface Placement {
	root: string;
	key: string;
}

type AnyStruct = Y.Item | Y.GC | Y.Skip;
/** The delete set as `Y.decodeUpdate` returns it (its class is not exported). */
interface DecodedDeleteSet {
	clients: Map<number, Array<{ clock: number; len: number }>>;
}

/** Items of one client in this update, in clock order (contiguous). */
class OwnItems {
	private readonly byClient = new Map<number, Y.Item[]>();

	add(item: Y.Item): void {
		let list = this.byClient.get(item.id.client);
		if (!list) this.byClient.set(item.id.client, (list = []));
		list.push(item);
	}

	find(id: Y.ID): Y.Item | undefined {
		const list = this.byClient.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const item = list[mid]!;
			if (id.clock < item.id.clock) hi = mid - 1;
			else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
			else return item;
		}
		return undefined;
	}
}

function rootNamesOf(doc: Y.Doc): Map<Y.AbstractType<any>, string> {
	const names = new Map<Y.AbstractType<any>, string>();
	for (const [name, type] of doc.share) names.set(type, name);
	return names;
}

/** Root and key of an item the document already holds. */
function placementInDoc(
	doc: Y.Doc,
	rootNames: Map<Y.AbstractType<any>, string>,
	id: Y.ID
): Placement {
	if (id.clock >= Y.getState(doc.store, id.client)) {
		throw new UpdateRefusal('gap', 'The update refers to an item the server does not have.');
	}
	const struct = Y.getItem(doc.store, id) as AnyStruct;
	if (!(struct instanceof Y.Item)) {
		throw new UpdateRefusal('shape', 'The update refers to garbage-collected content.');
	}
	const root = rootNames.get(struct.parent as Y.AbstractType<any>);
	if (root === undefined || struct.parentSub === null) {
		throw new UpdateRefusal('shape', 'The update refers to content outside the board schema.');
	}
	return { root, key: struct.parentSub };
}

/**
 * Summarises `update` against `doc`. Throws `UpdateRefusal` when the update
 * is malformed, has a gap, or has a shape outside the schema.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateSummary {
	let decoded: { structs: AnyStruct[]; ds: DecodedDeleteSet };
	if (update.byteLength === 0) throw new UpdateRefusal('malformed', 'Empty update.');
	try {
		decoded = Y.decodeUpdate(update) as { structs: AnyStruct[]; ds: DecodedDeleteSet };
	} catch {
		throw new UpdateRefusal('malformed', 'The update could not be decoded.');
	}

	const rootNames = rootNamesOf(doc);
	const own = new OwnItems();
	const newItems: Y.Item[] = [];
	const clients = new Set<number>();
	const ownEnd = new Map<number, number>();
	const stateOf = (client: number) => Y.getState(doc.store, client);

	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) {
			throw new UpdateRefusal('gap', 'The update has a gap (skipped structs).');
		}
		const { client, clock } = struct.id;
		const known = stateOf(client);
		if (!ownEnd.has(client) && clock > known) {
			throw new UpdateRefusal('gap', 'The update depends on updates the server has not received.');
		}
		ownEnd.set(client, clock + struct.length);
		if (clock + struct.length <= known) continue; // already integrated: a no-op
		clients.add(client);
		if (struct instanceof Y.Item) {
			own.add(struct);
			newItems.push(struct);
		}
	}

	const placements = new Map<Y.Item, Placement>();
	const place = (start: Y.Item): Placement => {
		// Iterative: a chain of origins inside one update can be long.
		const chain: Y.Item[] = [];
		let item: Y.Item | undefined = start;
		let found: Placement | undefined;
		while (item && !found) {
			const memo = placements.get(item);
			if (memo) {
				found = memo;
				break;
			}
			chain.push(item);
			const parent = item.parent as unknown;
			if (typeof parent === 'string') {
				if (item.parentSub === null) {
					throw new UpdateRefusal('shape', `Only keyed values may be written to "${parent}".`);
				}
				found = { root: parent, key: item.parentSub };
				break;
			}
			if (parent !== null) {
				throw new UpdateRefusal('shape', 'Nested shared types are not part of the board schema.');
			}
			const ref: Y.ID | null = item.origin ?? item.rightOrigin;
			if (ref === null) throw new UpdateRefusal('malformed', 'An item has no parent.');
			const inUpdate = own.find(ref);
			if (inUpdate) item = inUpdate;
			else found = placementInDoc(doc, rootNames, ref);
		}
		if (!found) throw new UpdateRefusal('malformed', 'An item has no parent.');
		for (const link of chain) placements.set(link, found);
		return found;
	};

	const writes: KeyWrite[] = [];
	for (const item of newItems) {
		const { root, key } = place(item);
		if (item.content instanceof Y.ContentDeleted) {
			writes.push({ root, key, hasValue: false, value: undefined });
		} else if (item.content instanceof Y.ContentAny && item.length === 1) {
			writes.push({ root, key, hasValue: true, value: item.content.arr[0] });
		} else {
			throw new UpdateRefusal('shape', 'Only plain JSON values are part of the board schema.');
		}
	}

	const deletes: KeyDelete[] = [];
	let deletesSomething = false;
	for (const [client, ranges] of decoded.ds.clients) {
		const known = stateOf(client);
		const coveredUntil = ownEnd.has(client) ? Math.max(known, ownEnd.get(client)!) : known;
		for (const { clock, len } of ranges) {
			const end = clock + len;
			if (end > coveredUntil) {
				throw new UpdateRefusal('gap', 'The update deletes items the server does not have.');
			}
			let at = clock;
			while (at < Math.min(end, known)) {
				const struct = Y.getItem(doc.store, Y.createID(client, at)) as AnyStruct;
				at = struct.id.clock + struct.length;
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				const root = rootNames.get(struct.parent as Y.AbstractType<any>);
				if (root === undefined || struct.parentSub === null) {
					throw new UpdateRefusal('shape', 'The update deletes content outside the board schema.');
				}
				deletesSomething = true;
				deletes.push({ root, key: struct.parentSub, value: struct.content.getContent()[0] });
			}
			if (end > known) deletesSomething = true; // deletes items new in this update
		}
	}

	return { writes, deletes, clients, empty: clients.size === 0 && !deletesSomething };
}
