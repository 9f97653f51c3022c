import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SavedClocks } from './saved';

describe('SavedClocks', () => {
	it('starts at zero for every client', () => {
		expect(new SavedClocks().clockFor(42)).toBe(0);
	});

	it('only moves forward', () => {
		const saved = new SavedClocks();
		expect(saved.merge(new Map([[1, 5]]))).toBe(true);
		expect(saved.merge(new Map([[1, 3]]))).toBe(false);
		expect(saved.clockFor(1)).toBe(5);
		expect(
			saved.merge(
				new Map([
					[1, 7],
					[2, 1]
				])
			)
		).toBe(true);
		expect(saved.clockFor(1)).toBe(7);
		expect(saved.clockFor(2)).toBe(1);
	});

	it('reads the wire format of the saved message (a Yjs state vector)', () => {
		const doc = new Y.Doc();
		doc.getMap('ideas').set('a', { text: 'x' });
		doc.getMap('ideas').set('b', { text: 'y' });
		const wire = Y.encodeStateVector(doc);
		const saved = new SavedClocks();
		saved.merge(Y.decodeStateVector(wire));
		// Saved ⇔ the confirmed clock reaches the local one.
		expect(saved.clockFor(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
		doc.getMap('ideas').set('c', { text: 'z' });
		expect(saved.clockFor(doc.clientID)).toBeLessThan(Y.getState(doc.store, doc.clientID));
	});
});
