/**
 * The property the server relies on: when `inspectUpdate` accepts an update,
 * applying it integrates completely (nothing pending, nothing thrown) and
 * changes no key that the summary does not list. Checked on a copy of the
 * document, so the original stays untouched.
 */
import * as Y from 'yjs';
import { expect } from 'vitest';
import { inspectUpdate, UpdateRefusal, type RefusalCode, type UpdateSummary } from '../inspect.js';
import { replicaOf } from './fixtures.js';

/** The visible content of every root: `root/key` → value, plus any list content. */
function contentOf(doc: Y.Doc): Map<string, string> {
	const content = new Map<string, string>();
	for (const [root, type] of doc.share) {
		for (const [key, item] of type._map) {
			if (!item.deleted) {
				content.set(`${root}/${key}`, JSON.stringify(item.content.getContent().at(-1)));
			}
		}
		for (let item = type._start; item !== null; item = item.right) {
			if (!item.deleted) content.set(`${root}#list`, 'has list content');
		}
	}
	return content;
}

/** Inspects `update` and returns the summary, or the refusal code; any other error fails. */
export function inspectOrRefusal(doc: Y.Doc, update: Uint8Array): UpdateSummary | RefusalCode {
	try {
		return inspectUpdate(doc, update);
	} catch (error) {
		if (error instanceof UpdateRefusal) return error.code;
		throw new Error(`inspectUpdate threw something other than UpdateRefusal: ${String(error)}`, {
			cause: error
		});
	}
}

/**
 * Inspects `update` against `doc`; when accepted, applies it to a copy and
 * checks the property above. Returns the refusal code, or 'accepted'.
 */
export function expectSound(doc: Y.Doc, update: Uint8Array): RefusalCode | 'accepted' {
	const vector = Y.encodeStateVector(doc);
	const result = inspectOrRefusal(doc, update);
	expect(Y.encodeStateVector(doc), 'inspectUpdate changed the document').toEqual(vector);
	if (typeof result === 'string') return result;

	const copy = replicaOf(doc);
	const before = contentOf(copy);
	expect(() => Y.applyUpdate(copy, update), 'an accepted update failed to apply').not.toThrow();
	expect(copy.store.pendingStructs, 'an accepted update left pending structs').toBeNull();
	expect(copy.store.pendingDs, 'an accepted update left a pending delete set').toBeNull();

	const listed = new Set([...result.writes, ...result.deletes].map((c) => `${c.root}/${c.key}`));
	const after = contentOf(copy);
	for (const key of new Set([...before.keys(), ...after.keys()])) {
		if (before.get(key) !== after.get(key)) {
			expect(listed, `the summary misses a change of ${key}`).toContain(key);
		}
	}
	if (result.empty) {
		expect(Y.encodeStateVector(copy), 'an "empty" update changed the state').toEqual(vector);
		expect(after).toEqual(before);
	}
	return 'accepted';
}
