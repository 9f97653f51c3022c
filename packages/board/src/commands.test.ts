import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addIdea, CommandError, deleteIdea, editIdea, setMeta } from './commands.js';
import { boardMaps, createBoardDoc } from './doc.js';
import { commandOrigin } from './origins.js';
import { isId, LIMITS, type Idea, type Participant } from './schema.js';
import { ALICE, authorOf } from './test/fixtures.js';
import {
	getIdea,
	getParticipant,
	getSessionInfo,
	industryCount,
	listIdeas,
	listParticipants
} from './views.js';

/** The origins of the transactions `change` runs, and whether it emitted any update. */
function observe(doc: Y.Doc, change: () => void) {
	const origins: unknown[] = [];
	let updates = 0;
	const onTransaction = (transaction: Y.Transaction) => origins.push(transaction.origin);
	const onUpdate = () => updates++;
	doc.on('afterTransaction', onTransaction);
	doc.on('update', onUpdate);
	change();
	doc.off('afterTransaction', onTransaction);
	doc.off('update', onUpdate);
	return { origins, updates };
}

function codeOf(run: () => unknown): string | undefined {
	try {
		run();
	} catch (error) {
		if (error instanceof CommandError) return error.code;
		throw error;
	}
	return undefined;
}

describe('addIdea', () => {
	test('stores a trimmed idea under a fresh id, in one transaction with a command origin', () => {
		const doc = createBoardDoc();
		let id = '';
		const { origins, updates } = observe(doc, () => {
			id = addIdea(doc, authorOf(ALICE), '  Shared van\r\nfor deliveries \n', 1234.9);
		});
		expect(isId(id)).toBe(true);
		expect(getIdea(doc, id)).toEqual({
			id,
			text: 'Shared van\nfor deliveries',
			authorId: 'alice',
			industry: 'Bakery',
			createdAt: 1234
		});
		expect(origins).toEqual([commandOrigin('addIdea')]);
		expect(updates).toBe(1);
	});

	test('cleans the author’s industry to a single line', () => {
		const doc = createBoardDoc();
		const id = addIdea(doc, { participantId: 'bob', industry: '  Reindeer\n  safaris ' }, 'x');
		expect(getIdea(doc, id)?.industry).toBe('Reindeer safaris');
	});

	test.each([
		['', 'empty'],
		[' \n\t ', 'empty'],
		['x'.repeat(LIMITS.ideaText + 1), 'too-long'],
		[` ${'x'.repeat(LIMITS.ideaText + 1)} `, 'too-long']
	])('refuses %j with %s', (text, code) => {
		const doc = createBoardDoc();
		expect(codeOf(() => addIdea(doc, authorOf(ALICE), text))).toBe(code);
		expect(listIdeas(doc)).toEqual([]);
	});

	test(`accepts exactly ${LIMITS.ideaText} characters, counted after trimming`, () => {
		const doc = createBoardDoc();
		const id = addIdea(doc, authorOf(ALICE), `  ${'x'.repeat(LIMITS.ideaText)}  `);
		expect(getIdea(doc, id)?.text).toHaveLength(LIMITS.ideaText);
	});

	test('an author that is not a valid participant is a CommandError, not a crash', () => {
		const doc = createBoardDoc();
		expect(codeOf(() => addIdea(doc, { participantId: 'not an id!', industry: '' }, 'x'))).toBe(
			'invalid'
		);
		expect(
			codeOf(() => addIdea(doc, { participantId: 'bob', industry: 'x'.repeat(59) + ' y' }, 'x'))
		).toBe('invalid');
		expect(listIdeas(doc)).toEqual([]);
	});

	test('gives every idea its own id', () => {
		const doc = createBoardDoc();
		const ids = new Set(Array.from({ length: 200 }, () => addIdea(doc, authorOf(ALICE), 'x')));
		expect(ids.size).toBe(200);
	});
});

describe('editIdea', () => {
	function withIdea() {
		const doc = createBoardDoc();
		const id = addIdea(doc, authorOf(ALICE), 'Original', 100);
		return { doc, id };
	}

	test('replaces the text, keeps author, industry and creation time, stamps editedAt', () => {
		const { doc, id } = withIdea();
		const { origins } = observe(doc, () => editIdea(doc, id, '  Reworded  ', 250.5));
		expect(getIdea(doc, id)).toEqual({
			id,
			text: 'Reworded',
			authorId: 'alice',
			industry: 'Bakery',
			createdAt: 100,
			editedAt: 250
		});
		expect(origins).toEqual([commandOrigin('editIdea')]);
	});

	test('never stamps editedAt before the creation time (a clock running behind)', () => {
		const { doc, id } = withIdea();
		editIdea(doc, id, 'Edited', 5);
		expect(getIdea(doc, id)?.editedAt).toBe(100);
	});

	test('the same text, after trimming, changes nothing and sends nothing', () => {
		const { doc, id } = withIdea();
		const before = getIdea(doc, id);
		const { updates, origins } = observe(doc, () => editIdea(doc, id, '  Original\n', 300));
		expect(updates).toBe(0);
		expect(origins).toEqual([]);
		expect(getIdea(doc, id)).toEqual(before);
	});

	test.each([
		['', 'empty'],
		['x'.repeat(LIMITS.ideaText + 1), 'too-long']
	])('refuses %j with %s and keeps the idea', (text, code) => {
		const { doc, id } = withIdea();
		expect(codeOf(() => editIdea(doc, id, text))).toBe(code);
		expect(getIdea(doc, id)?.text).toBe('Original');
	});

	test('an idea that no longer exists is not-found', () => {
		const { doc, id } = withIdea();
		deleteIdea(doc, id);
		expect(codeOf(() => editIdea(doc, id, 'Too late'))).toBe('not-found');
		expect(codeOf(() => editIdea(doc, 'never', 'Never'))).toBe('not-found');
	});
});

describe('deleteIdea', () => {
	test('deletes the idea with a command origin; deleting again sends nothing', () => {
		const doc = createBoardDoc();
		const id = addIdea(doc, authorOf(ALICE), 'Doomed');
		const first = observe(doc, () => deleteIdea(doc, id));
		expect(first.origins).toEqual([commandOrigin('deleteIdea')]);
		expect(getIdea(doc, id)).toBeUndefined();
		expect(observe(doc, () => deleteIdea(doc, id)).updates).toBe(0);
		expect(observe(doc, () => deleteIdea(doc, 'unknown')).updates).toBe(0);
	});
});

describe('setMeta', () => {
	test('sets the title with a command origin naming the key', () => {
		const doc = createBoardDoc();
		const { origins } = observe(doc, () => setMeta(doc, 'title', 'Core group, April'));
		expect(origins).toEqual([commandOrigin('setMeta:title')]);
		expect(getSessionInfo(doc).title).toBe('Core group, April');
	});

	test('the same value sends nothing', () => {
		const doc = createBoardDoc();
		setMeta(doc, 'title', 'Same');
		expect(observe(doc, () => setMeta(doc, 'title', 'Same')).updates).toBe(0);
	});

	test.each(['', ' Padded', 'Two\nlines', 'x'.repeat(LIMITS.title + 1)])(
		'refuses the title %j as invalid',
		(title) => {
			const doc = createBoardDoc();
			setMeta(doc, 'title', 'Before');
			expect(codeOf(() => setMeta(doc, 'title', title))).toBe('invalid');
			expect(getSessionInfo(doc).title).toBe('Before');
		}
	);

	test('CommandError is an Error with a name and a code', () => {
		const error = new CommandError('empty', 'Nothing');
		expect(error).toBeInstanceOf(Error);
		expect(error).toMatchObject({ name: 'CommandError', code: 'empty', message: 'Nothing' });
	});
});

describe('views', () => {
	const idea = (id: string, createdAt: number, industry = 'Bakery'): Idea => ({
		id,
		text: id,
		authorId: 'alice',
		industry,
		createdAt
	});

	test('listIdeas: oldest first, ties by id, whatever the insertion order', () => {
		const doc = createBoardDoc();
		const { ideas } = boardMaps(doc);
		for (const i of [idea('c', 2), idea('b', 1), idea('a', 2), idea('B', 2)]) ideas.set(i.id, i);
		expect(listIdeas(doc).map((i) => i.id)).toEqual(['b', 'B', 'a', 'c']);
	});

	test('listParticipants: by joining time, then name, then id, whatever the arrival order', () => {
		const participant = (id: string, name: string, joinedAt: number): Participant => ({
			id,
			name,
			industry: '',
			role: 'participant',
			joinedAt
		});
		const people = [
			participant('p3', 'Aino', 5),
			participant('p2', 'Aino', 5),
			participant('p1', 'Eero', 5),
			participant('p4', 'Ville', 1)
		];
		const orders = [people, [...people].reverse()].map((arrival) => {
			const doc = createBoardDoc();
			for (const p of arrival) boardMaps(doc).participants.set(p.id, p);
			return listParticipants(doc).map((p) => p.id);
		});
		expect(orders[0]).toEqual(['p4', 'p2', 'p3', 'p1']);
		expect(orders[1]).toEqual(orders[0]);
		expect(getParticipant(createBoardDoc(), 'p1')).toBeUndefined();
	});

	test('getSessionInfo: defaults for a new document, stored values otherwise', () => {
		const doc = createBoardDoc();
		expect(getSessionInfo(doc)).toMatchObject({ title: '', createdAt: 0 });
		boardMaps(doc).meta.set('title', 'Evening');
		boardMaps(doc).meta.set('createdAt', 42);
		expect(getSessionInfo(doc)).toMatchObject({ title: 'Evening', createdAt: 42 });
	});

	test.each([
		[[], 0],
		[['Bakery'], 1],
		[['Bakery', 'bakery', 'BAKERY'], 1],
		[['Äänitys', 'äänitys'], 1],
		[['Bakery', 'Reindeer safaris', 'Accounting'], 3],
		[['', '', 'Bakery'], 1]
	])('industryCount(%j) = %i', (industries, expected) => {
		expect(industryCount(industries.map((industry, i) => idea(`i${i}`, i, industry)))).toBe(
			expected
		);
	});
});
