import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createCluster } from './clustering.js';
import { addIdea } from './commands.js';
import { boardMaps, createBoardDoc } from './doc.js';
import { createAction, offerHelp, updateAction } from './planning.js';
import { ANONYMOUS_AUTHOR, SCHEMA_VERSION } from './schema.js';
import { closedAt, searchText, summarize } from './summary.js';
import {
	ALICE,
	BOB,
	FIONA,
	MALLORY,
	SERVER_ORIGIN,
	authorOf,
	capture,
	createServer,
	judge,
	replicaOf
} from './test/fixtures.js';
import {
	EXPORT_FORMAT,
	exportSession,
	parseSessionExport,
	writeSessionExport,
	type SessionExport
} from './transfer.js';
import { vote } from './voting.js';

/** An evening: 4 ideas from 3 industries, a cluster, votes, two actions and an offer. */
function evening() {
	const doc = createServer();
	const t = 1_700_000_100_000;
	const van = addIdea(doc, authorOf(ALICE), 'Shared delivery van', t);
	const safari = addIdea(doc, authorOf(BOB), 'Breakfast for safari groups', t + 1);
	const clinic = addIdea(doc, authorOf(FIONA), 'Cash-flow clinic', t + 2);
	const quiet = addIdea(doc, authorOf(BOB), 'Quiet weeks package', t + 3);
	const cluster = createCluster(doc, FIONA.participantId, [van, safari], 'Logistics', t + 4);
	for (const [who, idea, n] of [
		[ALICE, safari, 2],
		[BOB, van, 1],
		[FIONA, safari, 1],
		[MALLORY, clinic, 3],
		[ALICE, quiet, 1]
	] as const) {
		for (let i = 0; i < n; i++) vote(doc, who.participantId, idea, 1);
	}
	const action = createAction(
		doc,
		FIONA.participantId,
		{
			text: 'Ask the hotel about breakfasts',
			source: { kind: 'idea', id: safari },
			ownerIds: ['bob']
		},
		t + 5
	);
	offerHelp(doc, action, 'alice', true, t + 6);
	const done = createAction(
		doc,
		FIONA.participantId,
		{ text: 'Book the clinic room', source: { kind: 'idea', id: clinic }, ownerIds: ['fiona'] },
		t + 7
	);
	updateAction(doc, done, { status: 'done' });
	return { doc, van, safari, clinic, quiet, cluster, action };
}

describe('summarize', () => {
	test('top ideas, clusters, actions with names, industry mix and what is left unfinished', () => {
		const { doc, safari, van, clinic, quiet, cluster, action } = evening();
		const s = summarize(doc);
		expect(s).toMatchObject({
			title: 'Core group, March',
			closedAt: null,
			ideaCount: 4,
			participantCount: 4,
			voteCount: 8
		});
		expect(s.topIdeas.map((i) => [i.id, i.votes])).toEqual([
			[safari, 3],
			[clinic, 3],
			[van, 1],
			[quiet, 1]
		]);
		expect(s.topIdeas[0]).toMatchObject({
			clusterId: cluster,
			clusterTitle: 'Logistics',
			authorName: 'Bob',
			industry: 'Reindeer safaris'
		});
		expect(s.clusters).toEqual([
			expect.objectContaining({ id: cluster, title: 'Logistics', votes: 4, ideaCount: 2 })
		]);
		expect(s.actions[0]).toMatchObject({
			id: action,
			owners: ['Bob'],
			helpers: ['Alice'],
			status: 'open',
			source: { kind: 'idea', id: safari, text: 'Breakfast for safari groups' }
		});
		expect(s.actions[1]!.status).toBe('done');
		// Safari and clinic became actions; the rest is next month's material.
		expect(s.unfinished.map((i) => i.id)).toEqual([van, quiet]);
		expect(s.industries[0]).toEqual({ industry: 'Reindeer safaris', participants: 1, ideas: 2 });
		expect(s.industries).toHaveLength(4);
		expect(s.crossIndustry.every((i) => i.industries.length >= 2)).toBe(true);
	});

	test('a closed session reports when it closed; anonymous authors have no name', () => {
		const { doc, van } = evening();
		doc.transact(() => {
			const { meta, ideas } = boardMaps(doc);
			meta.set('closed', 1_700_000_900_000);
			ideas.set(van, { ...ideas.get(van)!, authorId: ANONYMOUS_AUTHOR, industry: '' });
		}, SERVER_ORIGIN);
		expect(closedAt(doc)).toBe(1_700_000_900_000);
		const s = summarize(doc);
		expect(s.closedAt).toBe(1_700_000_900_000);
		expect(s.topIdeas.find((i) => i.id === van)).toMatchObject({ authorName: '', industry: '' });
	});

	test('only the server writes `closed`: the facilitator can neither close nor reopen', () => {
		const server = createServer();
		const replica = replicaOf(server);
		const close = capture(replica, () => boardMaps(replica).meta.set('closed', 1));
		expect(judge(server, FIONA, close)).toBe('policy');
		server.transact(() => boardMaps(server).meta.set('closed', 1), SERVER_ORIGIN);
		const reopened = replicaOf(server);
		const reopen = capture(reopened, () => boardMaps(reopened).meta.delete('closed'));
		expect(judge(server, FIONA, reopen)).toBe('policy');
	});

	test('search text holds the title, ideas, clusters and actions in lower case', () => {
		const text = searchText(evening().doc);
		expect(text).toContain('core group, march');
		expect(text).toContain('shared delivery van');
		expect(text).toContain('logistics');
		expect(text).toContain('ask the hotel');
	});
});

describe('session export', () => {
	test('round trip: an export written into a fresh document reads the same', () => {
		const { doc } = evening();
		const exported = exportSession(doc, { id: 'sess1', group: { id: 'g1', name: 'Ydin' } }, 42);
		expect(exported).toMatchObject({
			format: EXPORT_FORMAT,
			version: 1,
			exportedAt: 42,
			session: {
				id: 'sess1',
				title: 'Core group, March',
				closedAt: null,
				schemaVersion: SCHEMA_VERSION
			},
			group: { id: 'g1', name: 'Ydin' }
		});
		// Through JSON, as a file would travel.
		const parsed = parseSessionExport(JSON.parse(JSON.stringify(exported)));
		expect(parsed.ok).toBe(true);
		const copy = createBoardDoc();
		writeSessionExport(copy, (parsed as { data: SessionExport }).data, { mode: 'view' });
		expect(summarize(copy)).toEqual(summarize(doc));
		expect(boardMaps(copy).votes.toJSON()).toEqual(boardMaps(doc).votes.toJSON());
		expect(exportSession(copy, { id: 'sess1', group: { id: 'g1', name: 'Ydin' } }, 42)).toEqual(
			exported
		);
	});

	test('import mode: people become plain participants, nothing closed, settings kept', () => {
		const { doc } = evening();
		doc.transact(() => {
			boardMaps(doc).meta.set('closed', 5);
			boardMaps(doc).meta.set('voteBudget', 9);
		}, SERVER_ORIGIN);
		const data = exportSession(doc, { id: 'x' });
		const fresh = createBoardDoc();
		boardMaps(fresh).participants.set('newfac', {
			id: 'newfac',
			name: 'New',
			industry: '',
			role: 'facilitator',
			joinedAt: 1
		});
		writeSessionExport(fresh, data, { mode: 'import' });
		const { meta, participants, ideas } = boardMaps(fresh);
		expect(meta.get('closed')).toBeUndefined();
		expect(meta.get('voteBudget')).toBe(9);
		expect([...participants.values()].filter((p) => p.role === 'facilitator')).toHaveLength(1);
		expect(participants.get('fiona')!.role).toBe('participant');
		expect(ideas.size).toBe(4);
	});

	test.each([
		[{}, 'format'],
		[{ format: EXPORT_FORMAT, version: 2 }, 'version'],
		['not an object', ''],
		['ideas.0', 'ideas.0'],
		['dup', 'ideas'],
		['placement', 'placements.bad key'],
		['setting', 'settings.voteBudget']
	])('invalid exports are refused with a path: %j', (variant, path) => {
		const base = JSON.parse(JSON.stringify(exportSession(evening().doc, { id: 'x' })));
		let value: unknown = variant;
		if (variant === 'ideas.0') value = { ...base, ideas: [{ ...base.ideas[0], text: '' }] };
		else if (variant === 'dup') value = { ...base, ideas: [base.ideas[0], base.ideas[0]] };
		else if (variant === 'placement')
			value = { ...base, placements: { 'bad key': { clusterId: 'c', order: 'a0' } } };
		else if (variant === 'setting') value = { ...base, settings: { voteBudget: -1 } };
		const parsed = parseSessionExport(value);
		expect(parsed.ok).toBe(false);
		expect((parsed as { path: string }).path).toBe(path);
	});

	test('more ideas than allowed are refused', () => {
		const data = exportSession(evening().doc, { id: 'x' });
		expect(parseSessionExport(data, 3)).toMatchObject({ ok: false, path: 'ideas' });
	});

	test('dangling placements and offers are dropped on write', () => {
		const data = exportSession(evening().doc, { id: 'x' });
		data.placements.ghost = { clusterId: 'nope', order: 'a0' };
		data.offers.push({ actionId: 'gone', participantId: 'bob', at: 1 });
		const copy = createBoardDoc();
		writeSessionExport(copy, data, { mode: 'view' });
		expect(boardMaps(copy).placements.has('ghost')).toBe(false);
		expect(boardMaps(copy).offers.size).toBe(1);
		expect(Y.encodeStateAsUpdate(copy).byteLength).toBeGreaterThan(0);
	});
});
