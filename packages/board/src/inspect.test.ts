import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addIdea, deleteIdea, editIdea, setMeta } from './commands.js';
import { boardMaps } from './doc.js';
import { inspectUpdate, UpdateRefusal } from './inspect.js';
import type { Idea } from './schema.js';
import {
	ALICE,
	FIONA,
	authorOf,
	capture,
	createServer,
	judge,
	replicaOf,
	submit,
	syncStep2
} from './test/fixtures.js';
import { Prng } from './test/harness.js';
import { expectSound, inspectOrRefusal } from './test/soundness.js';
import { getIdea, listIdeas } from './views.js';

/** A server and a replica of Alice's that has caught up with it. */
function setup(options?: { gc?: boolean }) {
	const server = createServer();
	const alice = replicaOf(server, options);
	return { server, alice };
}

/** Posts an idea from `replica` and lets the server take it. */
function postIdea(server: Y.Doc, replica: Y.Doc, text = 'Shared delivery van', now = 10): Idea {
	const id = addIdea(replica, authorOf(ALICE), text, now);
	expect(submit(server, ALICE, syncStep2(replica, server))).toBe('ok');
	return getIdea(server, id)!;
}

describe('what an update writes and deletes', () => {
	test('posting an idea writes its key and deletes nothing', () => {
		const { server, alice } = setup();
		const update = capture(alice, () => addIdea(alice, authorOf(ALICE), 'Shared delivery van', 10));
		const idea = listIdeas(alice)[0]!;
		const summary = inspectUpdate(server, update);
		expect(summary.writes).toEqual([{ root: 'ideas', key: idea.id, hasValue: true, value: idea }]);
		expect(summary.deletes).toEqual([]);
		expect(summary.clients).toEqual(new Set([alice.clientID]));
		expect(summary.empty).toBe(false);
		expect(expectSound(server, update)).toBe('accepted');
	});

	test('editing an idea writes the new value and deletes the old one', () => {
		const { server, alice } = setup();
		const original = postIdea(server, alice);
		const update = capture(alice, () => editIdea(alice, original.id, 'Shared electric van', 20));
		const summary = inspectUpdate(server, update);
		expect(summary.writes).toEqual([
			{ root: 'ideas', key: original.id, hasValue: true, value: getIdea(alice, original.id) }
		]);
		expect(summary.deletes).toEqual([{ root: 'ideas', key: original.id, value: original }]);
		expect(expectSound(server, update)).toBe('accepted');
	});

	test('deleting an idea deletes exactly that key and authors nothing', () => {
		const { server, alice } = setup();
		const idea = postIdea(server, alice);
		const update = capture(alice, () => deleteIdea(alice, idea.id));
		const summary = inspectUpdate(server, update);
		expect(summary.writes).toEqual([]);
		expect(summary.deletes).toEqual([{ root: 'ideas', key: idea.id, value: idea }]);
		expect(summary.clients.size).toBe(0);
		expect(summary.empty).toBe(false);
		expect(expectSound(server, update)).toBe('accepted');
	});

	test('a key set twice in one transaction: the first value arrives deleted', () => {
		const server = createServer();
		const fiona = replicaOf(server);
		const update = capture(fiona, () =>
			fiona.transact(() => {
				setMeta(fiona, 'title', 'Draft');
				setMeta(fiona, 'title', 'Final');
			})
		);
		const summary = inspectUpdate(server, update);
		expect(summary.writes).toEqual([
			{ root: 'meta', key: 'title', hasValue: false, value: undefined },
			{ root: 'meta', key: 'title', hasValue: true, value: 'Final' }
		]);
		expect(summary.deletes).toEqual([{ root: 'meta', key: 'title', value: 'Core group, March' }]);
		expect(judge(server, FIONA, update)).toBe('ok');
		expect(expectSound(server, update)).toBe('accepted');
	});

	test('an idea created, edited and deleted offline arrives deleted on reconnect', () => {
		const { server, alice } = setup();
		const id = addIdea(alice, authorOf(ALICE), 'Pop-up shop', 10);
		editIdea(alice, id, 'Pop-up shop at the market', 11);
		deleteIdea(alice, id);
		const update = syncStep2(alice, server);
		const summary = inspectUpdate(server, update);
		expect(summary.writes.length).toBeGreaterThan(0);
		expect(summary.writes.every((w) => w.root === 'ideas' && w.key === id && !w.hasValue)).toBe(
			true
		);
		expect(summary.deletes).toEqual([]);
		expect(summary.empty).toBe(false);
		expect(submit(server, ALICE, update)).toBe('ok');
		expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(alice));
		expect(listIdeas(server)).toEqual([]);
	});

	test('offline edits from a replica that keeps deleted content (gc: false) are accepted', () => {
		// Such a replica merges the deleted versions of a key into one multi-value struct.
		const { server, alice } = setup({ gc: false });
		const id = addIdea(alice, authorOf(ALICE), 'Pop-up shop', 10);
		editIdea(alice, id, 'Pop-up shop at the market', 11);
		editIdea(alice, id, 'Pop-up shop at the Christmas market', 12);
		const update = syncStep2(alice, server);
		const summary = inspectUpdate(server, update);
		expect(summary.writes.map((w) => [w.key, (w.value as Idea).text])).toEqual([
			[id, 'Pop-up shop'],
			[id, 'Pop-up shop at the market'],
			[id, 'Pop-up shop at the Christmas market']
		]);
		expect(expectSound(server, update)).toBe('accepted');
		expect(submit(server, ALICE, update)).toBe('ok');
		expect(getIdea(server, id)?.text).toBe('Pop-up shop at the Christmas market');
	});

	test('sync step 2 of a replica that is up to date is empty', () => {
		const { server, alice } = setup();
		const idea = postIdea(server, alice);
		expect(
			submit(
				server,
				ALICE,
				capture(alice, () => editIdea(alice, idea.id, 'Edited', 20))
			)
		).toBe('ok');
		expect(
			submit(
				server,
				ALICE,
				capture(alice, () => deleteIdea(alice, idea.id))
			)
		).toBe('ok');
		for (const update of [syncStep2(alice, server), Y.encodeStateAsUpdate(alice)]) {
			const summary = inspectUpdate(server, update);
			expect(summary).toEqual({ writes: [], deletes: [], clients: new Set(), empty: true });
			expect(expectSound(server, update)).toBe('accepted');
		}
	});

	test('an update the server already applied is empty the second time', () => {
		const { server, alice } = setup();
		const update = capture(alice, () => addIdea(alice, authorOf(ALICE), 'Twice', 10));
		expect(inspectUpdate(server, update).empty).toBe(false);
		expect(submit(server, ALICE, update)).toBe('ok');
		expect(inspectUpdate(server, update).empty).toBe(true);
	});

	test('inspecting never changes the document', () => {
		const { server, alice } = setup();
		const idea = postIdea(server, alice);
		const before = Y.encodeStateAsUpdate(server);
		const other = replicaOf(server);
		inspectUpdate(
			server,
			capture(alice, () => editIdea(alice, idea.id, 'Changed', 20))
		);
		inspectUpdate(
			server,
			capture(other, () => deleteIdea(other, idea.id))
		);
		expect(Y.encodeStateAsUpdate(server)).toEqual(before);
		expect(getIdea(server, idea.id)).toEqual(idea);
	});
});

describe('updates that do not fit the server', () => {
	test('an update whose predecessor from the same client is missing is a gap', () => {
		const { server, alice } = setup();
		const first = capture(alice, () => addIdea(alice, authorOf(ALICE), 'One', 10));
		const second = capture(alice, () => addIdea(alice, authorOf(ALICE), 'Two', 11));
		const third = capture(alice, () => addIdea(alice, authorOf(ALICE), 'Three', 12));
		expect(inspectOrRefusal(server, second)).toBe('gap');
		expect(inspectOrRefusal(server, Y.mergeUpdates([first, third]))).toBe('gap');
		expect(submit(server, ALICE, first)).toBe('ok');
		expect(inspectOrRefusal(server, third)).toBe('gap');
		expect(submit(server, ALICE, second)).toBe('ok');
		expect(submit(server, ALICE, third)).toBe('ok');
	});

	test('an edit of an idea the server never received is a gap', () => {
		const { server, alice } = setup();
		const id = addIdea(alice, authorOf(ALICE), 'Unsent', 10);
		expect(
			inspectOrRefusal(
				server,
				capture(alice, () => editIdea(alice, id, 'Edited', 11))
			)
		).toBe('gap');
	});

	test('deleting an item the server does not have is a gap', () => {
		const { server, alice } = setup();
		const bob = replicaOf(server);
		const id = addIdea(alice, authorOf(ALICE), 'Seen by Bob only', 10);
		Y.applyUpdate(bob, syncStep2(alice, bob));
		const update = capture(bob, () => deleteIdea(bob, id));
		expect(inspectOrRefusal(server, update)).toBe('gap');
		expect(submit(server, ALICE, syncStep2(alice, server))).toBe('ok');
		expect(inspectOrRefusal(server, update)).not.toBe('gap');
	});
});

describe('shapes outside the board schema', () => {
	const cases: Array<[string, (doc: Y.Doc) => void]> = [
		['a Y.Map as a value', (doc) => boardMaps(doc).ideas.set('nested', new Y.Map() as never)],
		['a Y.Text as a value', (doc) => boardMaps(doc).meta.set('title', new Y.Text('t'))],
		['a Y.Array as a value', (doc) => boardMaps(doc).meta.set('title', new Y.Array())],
		['a subdocument as a value', (doc) => boardMaps(doc).meta.set('title', new Y.Doc())],
		['binary content', (doc) => boardMaps(doc).meta.set('title', new Uint8Array([1, 2]))],
		['a Y.Array root', (doc) => doc.getArray('ideas-list').push([{ text: 'listed' }])],
		['a Y.Text root', (doc) => doc.getText('notes').insert(0, 'hello')],
		['a Y.XmlFragment root', (doc) => doc.getXmlFragment('xml').insert(0, [new Y.XmlText('x')])]
	];

	test.each(cases)('%s is refused as shape', (_name, change) => {
		const server = createServer();
		const fiona = replicaOf(server);
		expect(
			judge(
				server,
				FIONA,
				capture(fiona, () => change(fiona))
			)
		).toBe('shape');
	});

	test('a change inside a nested type is refused even when the type came from elsewhere', () => {
		const server = createServer();
		const fiona = replicaOf(server);
		const inner = new Y.Map<string>();
		fiona.getMap('meta').set('nested', inner);
		const elsewhere = replicaOf(fiona);
		const update = capture(fiona, () => inner.set('title', 'inside'));
		expect(inspectOrRefusal(server, update)).toBe('gap');
		expect(inspectOrRefusal(elsewhere, update)).toBe('shape');
	});

	test('a map under an unknown root decodes but the policy refuses it', () => {
		const server = createServer();
		const fiona = replicaOf(server);
		const update = capture(fiona, () => fiona.getMap('graffiti').set('fiona', { idea: 3 }));
		expect(inspectUpdate(server, update).writes).toEqual([
			{ root: 'graffiti', key: 'fiona', hasValue: true, value: { idea: 3 } }
		]);
		expect(judge(server, FIONA, update)).toBe('policy');
	});

	test('the same change inside a known root is allowed, so the cases above can fail', () => {
		const server = createServer();
		const fiona = replicaOf(server);
		expect(
			judge(
				server,
				FIONA,
				capture(fiona, () => setMeta(fiona, 'title', 'Fine'))
			)
		).toBe('ok');
	});
});

describe('malformed input', () => {
	/** A real update with several kinds of structs and a delete set. */
	function richUpdate() {
		const server = createServer();
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		const kept = addIdea(alice, authorOf(ALICE), 'Kept', 10);
		editIdea(alice, kept, 'Kept and edited', 11);
		deleteIdea(alice, addIdea(alice, authorOf(ALICE), 'Removed', 12));
		setMeta(fiona, 'title', 'Evening');
		Y.applyUpdate(alice, syncStep2(fiona, alice));
		return { server, update: syncStep2(alice, server) };
	}

	test('an empty buffer is malformed', () => {
		expect(inspectOrRefusal(createServer(), new Uint8Array())).toBe('malformed');
	});

	test('random bytes are refused or, if they happen to decode, are sound', () => {
		const server = createServer();
		const prng = new Prng(2024);
		const outcomes = new Set<string>();
		for (let i = 0; i < 2000; i++) {
			const bytes = Uint8Array.from({ length: 1 + prng.int(48) }, () => prng.int(256));
			outcomes.add(expectSound(server, bytes));
		}
		expect(outcomes).toContain('malformed');
	});

	test('every truncation of a real update is refused', () => {
		const { server, update } = richUpdate();
		expect(expectSound(server, update)).toBe('accepted');
		for (let length = 0; length < update.length; length++) {
			expect(inspectOrRefusal(server, update.subarray(0, length))).toBeTypeOf('string');
		}
	});

	test('bit flips all over a real update are refused or sound', () => {
		const { server, update } = richUpdate();
		const outcomes = new Map<string, number>();
		for (let bit = 0; bit < update.length * 8; bit += 3) {
			const flipped = update.slice();
			flipped[bit >> 3]! ^= 1 << (bit & 7);
			const outcome = expectSound(server, flipped);
			outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
		}
		// Both paths are exercised: flips that still decode (e.g. in a value) and flips that do not.
		expect(outcomes.get('accepted')).toBeGreaterThan(0);
		expect(outcomes.get('malformed')).toBeGreaterThan(0);
	});

	test('the refusal is an UpdateRefusal with a code and a message', () => {
		const error = (() => {
			try {
				inspectUpdate(createServer(), new Uint8Array([1, 2, 3]));
			} catch (caught) {
				return caught;
			}
		})();
		expect(error).toBeInstanceOf(UpdateRefusal);
		expect(error).toMatchObject({ name: 'UpdateRefusal', code: 'malformed' });
	});
});

describe('long histories', () => {
	test.each([true, false])('5,000 overwrites of one key in one update (gc: %s)', (gc) => {
		const server = createServer();
		const fiona = replicaOf(server, { gc });
		const update = capture(fiona, () =>
			fiona.transact(() => {
				for (let i = 0; i < 5000; i++) setMeta(fiona, 'title', `Title ${i}`);
			})
		);
		const summary = inspectUpdate(server, update);
		expect(summary.writes.at(-1)).toEqual({
			root: 'meta',
			key: 'title',
			hasValue: true,
			value: 'Title 4999'
		});
		expect(summary.writes.every((w) => w.root === 'meta' && w.key === 'title')).toBe(true);
		expect(submit(server, FIONA, update)).toBe('ok');
		expect(server.getMap('meta').get('title')).toBe('Title 4999');
	});

	test('overwrites that alternate between two keys keep an unmerged origin chain', () => {
		const { server, alice } = setup();
		const a = postIdea(server, alice, 'A', 1);
		const b = postIdea(server, alice, 'B', 2);
		const update = capture(alice, () =>
			alice.transact(() => {
				for (let i = 0; i < 1500; i++) {
					editIdea(alice, a.id, `A ${i}`, 3);
					editIdea(alice, b.id, `B ${i}`, 3);
				}
			})
		);
		const summary = inspectUpdate(server, update);
		expect(new Set(summary.writes.map((w) => w.key))).toEqual(new Set([a.id, b.id]));
		expect(summary.deletes.map((d) => d.key).sort()).toEqual([a.id, b.id].sort());
		expect(submit(server, ALICE, update)).toBe('ok');
		expect(listIdeas(server).map((idea) => idea.text)).toEqual(['A 1499', 'B 1499']);
	});
});
