/**
 * Every rule of the policy, judged on real updates made by a replica (never
 * on hand-built summaries). Each forbidden change is paired with an allowed
 * change of the same kind, so that a policy refusing everything fails too.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addIdea, deleteIdea, editIdea, setMeta } from './commands.js';
import { boardMaps } from './doc.js';
import { inspectUpdate } from './inspect.js';
import { canModifyIdea, checkUpdate, type Actor } from './policy.js';
import { LIMITS, type Idea } from './schema.js';
import {
	ALICE,
	BOB,
	FIONA,
	authorOf,
	capture,
	createServer,
	judge,
	participantOf,
	replicaOf,
	submit,
	syncStep2
} from './test/fixtures.js';
import { getIdea } from './views.js';

interface Board {
	server: Y.Doc;
	/** Alice's and Bob's ideas, as the server holds them. */
	alices: Idea;
	bobs: Idea;
}

function board(): Board {
	const server = createServer();
	const post = (actor: Actor, text: string, now: number) => {
		const replica = replicaOf(server);
		const id = addIdea(replica, authorOf(actor), text, now);
		expect(submit(server, actor, syncStep2(replica, server))).toBe('ok');
		return getIdea(server, id)!;
	};
	return { server, alices: post(ALICE, 'Alice’s idea', 10), bobs: post(BOB, 'Bob’s idea', 11) };
}

type Change = (doc: Y.Doc, board: Board) => void;

/** The verdict of the server on `change`, made by `actor` on a fresh replica. */
function verdictOf(actor: Actor, change: Change) {
	const b = board();
	const replica = replicaOf(b.server);
	const update = capture(replica, () => change(replica, b));
	expect(update.length, 'the change produced no update').toBeGreaterThan(2);
	return checkUpdate(b.server, actor, inspectUpdate(b.server, update));
}

const ideas = (doc: Y.Doc) => boardMaps(doc).ideas;
const meta = (doc: Y.Doc) => boardMaps(doc).meta;
const setIdea = (doc: Y.Doc, idea: Idea, key = idea.id) => ideas(doc).set(key, idea);
const newIdea = (actor: Actor, fields: Partial<Idea> = {}): Idea => ({
	id: 'fresh1',
	text: 'Fresh',
	authorId: actor.participantId,
	industry: actor.industry,
	createdAt: 20,
	...fields
});

interface Rule {
	rule: string;
	forbidden: [Actor, Change, RegExp];
	allowed: [Actor, Change];
}

const RULES: Rule[] = [
	{
		rule: 'a participant posts ideas only in their own name',
		forbidden: [BOB, (doc) => addIdea(doc, authorOf(ALICE), 'In Alice’s name', 20), /own name/],
		allowed: [BOB, (doc) => addIdea(doc, authorOf(BOB), 'In my name', 20)]
	},
	{
		rule: 'the facilitator, too, posts ideas only in their own name',
		forbidden: [FIONA, (doc) => addIdea(doc, authorOf(ALICE), 'For Alice', 20), /own name/],
		allowed: [FIONA, (doc) => addIdea(doc, authorOf(FIONA), 'Mine', 20)]
	},
	{
		rule: 'an idea carries its author’s own industry',
		forbidden: [
			BOB,
			(doc) => addIdea(doc, { participantId: 'bob', industry: 'Bakery' }, 'Borrowed', 20),
			/industry/
		],
		allowed: [BOB, (doc) => addIdea(doc, authorOf(BOB), 'Own industry', 20)]
	},
	{
		rule: 'only the author or the facilitator edits an idea (author)',
		forbidden: [BOB, (doc, b) => editIdea(doc, b.alices.id, 'Bob was here', 30), /author or/],
		allowed: [ALICE, (doc, b) => editIdea(doc, b.alices.id, 'Alice again', 30)]
	},
	{
		rule: 'only the author or the facilitator edits an idea (facilitator)',
		forbidden: [BOB, (doc, b) => editIdea(doc, b.alices.id, 'Tidied', 30), /author or/],
		allowed: [FIONA, (doc, b) => editIdea(doc, b.alices.id, 'Tidied', 30)]
	},
	{
		rule: 'only the author or the facilitator deletes an idea (author)',
		forbidden: [BOB, (doc, b) => deleteIdea(doc, b.alices.id), /author or/],
		allowed: [ALICE, (doc, b) => deleteIdea(doc, b.alices.id)]
	},
	{
		rule: 'only the author or the facilitator deletes an idea (facilitator)',
		forbidden: [ALICE, (doc, b) => deleteIdea(doc, b.bobs.id), /author or/],
		allowed: [FIONA, (doc, b) => deleteIdea(doc, b.bobs.id)]
	},
	{
		rule: 'an overwrite that arrives already deleted still needs the right to change the idea',
		forbidden: [
			BOB,
			(doc, b) =>
				doc.transact(() => {
					setIdea(doc, { ...b.alices, text: 'Gone' });
					ideas(doc).delete(b.alices.id);
				}),
			/author or/
		],
		allowed: [
			ALICE,
			(doc, b) =>
				doc.transact(() => {
					setIdea(doc, { ...b.alices, text: 'Gone' });
					ideas(doc).delete(b.alices.id);
				})
		]
	},
	{
		rule: 'an idea’s author cannot change, not even by its author',
		forbidden: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, authorId: 'bob' }), /cannot change/],
		allowed: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, text: 'Reworded' })]
	},
	{
		rule: 'an idea’s author cannot change, not even by the facilitator',
		forbidden: [FIONA, (doc, b) => setIdea(doc, { ...b.alices, authorId: 'fiona' }), /cannot/],
		allowed: [FIONA, (doc, b) => setIdea(doc, { ...b.alices, text: 'Reworded' })]
	},
	{
		rule: 'an idea’s industry cannot change',
		forbidden: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, industry: 'Catering' }), /cannot/],
		allowed: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, editedAt: 40 })]
	},
	{
		rule: 'an idea’s creation time cannot change',
		forbidden: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, createdAt: 1 }), /cannot/],
		allowed: [ALICE, (doc, b) => setIdea(doc, { ...b.alices, editedAt: 1 })]
	},
	{
		rule: 'an idea is stored under its own id (new key)',
		forbidden: [ALICE, (doc) => setIdea(doc, newIdea(ALICE), 'otherkey'), /own id/],
		allowed: [ALICE, (doc) => setIdea(doc, newIdea(ALICE), 'fresh1')]
	},
	{
		rule: 'an idea is stored under its own id (edit)',
		forbidden: [
			ALICE,
			(doc, b) => setIdea(doc, { ...b.alices, id: 'renamed' }, b.alices.id),
			/own id/
		],
		allowed: [ALICE, (doc, b) => setIdea(doc, { ...b.alices }, b.alices.id)]
	},
	{
		rule: `an idea has at most ${LIMITS.ideaText} characters`,
		forbidden: [
			ALICE,
			(doc) => setIdea(doc, newIdea(ALICE, { text: 'x'.repeat(LIMITS.ideaText + 1) })),
			/schema/
		],
		allowed: [ALICE, (doc) => setIdea(doc, newIdea(ALICE, { text: 'x'.repeat(LIMITS.ideaText) }))]
	},
	{
		rule: 'an idea has some text',
		forbidden: [ALICE, (doc) => setIdea(doc, newIdea(ALICE, { text: '' })), /schema/],
		allowed: [ALICE, (doc) => setIdea(doc, newIdea(ALICE, { text: 'x' }))]
	},
	{
		rule: 'an idea’s text is trimmed',
		forbidden: [ALICE, (doc) => setIdea(doc, newIdea(ALICE, { text: ' padded\n' })), /schema/],
		allowed: [ALICE, (doc) => setIdea(doc, newIdea(ALICE, { text: 'inner\nline' }))]
	},
	{
		rule: 'an idea has no extra fields',
		forbidden: [ALICE, (doc) => setIdea(doc, { ...newIdea(ALICE), votes: 99 } as Idea), /schema/],
		allowed: [ALICE, (doc) => setIdea(doc, { ...newIdea(ALICE), editedAt: 21 })]
	},
	{
		rule: 'an idea is a record, not some other JSON value',
		forbidden: [ALICE, (doc) => ideas(doc).set('fresh1', 'just text' as never), /schema/],
		allowed: [ALICE, (doc) => setIdea(doc, newIdea(ALICE))]
	},
	{
		rule: 'the session settings are the facilitator’s (write)',
		forbidden: [ALICE, (doc) => setMeta(doc, 'title', 'Alice’s evening'), /facilitator/],
		allowed: [FIONA, (doc) => setMeta(doc, 'title', 'Alice’s evening')]
	},
	{
		rule: 'the session settings are the facilitator’s (delete)',
		forbidden: [ALICE, (doc) => meta(doc).delete('title'), /facilitator/],
		allowed: [FIONA, (doc) => meta(doc).delete('title')]
	},
	{
		rule: 'unknown settings are refused',
		forbidden: [FIONA, (doc) => meta(doc).set('theme', 'dark'), /Unknown session setting/],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'dark')]
	},
	{
		rule: 'a setting must match its schema',
		forbidden: [FIONA, (doc) => meta(doc).set('title', ' Untrimmed '), /Invalid value/],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'Trimmed')]
	},
	{
		rule: 'a title has a limit',
		forbidden: [
			FIONA,
			(doc) => meta(doc).set('title', 'x'.repeat(LIMITS.title + 1)),
			/Invalid value/
		],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'x'.repeat(LIMITS.title))]
	},
	{
		rule: 'the schema version is the server’s to set',
		forbidden: [FIONA, (doc) => meta(doc).set('schemaVersion', 99), /set by the server/],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'Version 99')]
	},
	{
		rule: 'the creation time is the server’s to set',
		forbidden: [FIONA, (doc) => meta(doc).set('createdAt', 1), /set by the server/],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'Created at 1')]
	},
	{
		rule: 'the schema version is the server’s to delete',
		forbidden: [FIONA, (doc) => meta(doc).delete('schemaVersion'), /set by the server/],
		allowed: [FIONA, (doc) => meta(doc).delete('title')]
	},
	{
		rule: 'the creation time is the server’s to delete',
		forbidden: [FIONA, (doc) => meta(doc).delete('createdAt'), /set by the server/],
		allowed: [FIONA, (doc) => meta(doc).delete('title')]
	},
	{
		rule: 'participants are the server’s (own profile)',
		forbidden: [
			ALICE,
			(doc) => boardMaps(doc).participants.set('alice', { ...participantOf(ALICE), name: 'Queen' }),
			/server/
		],
		allowed: [ALICE, (doc) => addIdea(doc, authorOf(ALICE), 'I am Queen', 20)]
	},
	{
		rule: 'participants are the server’s (role)',
		forbidden: [
			ALICE,
			(doc) =>
				boardMaps(doc).participants.set('alice', { ...participantOf(ALICE), role: 'facilitator' }),
			/server/
		],
		allowed: [FIONA, (doc) => setMeta(doc, 'title', 'Alice helps tonight')]
	},
	{
		rule: 'participants are the server’s (even for the facilitator)',
		forbidden: [FIONA, (doc) => boardMaps(doc).participants.delete('bob'), /server/],
		allowed: [FIONA, (doc, b) => deleteIdea(doc, b.bobs.id)]
	},
	{
		rule: 'unknown roots are refused',
		forbidden: [FIONA, (doc) => doc.getMap('graffiti').set('x', 1), /Unknown part/],
		allowed: [FIONA, (doc) => meta(doc).set('title', 'x')]
	},
	{
		rule: 'one forbidden change refuses the whole update',
		forbidden: [
			ALICE,
			(doc, b) =>
				doc.transact(() => {
					addIdea(doc, authorOf(ALICE), 'Innocent', 20);
					editIdea(doc, b.bobs.id, 'Not so innocent', 20);
				}),
			/author or/
		],
		allowed: [
			ALICE,
			(doc, b) =>
				doc.transact(() => {
					addIdea(doc, authorOf(ALICE), 'Innocent', 20);
					editIdea(doc, b.alices.id, 'Still innocent', 20);
				})
		]
	}
];

describe.each(RULES)('$rule', ({ forbidden, allowed }) => {
	test('forbidden', () => {
		const [actor, change, reason] = forbidden;
		const verdict = verdictOf(actor, change);
		expect(verdict.ok).toBe(false);
		expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
	});

	test('allowed', () => {
		const [actor, change] = allowed;
		expect(verdictOf(actor, change)).toEqual({ ok: true });
	});
});

describe('offline work and races', () => {
	test('an idea posted, edited and deleted offline is allowed: nothing of it is left to judge', () => {
		const { server } = board();
		const alice = replicaOf(server);
		const id = addIdea(alice, authorOf(ALICE), 'Short-lived', 20);
		editIdea(alice, id, 'Very short-lived', 21);
		deleteIdea(alice, id);
		const update = syncStep2(alice, server);
		const summary = inspectUpdate(server, update);
		expect(summary.writes.every((write) => !write.hasValue)).toBe(true);
		// Values that arrive deleted under a free key are not attributed to anyone.
		expect(judge(server, BOB, update)).toBe('ok');
		expect(submit(server, ALICE, update)).toBe('ok');
		expect(getIdea(server, id)).toBeUndefined();
	});

	test('an offline edit of someone else’s idea, deleted again before reconnecting, is refused', () => {
		const { server, alices } = board();
		const bob = replicaOf(server);
		editIdea(bob, alices.id, 'Bob’s version', 30);
		deleteIdea(bob, alices.id);
		const update = syncStep2(bob, server);
		expect(judge(server, BOB, update)).toBe('policy');
		expect(judge(server, FIONA, update)).toBe('ok');
	});

	test('an author’s edit of an idea the facilitator deleted meanwhile brings it back', () => {
		const { server, alices } = board();
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		expect(
			submit(
				server,
				FIONA,
				capture(fiona, () => deleteIdea(fiona, alices.id))
			)
		).toBe('ok');
		const edit = capture(alice, () => editIdea(alice, alices.id, 'Still here', 30));
		expect(submit(server, ALICE, edit)).toBe('ok');
		expect(getIdea(server, alices.id)?.text).toBe('Still here');
	});

	test('a facilitator’s edit of an idea its author deleted meanwhile is judged as a new idea', () => {
		// Known limitation: the deleted version's author is no longer visible, so
		// the edit counts as posting in the author's name and is refused.
		const { server, alices } = board();
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		expect(
			submit(
				server,
				ALICE,
				capture(alice, () => deleteIdea(alice, alices.id))
			)
		).toBe('ok');
		const edit = capture(fiona, () => editIdea(fiona, alices.id, 'Tidied', 30));
		expect(judge(server, FIONA, edit)).toBe('policy');
		expect(judge(server, ALICE, edit)).toBe('ok');
	});

	test('a facilitator’s deletion of an idea its author edited meanwhile deletes nothing', () => {
		const { server, alices } = board();
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		expect(
			submit(
				server,
				ALICE,
				capture(alice, () => editIdea(alice, alices.id, 'New', 30))
			)
		).toBe('ok');
		const deletion = capture(fiona, () => deleteIdea(fiona, alices.id));
		expect(inspectUpdate(server, deletion).empty).toBe(true);
		expect(submit(server, FIONA, deletion)).toBe('ok');
		expect(getIdea(server, alices.id)?.text).toBe('New');
	});
});

describe('canModifyIdea', () => {
	test.each([
		[ALICE, 'alice', true],
		[BOB, 'alice', false],
		[FIONA, 'alice', true],
		[FIONA, 'fiona', true]
	] as const)('%o on an idea by %s: %s', (actor, authorId, expected) => {
		expect(canModifyIdea(actor, { authorId })).toBe(expected);
	});
});
