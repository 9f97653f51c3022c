/**
 * Hand-crafted updates: encodings no Yjs encoder writes, which a hostile
 * client can still send. Each must be refused before it reaches `applyUpdate`,
 * where it would hang the server, throw half-way, leave structs pending, or
 * change something the summary did not list.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addIdea, deleteIdea, editIdea, setMeta } from './commands.js';
import { inspectUpdate } from './inspect.js';
import type { Idea } from './schema.js';
import { any, craftUpdate, type CraftSection, type CraftStruct } from './test/craft.js';
import { boardMaps } from './doc.js';
import type { Actor } from './policy.js';
import {
	ALICE,
	FIONA,
	MALLORY,
	SERVER_ORIGIN,
	authorOf,
	createServer,
	judge,
	replicaOf,
	submit,
	syncStep2
} from './test/fixtures.js';
import { Prng } from './test/harness.js';
import { expectSound, inspectOrRefusal } from './test/soundness.js';
import { getIdea } from './views.js';

const X = 1001;
const Z = 1002;
const id = Y.createID;

function idea(key: string, actor: Actor = MALLORY): Idea {
	return {
		id: key,
		text: 'Crafted',
		authorId: actor.participantId,
		industry: actor.industry,
		createdAt: 1
	};
}

/** A server that holds one idea of Alice's, and Alice's client id. */
function serverWithAlicesIdea() {
	const server = createServer();
	const alice = replicaOf(server);
	const ideaId = addIdea(alice, authorOf(ALICE), 'Alice’s idea', 10);
	expect(submit(server, ALICE, syncStep2(alice, server))).toBe('ok');
	return { server, aliceClient: alice.clientID, ideaId };
}

/** Refused with `code`; and Mallory's own plain idea in the same shape of update is accepted. */
function expectRefused(server: Y.Doc, sections: CraftSection[], code: string, deletes = []) {
	expect(judge(server, MALLORY, craftUpdate(sections, deletes))).toBe(code);
	expect(expectSound(server, craftUpdate(sections, deletes))).toBe(code);
}

describe('crafted updates', () => {
	test('the baseline crafted update is accepted, so the refusals below mean something', () => {
		const server = createServer();
		const update = craftUpdate([
			{
				client: X,
				clock: 0,
				structs: [
					{ parent: 'ideas', key: 'm1', content: any(idea('m1')) },
					{ origin: id(X, 0), content: any({ ...idea('m1'), text: 'Edited' }) }
				]
			}
		]);
		expect(judge(server, MALLORY, update)).toBe('ok');
		expect(expectSound(server, update)).toBe('accepted');
	});

	test('an item whose origin is itself is malformed (it used to hang and crash the process)', () => {
		expectRefused(
			createServer(),
			[{ client: X, clock: 0, structs: [{ origin: id(X, 0), content: any(idea('m1')) }] }],
			'malformed'
		);
	});

	test('an item whose origin is a later item of its own client is malformed', () => {
		// Yjs throws half-way through the transaction on this one.
		expectRefused(
			createServer(),
			[
				{
					client: X,
					clock: 0,
					structs: [
						{ origin: id(X, 1), content: any(idea('m1')) },
						{ parent: 'ideas', key: 'm1', content: any(idea('m1')) }
					]
				}
			],
			'malformed'
		);
	});

	test('two clients whose items refer to each other are malformed', () => {
		expectRefused(
			createServer(),
			[
				{ client: Z, clock: 0, structs: [{ origin: id(X, 0), content: any(idea('m1')) }] },
				{ client: X, clock: 0, structs: [{ origin: id(Z, 0), content: any(idea('m1')) }] }
			],
			'malformed'
		);
	});

	test('a cycle through a right origin is malformed (Yjs would leave it pending)', () => {
		expectRefused(
			createServer(),
			[
				{
					client: Z,
					clock: 0,
					structs: [
						{ parent: 'ideas', key: 'm1', content: any(idea('m1')) },
						{ origin: id(Z, 0), rightOrigin: id(X, 0), content: any(idea('m1')) }
					]
				},
				{ client: X, clock: 0, structs: [{ origin: id(Z, 1), content: any(idea('m1')) }] }
			],
			'malformed'
		);
	});

	test('a right origin the server does not have is a gap (Yjs would leave it pending)', () => {
		expectRefused(
			createServer(),
			[
				{
					client: X,
					clock: 0,
					structs: [
						{ parent: 'ideas', key: 'm1', content: any(idea('m1')) },
						{ origin: id(X, 0), rightOrigin: id(Z, 7), content: any(idea('m1')) }
					]
				}
			],
			'gap'
		);
	});

	test('a client split over two sections is malformed (Yjs applies only the last)', () => {
		const server = createServer();
		// The first section puts X:0 under "m1"; the second, which Yjs applies,
		// puts X:0 under "m2" and chains an idea claiming id "m1" after it.
		expectRefused(
			server,
			[
				{
					client: X,
					clock: 0,
					structs: [{ parent: 'ideas', key: 'm1', content: any(idea('m1')) }]
				},
				{
					client: X,
					clock: 0,
					structs: [
						{ parent: 'ideas', key: 'm2', content: any(idea('m2')) },
						{ origin: id(X, 0), content: any(idea('m1')) }
					]
				}
			],
			'malformed'
		);
		expectRefused(
			server,
			[
				{
					client: X,
					clock: 0,
					structs: [{ parent: 'ideas', key: 'm1', content: any(idea('m1')) }]
				},
				{ client: X, clock: 1, structs: [{ parent: 'ideas', key: 'm2', content: any(idea('m2')) }] }
			],
			'malformed'
		);
		expectRefused(server, [{ client: X, clock: 0, structs: [] }], 'malformed');
	});

	test.each([
		['a deleted item', new Y.ContentDeleted(0)],
		['an empty JSON value list', new Y.ContentAny([])],
		['an empty string', new Y.ContentString('')]
	])('a zero-length struct (%s) is malformed', (_name, content) => {
		expectRefused(
			createServer(),
			[
				{
					client: X,
					clock: 0,
					structs: [
						{ parent: 'ideas', key: 'm1', content: any(idea('m1')) },
						{ origin: id(X, 0), content }
					]
				}
			],
			'malformed'
		);
	});

	test('a zero-length garbage struct is malformed', () => {
		expectRefused(
			createServer(),
			[
				{
					client: X,
					clock: 0,
					structs: [{ gc: 0 }, { parent: 'ideas', key: 'm1', content: any(idea('m1')) }]
				}
			],
			'malformed'
		);
	});

	test('a zero-length deletion is malformed (Yjs would keep it as a pending delete set)', () => {
		const { server, aliceClient } = serverWithAlicesIdea();
		for (const clock of [0, 1]) {
			const update = craftUpdate([], [{ client: aliceClient, clock, len: 0 }]);
			expect(judge(server, MALLORY, update)).toBe('malformed');
		}
		expect(judge(server, ALICE, craftUpdate([], [{ client: aliceClient, clock: 0, len: 1 }]))).toBe(
			'ok'
		);
	});

	test('an item overlapping what the server has cannot delete someone else’s idea', () => {
		// Written under Alice's client id from clock 0, a 2-long struct would be
		// spliced after Alice's idea (X:0 in the server) and replace it, while
		// it claims a key of Mallory's own.
		const { server, aliceClient, ideaId } = serverWithAlicesIdea();
		for (const content of [new Y.ContentDeleted(2), new Y.ContentAny([idea('m1'), idea('m1')])]) {
			const update = craftUpdate([
				{ client: aliceClient, clock: 0, structs: [{ parent: 'ideas', key: 'm1', content }] }
			]);
			expect(judge(server, MALLORY, update)).toBe('shape');
		}
		expect(getIdea(server, ideaId)?.authorId).toBe('alice');
	});

	test('an item the server has, restated with an origin it lacks, is malformed', () => {
		const { server, aliceClient } = serverWithAlicesIdea();
		expectRefused(
			server,
			[
				{
					client: aliceClient,
					clock: 0,
					structs: [
						{ origin: id(Z, 5), content: any(idea('m1')) },
						{ parent: 'ideas', key: 'm2', content: any(idea('m2')) }
					]
				}
			],
			'malformed'
		);
	});

	test('a skipped range is a gap', () => {
		expectRefused(
			createServer(),
			[
				{
					client: X,
					clock: 0,
					structs: [{ skip: 3 }, { parent: 'ideas', key: 'm1', content: any(idea('m1')) }]
				}
			],
			'gap'
		);
	});

	test('an item inside a nested type (parent given by id) is shape', () => {
		const { server, aliceClient } = serverWithAlicesIdea();
		expectRefused(
			server,
			[
				{
					client: X,
					clock: 0,
					structs: [{ parent: id(aliceClient, 0), key: 'k', content: any(1) }]
				}
			],
			'shape'
		);
	});

	test.each([
		['ContentString', new Y.ContentString('x')],
		['ContentBinary', new Y.ContentBinary(new Uint8Array([1]))],
		['ContentJSON', new Y.ContentJSON([idea('m1')])],
		['ContentEmbed', new Y.ContentEmbed({ image: 'x' })],
		['ContentFormat', new Y.ContentFormat('bold', true)],
		['ContentType', new Y.ContentType(new Y.Map())]
	])('a value as %s is shape', (_name, content) => {
		expectRefused(
			createServer(),
			[{ client: X, clock: 0, structs: [{ parent: 'ideas', key: 'm1', content }] }],
			'shape'
		);
	});

	test.each([
		[
			'an idea',
			`{"id":"m1","text":"Hi","authorId":"mallory","industry":"Web design","createdAt":1}`
		],
		['a nested object', `{"votes":[{"m1":1}]}`]
	])('%s with a "__proto__" key is shape: lib0 would make it the prototype', (_name, json) => {
		// JSON.parse keeps "__proto__" as an own key, which lib0's writeAny encodes.
		const withProto = json.replace(/}$/, ',"__proto__":{"editedAt":5,"m1":50}}');
		const update = (text: string) =>
			craftUpdate([
				{
					client: X,
					clock: 0,
					structs: [{ parent: 'ideas', key: 'm1', content: any(JSON.parse(text)) }]
				}
			]);
		expect(inspectOrRefusal(createServer(), update(withProto))).toBe('shape');
		expect(inspectOrRefusal(createServer(), update(json))).not.toBe('shape');
	});

	test('a vote record with an inherited count cannot lift the per-idea maximum', () => {
		const server = createServer();
		server.transact(() => {
			boardMaps(server).meta.set('phase', 'vote');
			boardMaps(server).ideas.set('m1', idea('m1', ALICE));
		}, SERVER_ORIGIN);
		const votes = (clock: number, record: string) =>
			craftUpdate([
				{
					client: X,
					clock,
					structs: [
						clock === 0
							? { parent: 'votes', key: 'mallory', content: any(JSON.parse(record)) }
							: { origin: id(X, clock - 1), content: any(JSON.parse(record)) }
					]
				}
			]);
		expect(submit(server, MALLORY, votes(0, '{"__proto__":{"m1":50}}'))).toBe('shape');
		expect(submit(server, MALLORY, votes(0, '{"m1":1}'))).toBe('ok');
		expect(submit(server, MALLORY, votes(1, '{"m1":5}'))).toBe('policy');
		expect(submit(server, MALLORY, votes(1, '{"m1":3}'))).toBe('ok');
	});

	test('other non-JSON values (bytes, big integers) are shape', () => {
		for (const value of [new Uint8Array([1]), 10n, { nested: new Uint8Array([1]) }]) {
			const update = craftUpdate([
				{ client: X, clock: 0, structs: [{ parent: 'ideas', key: 'm1', content: any(value) }] }
			]);
			expect(inspectOrRefusal(createServer(), update)).toBe('shape');
		}
	});

	test('an origin chain of 30,000 items, resolved from its far end, neither overflows nor crawls', () => {
		const length = 30_000;
		const chain: CraftSection = {
			client: X,
			clock: 0,
			structs: [
				{ parent: 'ideas', key: 'm1', content: new Y.ContentDeleted(1) },
				...Array.from({ length: length - 1 }, (_, i) => ({
					origin: id(X, i),
					content: new Y.ContentDeleted(1)
				}))
			]
		};
		// Z's section comes first, so the first item placed is the far end of the chain.
		const head: CraftSection = {
			client: Z,
			clock: 0,
			structs: [{ origin: id(X, length - 1), content: any(idea('m1')) }]
		};
		const update = craftUpdate([head, chain]);
		const started = performance.now();
		const summary = inspectUpdate(createServer(), update);
		// Generous: a quadratic walk would take minutes; a loaded CI machine, a few seconds.
		expect(performance.now() - started).toBeLessThan(5000);
		expect(summary.writes).toHaveLength(length + 1);
		expect(new Set(summary.writes.map((w) => `${w.root}/${w.key}`))).toEqual(new Set(['ideas/m1']));
		expect(judge(createServer(), MALLORY, update)).toBe('ok');
	});
});

describe('structured fuzzing', () => {
	test('random crafted updates against a lived-in document are refused or sound', () => {
		const server = createServer();
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		const first = addIdea(alice, authorOf(ALICE), 'One', 1);
		addIdea(alice, authorOf(ALICE), 'Two', 2);
		editIdea(alice, first, 'One, edited', 3);
		expect(submit(server, ALICE, syncStep2(alice, server))).toBe('ok');
		setMeta(fiona, 'title', 'Evening');
		deleteIdea(fiona, first);
		expect(submit(server, FIONA, syncStep2(fiona, server))).toBe('ok');

		const prng = new Prng(31337);
		const clients = [alice.clientID, fiona.clientID, server.clientID, X, Z];
		const stateOf = (client: number) => Y.getState(server.store, client);
		const anyId = () => {
			const client = prng.pick(clients)!;
			return id(client, prng.int(stateOf(client) + 4));
		};
		const content = () =>
			prng.pick([
				any('text'),
				any(idea('k')),
				new Y.ContentAny([1, 2]),
				new Y.ContentDeleted(1 + prng.int(2))
			])!;
		const struct = (): CraftStruct => {
			const roll = prng.next();
			if (roll < 0.1) return { gc: 1 + prng.int(2) };
			if (roll < 0.4) {
				const key = prng.pick(['k', 'title', first])!;
				return { parent: prng.pick(['ideas', 'meta', 'evil'])!, key, content: content() };
			}
			if (roll < 0.45) return { parent: prng.pick(['ideas', 'meta'])!, content: content() };
			if (roll < 0.5) return { parent: anyId(), key: 'k', content: content() };
			return {
				origin: prng.bool(0.8) ? anyId() : undefined,
				rightOrigin: prng.bool(0.3) ? anyId() : undefined,
				parent: 'ideas',
				key: 'k',
				content: content()
			};
		};
		const outcomes = new Map<string, number>();
		for (let n = 0; n < 1500; n++) {
			const sections = Array.from({ length: 1 + prng.int(3) }, () => {
				const client = prng.pick(clients)!;
				const clock = Math.max(0, stateOf(client) + prng.int(3) - 1);
				return { client, clock, structs: Array.from({ length: 1 + prng.int(4) }, struct) };
			});
			const deletes = Array.from({ length: prng.int(3) }, () => {
				const client = prng.pick(clients)!;
				return { client, clock: prng.int(stateOf(client) + 3), len: prng.int(3) };
			});
			const outcome = expectSound(server, craftUpdate(sections, deletes));
			outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
		}
		expect([...outcomes.keys()].sort()).toEqual(['accepted', 'gap', 'malformed', 'shape']);
	});
});

describe('client ids', () => {
	test('the summary names the client ids an update writes as, so the server can bind them', () => {
		// Yjs client ids are not credentials: Mallory can write as Alice's client.
		// A server that does not bind client ids to connections lets Mallory take
		// Alice's next clocks, and Alice's own update is then ignored as known.
		const { server, aliceClient } = serverWithAlicesIdea();
		const update = craftUpdate([
			{
				client: aliceClient,
				clock: 1,
				structs: [{ parent: 'ideas', key: 'm1', content: any(idea('m1')) }]
			}
		]);
		const summary = inspectUpdate(server, update);
		expect(summary.clients).toEqual(new Set([aliceClient]));
		expect(judge(server, MALLORY, update)).toBe('ok');
	});
});
