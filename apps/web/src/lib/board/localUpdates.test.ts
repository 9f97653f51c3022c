import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { listenToLocalUpdates } from './localUpdates';

const REMOTE = { name: 'provider' };

/** A doc with a listener like the provider's: collects the updates it is given. */
function setup() {
	const doc = new Y.Doc();
	const sent: { update: Uint8Array; origin: unknown }[] = [];
	const stop = listenToLocalUpdates(doc, REMOTE, (update, origin) => sent.push({ update, origin }));
	const emitted = vi.spyOn(doc, 'emit');
	const encodedUpdates = () => emitted.mock.calls.filter(([name]) => name === 'update').length;
	return { doc, sent, stop, encodedUpdates };
}

function remoteUpdate(write: (doc: Y.Doc) => void): Uint8Array {
	const other = new Y.Doc();
	write(other);
	return Y.encodeStateAsUpdate(other);
}

describe('listenToLocalUpdates', () => {
	it('hands over local changes, which apply elsewhere to the same content', () => {
		const { doc, sent } = setup();
		doc.getMap('ideas').set('a', { text: 'one' });
		doc.transact(() => doc.getMap('ideas').set('b', { text: 'two' }), 'command');
		expect(sent.map((s) => s.origin)).toEqual([null, 'command']);
		const copy = new Y.Doc();
		for (const { update } of sent) Y.applyUpdate(copy, update);
		expect(copy.getMap('ideas').toJSON()).toEqual({ a: { text: 'one' }, b: { text: 'two' } });
	});

	it('has Yjs skip encoding the changes the provider applied', () => {
		const { doc, sent, encodedUpdates } = setup();
		Y.applyUpdate(
			doc,
			remoteUpdate((d) => d.getMap('ideas').set('r', { text: 'from the server' })),
			REMOTE
		);
		expect(doc.getMap('ideas').get('r')).toEqual({ text: 'from the server' });
		expect(sent).toEqual([]);
		expect(encodedUpdates()).toBe(0);
		doc.getMap('ideas').set('l', { text: 'local' });
		expect(sent).toHaveLength(1);
		expect(encodedUpdates()).toBe(1);
	});

	it('still hands over a local change made by an observer while a remote change is applied', () => {
		const { doc, sent } = setup();
		const ideas = doc.getMap<{ text: string }>('ideas');
		ideas.observe((event) => {
			if (event.transaction.origin === REMOTE && !ideas.has('reaction')) {
				ideas.set('reaction', { text: 'seen' });
			}
		});
		Y.applyUpdate(
			doc,
			remoteUpdate((d) => d.getMap('ideas').set('r', { text: 'x' })),
			REMOTE
		);
		expect(sent).toHaveLength(1);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, sent[0]!.update);
		expect(copy.getMap('ideas').get('reaction')).toEqual({ text: 'seen' });
	});

	it('stops for good', () => {
		const { doc, sent, stop } = setup();
		stop();
		Y.applyUpdate(
			doc,
			remoteUpdate((d) => d.getMap('m').set('k', 1)),
			REMOTE
		);
		doc.getMap('m').set('j', 2);
		expect(sent).toEqual([]);
	});
});
