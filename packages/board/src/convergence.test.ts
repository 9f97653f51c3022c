import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { addIdea, CommandError, deleteIdea, editIdea, setMeta, type Author } from './commands.js';
import type { Actor } from './policy.js';
import { boardMaps, createBoardDoc } from './doc.js';
import {
	ALICE,
	BOB,
	FIONA,
	MALLORY,
	SERVER_ORIGIN,
	authorOf,
	capture,
	createServer,
	replicaOf
} from './test/fixtures.js';
import { compare, Mesh, Prng, snapshotOf, testSeeds, withSeed } from './test/harness.js';
import { Star } from './test/star.js';
import { listIdeas } from './views.js';
import { clearVotes, spent, vote, votesOf } from './voting.js';

/** Any command, on any idea: the mesh has no policy, only convergence. */
function anyCommand(prng: Prng, doc: Y.Doc, author: Author, now: number): void {
	const ideas = listIdeas(doc);
	const roll = prng.next();
	try {
		if (roll < 0.35 || ideas.length === 0) addIdea(doc, author, prng.text(), now);
		else if (roll < 0.6) editIdea(doc, prng.pick(ideas)!.id, prng.text(), now);
		else if (roll < 0.75) deleteIdea(doc, prng.pick(ideas)!.id);
		else if (roll < 0.85) setMeta(doc, 'title', prng.pick(['Maaliskuu', 'Huhtikuu', 'Toukokuu'])!);
		else if (roll < 0.9) {
			// Two changes in one transaction: one update, two keys.
			doc.transact(() => {
				addIdea(doc, author, prng.text(), now);
				deleteIdea(doc, prng.pick(ideas)!.id);
			});
		} else {
			// What the server writes when someone joins; names and times collide on purpose.
			const id = `p${prng.int(6)}`;
			const name = prng.pick(['Aino', 'Eero'])!;
			boardMaps(doc).participants.set(id, {
				id,
				name,
				industry: '',
				role: 'participant',
				joinedAt: prng.int(2)
			});
		}
	} catch (error) {
		// An edit of text equal after trimming is a no-op, not an error; nothing else may throw.
		if (!(error instanceof CommandError)) throw error;
	}
}

describe('a mesh of replicas', () => {
	test.each(testSeeds([1, 2, 3, 4, 5, 6]))(
		'random commands converge after messages are held, reordered, duplicated and dropped (seed %i)',
		(seed) =>
			withSeed(seed, (prng) => {
				const count = 4;
				// One replica keeps deleted content (gc: false); Yjs must converge across both.
				const mesh = new Mesh(prng, count, { gc: (i) => i !== count - 1 });
				const authors = Array.from({ length: count }, (_, i) => ({
					participantId: `author${i}`,
					industry: `Industry ${i % 2}`
				}));
				let now = 1000;
				for (let step = 0; step < 250; step++) {
					const i = prng.int(count);
					if (prng.bool(0.04)) mesh.disconnect(i);
					else if (prng.bool(0.08)) mesh.reconnect(i);
					anyCommand(prng, mesh.docs[i]!, authors[i]!, (now += prng.int(2)));
					for (let k = prng.int(3); k > 0; k--) mesh.deliverOne();
				}
				const before = new Set(mesh.docs.map((doc) => JSON.stringify(snapshotOf(doc))));
				expect(before.size, 'the run never let replicas diverge').toBeGreaterThan(1);
				mesh.flush();
				expect(mesh.pending).toBe(0);
				compare(mesh.docs);
			})
	);

	test('an edit that arrives before the idea it edits, twice, still converges', () => {
		const a = createBoardDoc();
		const b = createBoardDoc();
		const id = addIdea(a, authorOf(ALICE), 'first', 1);
		const created = Y.encodeStateAsUpdate(a);
		const edit = capture(a, () => editIdea(a, id, 'second', 2));
		Y.applyUpdate(b, edit);
		expect(b.store.pendingStructs).not.toBeNull();
		expect(listIdeas(b)).toEqual([]);
		Y.applyUpdate(b, edit);
		Y.applyUpdate(b, created);
		Y.applyUpdate(b, created);
		compare([a, b]);
		expect(listIdeas(b).map((idea) => idea.text)).toEqual(['second']);
	});
});

describe('the harness', () => {
	test('compare refuses replicas that differ, or that wait for missing updates', () => {
		const a = replicaOf(createServer());
		const b = replicaOf(a);
		compare([a, b]);
		const id = addIdea(a, authorOf(ALICE), 'only here', 5);
		expect(() => compare([a, b])).toThrow(/differs/);
		const c = replicaOf(b);
		Y.applyUpdate(
			c,
			capture(a, () => editIdea(a, id, 'edited', 6))
		);
		expect(() => compare([c])).toThrow(/pending/);
	});

	test('compare refuses replicas that look alike but hold different histories', () => {
		const a = replicaOf(createServer());
		const b = replicaOf(a);
		deleteIdea(a, addIdea(a, authorOf(ALICE), 'gone again', 5));
		expect(snapshotOf(a)).toEqual(snapshotOf(b));
		expect(() => compare([a, b])).toThrow(/state vector/);
	});

	test('the PRNG replays a seed exactly', () => {
		const draw = (prng: Prng) => Array.from({ length: 8 }, () => prng.next());
		expect(draw(new Prng(42))).toEqual(draw(new Prng(42)));
		expect(draw(new Prng(43))).not.toEqual(draw(new Prng(42)));
	});
});

/** What an honest client offers its user: own ideas; for the facilitator also the title and deletions. */
function allowedCommand(prng: Prng, doc: Y.Doc, actor: Actor, now: number): void {
	const own = listIdeas(doc).filter((idea) => idea.authorId === actor.participantId);
	const roll = prng.next();
	if (actor.role === 'facilitator' && roll < 0.15) {
		setMeta(doc, 'title', prng.pick(['Maaliskuu', 'Huhtikuu', 'Toukokuu'])!);
	} else if (actor.role === 'facilitator' && roll < 0.3) {
		const idea = prng.pick(listIdeas(doc));
		if (idea) deleteIdea(doc, idea.id);
	} else if (roll < 0.6 || own.length === 0) {
		addIdea(doc, authorOf(actor), prng.text(), now);
	} else if (roll < 0.85) {
		editIdea(doc, prng.pick(own)!.id, prng.text(), now);
	} else {
		deleteIdea(doc, prng.pick(own)!.id);
	}
}

/** Changes a participant may not make, written straight into the maps as a hand-crafted client would. */
function forbiddenCommand(prng: Prng, doc: Y.Doc, actor: Actor, now: number): void {
	const { ideas, meta, participants } = boardMaps(doc);
	const others = listIdeas(doc).filter((idea) => idea.authorId !== actor.participantId);
	const victim = prng.pick(others);
	const roll = prng.next();
	if (victim && roll < 0.3) ideas.set(victim.id, { ...victim, text: 'Mallory was here' });
	else if (victim && roll < 0.5) ideas.delete(victim.id);
	else if (roll < 0.65) meta.set('title', 'Mallory’s board');
	else if (roll < 0.8) {
		participants.set(actor.participantId, {
			...participants.get(actor.participantId)!,
			role: 'facilitator'
		});
	} else
		addIdea(doc, { participantId: ALICE.participantId, industry: ALICE.industry }, 'not mine', now);
}

describe('a star through a gatekeeping server', () => {
	test.each(testSeeds([11, 12, 13, 14, 15, 16]))(
		'replicas that send only allowed commands converge with the server; a cheat is shut out (seed %i)',
		(seed) =>
			withSeed(seed, (prng) => {
				const server = createServer({ clientID: 99 });
				const star = new Star(prng, server, [
					{ actor: FIONA },
					{ actor: ALICE, gc: false },
					{ actor: BOB },
					{ actor: BOB },
					{ actor: MALLORY }
				]);
				const cheat = star.clients.at(-1)!;
				let now = 2000;
				for (let step = 0; step < 300; step++) {
					const client = prng.pick(star.clients)!;
					if (client.banned) continue;
					if (prng.bool(0.05)) star.disconnect(client.index);
					else if (prng.bool(0.1)) star.connect(client.index);
					now += prng.int(3);
					if (client === cheat && prng.bool(0.1))
						forbiddenCommand(prng, client.doc, client.actor, now);
					else allowedCommand(prng, client.doc, client.actor, now);
					if (prng.bool(0.02)) {
						// The server itself writes too, e.g. when someone joins.
						server.transact(
							() => server.getMap('meta').set('title', `Ilta ${step}`),
							SERVER_ORIGIN
						);
					}
					for (let k = prng.int(4); k > 0; k--) star.deliverOne();
				}
				if (!cheat.banned) forbiddenCommand(prng, cheat.doc, cheat.actor, now);
				star.flush();

				expect(star.refusals.filter((refusal) => refusal.client !== cheat.index)).toEqual([]);
				expect(star.refusals.map((refusal) => refusal.client)).toEqual([cheat.index]);
				expect(star.accepted).toBeGreaterThan(50);
				const honest = star.clients.filter((client) => client !== cheat);
				compare([server, ...honest.map((client) => client.doc)]);
				const texts = listIdeas(server).map((idea) => idea.text);
				expect(texts).not.toContain('Mallory was here');
				expect(texts).not.toContain('not mine');
			})
	);
});

describe('a star while voting', () => {
	test.each(testSeeds([21, 22, 23]))(
		'dots from several devices per person converge, and no honest dot is refused (seed %i)',
		(seed) =>
			withSeed(seed, (prng) => {
				const server = createServer({ clientID: 98 });
				const ideaIds = ['idea1', 'idea2', 'idea3', 'idea4'];
				server.transact(() => {
					const { ideas, meta } = boardMaps(server);
					for (const [i, id] of ideaIds.entries()) {
						ideas.set(id, { id, text: id, authorId: 'fiona', industry: 'Coaching', createdAt: i });
					}
					meta.set('phase', 'vote');
				}, SERVER_ORIGIN);
				const voters = [ALICE, ALICE, BOB, BOB, FIONA];
				const star = new Star(
					prng,
					server,
					voters.map((actor, i) => ({ actor, gc: i !== 1 }))
				);
				for (let step = 0; step < 300; step++) {
					const client = prng.pick(star.clients)!;
					if (prng.bool(0.05)) star.disconnect(client.index);
					else if (prng.bool(0.1)) star.connect(client.index);
					const me = client.actor.participantId;
					try {
						if (prng.bool(0.05)) clearVotes(client.doc, me);
						else vote(client.doc, me, prng.pick(ideaIds)!, prng.bool(0.7) ? 1 : -1);
					} catch (error) {
						// Out of dots, or no dot to take back: the UI would not offer it.
						if (!(error instanceof CommandError)) throw error;
					}
					for (let k = prng.int(4); k > 0; k--) star.deliverOne();
				}
				star.flush();
				expect(star.refusals).toEqual([]);
				compare([server, ...star.clients.map((client) => client.doc)]);
				for (const voter of ['alice', 'bob', 'fiona']) {
					expect(spent(votesOf(server, voter))).toBeLessThanOrEqual(5);
				}
				expect(spent(votesOf(server, 'alice')) + spent(votesOf(server, 'bob'))).toBeGreaterThan(0);
			})
	);
});
