import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { changedDoc } from './doc.js';

describe('changedDoc', () => {
	it('tells an empty transaction from one that inserts or deletes, as Yjs does for updates', () => {
		const doc = new Y.Doc();
		const seen: boolean[] = [];
		const updates: number[] = [];
		doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(changedDoc(tr)));
		doc.on('update', () => updates.push(seen.length));
		doc.transact(() => {});
		doc.getMap('m').set('k', 1);
		doc.getMap('m').delete('k');
		doc.getMap('m').delete('missing');
		const other = new Y.Doc();
		other.getMap('m').set('r', 2);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		expect(seen).toEqual([false, true, true, false, true]);
		// Exactly the transactions Yjs emitted an update for.
		expect(updates).toEqual([2, 3, 5]);
	});
});
