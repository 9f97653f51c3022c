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
 * update always integrates completely, with no pending structs. That also
 * takes refusing encodings no Yjs encoder writes but a hostile client can:
 * a client's structs split over several sections (Yjs keeps only the last),
 * zero-length structs or deletions, references that point forward or go
 * round in a cycle, and items that restate part of what the document holds.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs' own type parameters */
import * as decoding from 'lib0/decoding';
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

type NewStruct = Y.Item | Y.GC;

/** The new structs of this update, per client in clock order (contiguous). */
class OwnStructs {
	private readonly byClient = new Map<number, NewStruct[]>();
	private readonly previous = new Map<NewStruct, NewStruct>();

	add(struct: NewStruct): void {
		let list = this.byClient.get(struct.id.client);
		if (!list) this.byClient.set(struct.id.client, (list = []));
		const last = list.at(-1);
		if (last) this.previous.set(struct, last);
		list.push(struct);
	}

	/** The struct of the same client that Yjs must integrate first. */
	before(struct: NewStruct): NewStruct | undefined {
		return this.previous.get(struct);
	}

	find(id: Y.ID): NewStruct | undefined {
		const list = this.byClient.get(id.client);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const struct = list[mid]!;
			if (id.clock < struct.id.clock) hi = mid - 1;
			else if (id.clock >= struct.id.clock + struct.length) lo = mid + 1;
			else return struct;
		}
		return undefined;
	}
}

const malformed = (message: string) => new UpdateRefusal('malformed', message);

/**
 * Yjs reads one section per client and keeps only the last section of a
 * client, so structs in an earlier one would be inspected but never applied.
 * Yjs' encoders write one non-empty section per client; refuse anything else.
 */
function checkSections(update: Uint8Array, structs: readonly AnyStruct[]): void {
	const sections = decoding.readVarUint(decoding.createDecoder(update));
	const seen = new Set<number>();
	let current: number | undefined;
	for (const struct of structs) {
		const { client } = struct.id;
		if (client === current) continue;
		if (seen.has(client)) throw malformed('A client appears in more than one section.');
		seen.add(client);
		current = client;
	}
	if (seen.size !== sections) throw malformed('The update has empty or repeated sections.');
}

/**
 * Refuses references that Yjs cannot resolve in the order it integrates
 * structs: each struct after the previous struct of its client, and after the
 * structs of this update it refers to. A cycle would leave the update pending.
 */
function checkAcyclic(structs: readonly NewStruct[], dependencies: (s: NewStruct) => NewStruct[]) {
	const DONE = 2;
	const ACTIVE = 1;
	const state = new Map<NewStruct, number>();
	for (const start of structs) {
		if (state.has(start)) continue;
		state.set(start, ACTIVE);
		// Iterative: chains inside one update can be long.
		const stack = [{ struct: start, next: dependencies(start), at: 0 }];
		while (stack.length > 0) {
			const top = stack.at(-1)!;
			const next = top.next[top.at++];
			if (next === undefined) {
				state.set(top.struct, DONE);
				stack.pop();
			} else if (state.get(next) === ACTIVE) {
				throw malformed('The references of the update go round in a cycle.');
			} else if (!state.has(next)) {
				state.set(next, ACTIVE);
				stack.push({ struct: next, next: dependencies(next), at: 0 });
			}
		}
	}
}

/**
 * True for values made of JSON data only. lib0 decodes an object key
 * "__proto__" by setting the object's prototype, which schemas do not see
 * (they read own keys) but plain property reads do.
 */
function isPlainData(value: unknown): boolean {
	const pending: unknown[] = [value];
	while (pending.length > 0) {
		const next = pending.pop();
		if (typeof next === 'bigint') return false;
		if (next === null || typeof next !== 'object') continue;
		const prototype = Object.getPrototypeOf(next);
		if (prototype !== (Array.isArray(next) ? Array.prototype : Object.prototype)) return false;
		for (const inner of Object.values(next)) pending.push(inner);
	}
	return true;
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
	checkSections(update, decoded.structs);

	const rootNames = rootNamesOf(doc);
	const own = new OwnStructs();
	const newStructs: NewStruct[] = [];
	const newItems: Y.Item[] = [];
	const knownItems: Y.Item[] = [];
	const clients = new Set<number>();
	const ownEnd = new Map<number, number>();
	const stateOf = (client: number) => Y.getState(doc.store, client);

	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) {
			throw new UpdateRefusal('gap', 'The update has a gap (skipped structs).');
		}
		if (struct.length === 0) throw malformed('The update has a struct of length zero.');
		const { client, clock } = struct.id;
		const known = stateOf(client);
		if (!ownEnd.has(client) && clock > known) {
			throw new UpdateRefusal('gap', 'The update depends on updates the server has not received.');
		}
		ownEnd.set(client, clock + struct.length);
		if (clock + struct.length <= known) {
			// Already integrated, so a no-op; but Yjs still resolves its references.
			if (struct instanceof Y.Item) knownItems.push(struct);
			continue;
		}
		if (clock < known && struct instanceof Y.Item) {
			// Yjs would splice it onto whatever the document holds at clock - 1.
			throw new UpdateRefusal('shape', 'An item overlaps content the server already has.');
		}
		clients.add(client);
		own.add(struct);
		newStructs.push(struct);
		if (struct instanceof Y.Item) newItems.push(struct);
	}

	for (const item of knownItems) {
		for (const ref of [item.origin, item.rightOrigin, item.parent]) {
			if (ref instanceof Y.ID && ref.clock >= stateOf(ref.client)) {
				throw malformed('The update restates an item with references the server lacks.');
			}
		}
	}

	/** The new struct `ref` points at, or undefined when the document has it. */
	const resolve = (item: Y.Item, ref: Y.ID | null): NewStruct | undefined => {
		if (ref === null) return undefined;
		if (ref.client === item.id.client && ref.clock >= item.id.clock) {
			throw malformed('An item refers to itself or to a later item of its client.');
		}
		const inUpdate = own.find(ref);
		if (inUpdate instanceof Y.GC) {
			throw new UpdateRefusal('shape', 'The update refers to garbage-collected content.');
		}
		if (inUpdate) return inUpdate;
		if (ref.clock >= stateOf(ref.client)) {
			throw new UpdateRefusal('gap', 'The update refers to an item the server does not have.');
		}
		return undefined;
	};
	checkAcyclic(newStructs, (struct) => {
		const dependencies: NewStruct[] = [];
		const previous = own.before(struct);
		if (previous) dependencies.push(previous);
		if (struct instanceof Y.Item) {
			for (const ref of [struct.origin, struct.rightOrigin]) {
				const target = resolve(struct, ref);
				if (target) dependencies.push(target);
			}
		}
		return dependencies;
	});

	const placements = new Map<Y.Item, Placement>();
	const place = (start: Y.Item): Placement => {
		// Iterative: a chain of origins inside one update can be long. It ends,
		// because references were checked to be acyclic above.
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
			if (inUpdate instanceof Y.Item) item = inUpdate;
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
		} else if (item.content instanceof Y.ContentAny) {
			// Several values: successive versions of the key, merged by a replica
			// that keeps deleted content (gc: false). Each is judged as a write.
			for (const value of item.content.arr) {
				if (!isPlainData(value)) {
					throw new UpdateRefusal('shape', 'Only plain JSON values are part of the board schema.');
				}
				writes.push({ root, key, hasValue: true, value });
			}
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
			if (len === 0) throw malformed('The update deletes a range of length zero.');
			const end = clock + len;
			if (end > coveredUntil) {
				throw new UpdateRefusal('gap', 'The update deletes items the server does not have.');
			}
			let at = clock;
			while (at < Math.min(end, known)) {
				const struct = Y.getItem(doc.store, Y.createID(client, at)) as AnyStruct;
				at = Math.max(at + 1, struct.id.clock + struct.length);
				if (!(struct instanceof Y.Item) || struct.deleted) continue;
				const root = rootNames.get(struct.parent as Y.AbstractType<any>);
				if (root === undefined || struct.parentSub === null) {
					throw new UpdateRefusal('shape', 'The update deletes content outside the board schema.');
				}
				deletesSomething = true;
				deletes.push({ root, key: struct.parentSub, value: struct.content.getContent().at(-1) });
			}
			if (end > known) deletesSomething = true; // deletes items new in this update
		}
	}

	return { writes, deletes, clients, empty: clients.size === 0 && !deletesSomething };
}
