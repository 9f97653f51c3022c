import { CLOSE, addIdea, createBoardDoc, editIdea, inspectUpdate } from '@kipina/board';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { MAX_IDEAS_PER_SESSION } from '../src/limits.js';
import { IdeaBudget } from '../src/sync/ideaBudget.js';

/** The server's document with its budget, and a participant's replica of it. */
function setUp(spec = { capacity: 60, perSecond: 2 }) {
	const doc = createBoardDoc();
	const budget = new IdeaBudget(doc, spec);
	const replica = (participantId: string) => {
		const own = createBoardDoc();
		Y.applyUpdate(own, Y.encodeStateAsUpdate(doc));
		const updates: Uint8Array[] = [];
		own.on('update', (u: Uint8Array) => updates.push(u));
		/** Runs `edit` on the replica; its update is judged by the budget, and applied when it fits. */
		return (edit: (own: Y.Doc) => void) => {
			edit(own);
			const update = Y.mergeUpdates(updates.splice(0));
			const verdict = budget.check(participantId, inspectUpdate(doc, update));
			if (!verdict) Y.applyUpdate(doc, update);
			return verdict;
		};
	};
	return { doc, replica };
}

const author = (participantId: string) => ({ participantId, industry: 'IT' });

test('a full board refuses new ideas, counting what storage and earlier updates brought', () => {
	const { doc, replica } = setUp();
	doc.transact(() => {
		for (let i = 0; i < MAX_IDEAS_PER_SESSION - 2; i++) addIdea(doc, author('p0'), `Idea ${i}`);
	});
	const aino = replica('aino');
	expect(aino((own) => addIdea(own, author('aino'), 'One more'))).toBeNull();
	// Two at once where one still fits: refused whole.
	const refused = aino((own) => {
		addIdea(own, author('aino'), 'Two');
		addIdea(own, author('aino'), 'Three');
	});
	expect(refused).toEqual({ code: CLOSE.refused, reason: 'This board is full.' });
});

test('each participant posts at the rate of their own bucket; edits cost nothing', () => {
	const { replica } = setUp({ capacity: 2, perSecond: 0.001 });
	const aino = replica('aino');
	const bea = replica('bea');
	let first = '';
	expect(aino((own) => (first = addIdea(own, author('aino'), 'Eka')))).toBeNull();
	expect(aino((own) => addIdea(own, author('aino'), 'Toka'))).toBeNull();
	expect(aino((own) => editIdea(own, first, 'Eka, muokattu'))).toBeNull();
	expect(aino((own) => addIdea(own, author('aino'), 'Kolmas'))).toMatchObject({
		code: CLOSE.rateLimited
	});
	expect(bea((own) => addIdea(own, author('bea'), 'Beatan eka'))).toBeNull();
});
