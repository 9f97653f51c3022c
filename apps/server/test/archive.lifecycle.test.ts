/**
 * The archive over time: next month starts from the last one's actions, a
 * member who leaves decides what happens to their ideas, a group is deleted
 * — over real HTTP, sockets and SQLite. Closing and exports: archive.test.ts.
 */
import { CLOSE, addIdea, boardMaps, createBoardDoc, listIdeas } from '@kipina/board';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { Device, createGroup, openLink, startGroupSession } from './groups.helpers.js';
import { connect, isSaved, synced, testConfig, waitFor } from './helpers.js';
import { startServer } from '../src/server.js';
import { createLogger } from '../src/logger.js';
import {
	close,
	db,
	evening,
	limits,
	logFileBytes,
	readStored,
	server,
	useArchiveServer
} from './archive.fixture.js';

useArchiveServer();

describe('next month starts from where the last one ended', () => {
	test('the review shows open actions and unfinished ideas; carrying them maps people to tonight', async () => {
		const e = await evening();
		await close(e);
		const review = await e.ville.call(server.url, 'GET', `/api/groups/${e.g.groupId}/review`);
		expect(review.json.from).toMatchObject({ id: e.sessionId, title: 'Marraskuun ilta' });
		expect(review.json.actions.map((a: { id: string }) => a.id)).toEqual([e.actionId]);
		// The van became an action; the rest is unfinished, best first.
		expect(review.json.ideas[0].id).toBe(e.ideas.quote);
		expect(review.json.ideas.map((i: { id: string }) => i.id)).not.toContain(e.ideas.van);

		const { sessionId } = await startGroupSession(server.url, e.g, 'Joulukuun ilta', {
			carry: { from: e.sessionId, ideas: [e.ideas.quote, e.ideas.formula], actions: [e.actionId] }
		});
		const tonight = await readStored(sessionId);
		const m = boardMaps(tonight);
		const villeTonight = await e.ville.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
		const villeId = villeTonight.json.participant.id;
		expect(villeId).not.toBe(e.villeId);
		expect(m.ideas.get(e.ideas.formula)).toMatchObject({ authorId: villeId, industry: 'leipomo' });
		const facTonight = await e.g.facilitator.call(
			server.url,
			'GET',
			`/api/sessions/${sessionId}/me`
		);
		expect(m.ideas.get(e.ideas.quote)!.authorId).toBe(facTonight.json.participant.id);
		expect(m.actions.get(e.actionId)).toMatchObject({
			ownerIds: [villeId],
			status: 'open',
			source: null
		});
		expect(m.ideas.has(e.ideas.van)).toBe(false);

		// Open actions across sessions: the carried one appears once, in tonight's version.
		const actions = await e.ville.call(server.url, 'GET', `/api/groups/${e.g.groupId}/actions`);
		expect(actions.json.actions).toHaveLength(1);
		expect(actions.json.actions[0]).toMatchObject({
			id: e.actionId,
			owners: ['Ville'],
			session: { id: sessionId, live: true }
		});

		const foreign = await startGroupSession(server.url, await createGroup(server.url));
		const bad = await e.g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${e.g.groupId}/sessions`,
			{
				title: 'x',
				carry: { from: foreign.sessionId, ideas: [], actions: [] }
			}
		);
		expect([400, 409]).toContain(bad.status);
	});
});

describe('a member who leaves chooses what happens to their ideas', () => {
	const storedBytes = (sessionId: string) =>
		Buffer.concat([
			...(
				db(server)
					.prepare(
						`SELECT data FROM doc_updates WHERE doc_id LIKE @id || '%'
						 UNION ALL SELECT data FROM doc_snapshots WHERE doc_id LIKE @id || '%'`
					)
					.all({ id: sessionId }) as { data: Buffer }[]
			).map((r) => r.data),
			logFileBytes(server, sessionId)
		]);

	test('delete: their ideas leave the archive and storage; the summary is recomputed', async () => {
		const e = await evening();
		await close(e);
		expect(storedBytes(e.sessionId).includes('säästöä kaikille')).toBe(true);
		const left = await e.ville.call(server.url, 'POST', `/api/groups/${e.g.groupId}/leave`, {
			ideas: 'delete'
		});
		expect(left.json).toEqual({ left: true, sessions: 1 });
		const doc = await readStored(e.sessionId);
		expect(
			listIdeas(doc)
				.map((i) => i.id)
				.sort()
		).toEqual([e.ideas.quote, e.ideas.link].sort());
		expect(boardMaps(doc).participants.has(e.villeId)).toBe(false);
		expect(boardMaps(doc).actions.get(e.actionId)!.ownerIds).toEqual([]);
		expect(storedBytes(e.sessionId).includes('säästöä kaikille')).toBe(false);
		expect(storedBytes(e.sessionId).includes('Ville')).toBe(false);
		expect(
			db(server).prepare('SELECT 1 FROM participants WHERE id = ?').get(e.villeId)
		).toBeUndefined();

		const summary = await e.g.facilitator.call(
			server.url,
			'GET',
			`/api/sessions/${e.sessionId}/summary`
		);
		expect(summary.json.summary.ideaCount).toBe(2);
		expect(summary.json.summary.participants.map((p: { name: string }) => p.name)).toEqual([
			'Aino'
		]);
		const search = await e.g.facilitator.call(
			server.url,
			'GET',
			`/api/groups/${e.g.groupId}/archive?q=${encodeURIComponent('säästöä')}`
		);
		expect(search.json.sessions).toEqual([]);
	});

	test('anonymise: their ideas stay, without author or industry', async () => {
		const e = await evening();
		await close(e);
		await e.ville.call(server.url, 'POST', `/api/groups/${e.g.groupId}/leave`, {
			ideas: 'anonymise'
		});
		const doc = await readStored(e.sessionId);
		expect(boardMaps(doc).ideas.get(e.ideas.van)).toMatchObject({
			text: 'Yhteinen jakeluauto – säästöä kaikille',
			authorId: '_anonymous',
			industry: ''
		});
		expect(storedBytes(e.sessionId).includes('Ville')).toBe(false);
		const csv = await (
			await fetch(`${server.url}/api/sessions/${e.sessionId}/export/csv?lang=en`, {
				headers: e.g.facilitator.header
			})
		).text();
		expect(csv).toContain(
			'"Yhteinen jakeluauto – säästöä kaikille";"Logistiikka";2;1;"Anonymous";""'
		);
	});

	test('archive edits a crash interrupted are finished at the next start', async () => {
		const config = testConfig({ rateLimits: limits });
		let s = await startServer(config, createLogger('silent'));
		const base = s.url;
		const g = await createGroup(base);
		const ville = new Device();
		const v = await openLink(base, g.groupId, g.links.invite, ville);
		const res = await g.facilitator.call(base, 'POST', `/api/groups/${g.groupId}/sessions`, {
			title: 'Ilta'
		});
		const sessionId = res.json.id as string;
		const me = await ville.call(base, 'GET', `/api/sessions/${sessionId}/me`);
		const c = connect(s.port, { sessionId, token: v.token });
		await synced(c);
		addIdea(c.doc, { participantId: me.json.participant.id, industry: 'leipomo' }, 'Keskeneräinen');
		await waitFor(() => isSaved(c), 'saved');
		c.destroy();
		// As if the process died right after the member was removed.
		const jobs = await s.groupStorage.removeMember(v.memberId, 'delete');
		expect(jobs).toHaveLength(1);
		await s.close();
		s = await startServer(config, createLogger('silent'));
		const stored = await s.storage.loadDocument(sessionId);
		const doc = createBoardDoc();
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u);
		expect(listIdeas(doc)).toEqual([]);
		expect(await s.groupStorage.pendingForgets()).toEqual([]);
		await s.close();
	});
});

describe('deleting a group', () => {
	test('removes its sessions, documents, members and links; open sockets close with 4404', async () => {
		const e = await evening();
		const other = await evening();
		const res = await e.g.facilitator.call(server.url, 'DELETE', `/api/groups/${e.g.groupId}`, {});
		expect(res.status).toBe(200);
		await waitFor(() => e.fac.closes.length > 0, 'closed');
		expect(e.fac.closes[0]!.code).toBe(CLOSE.unknownSession);
		for (const table of ['sessions', 'participants', 'docs']) {
			const column = table === 'sessions' ? 'id' : 'session_id';
			const row = db(server)
				.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`)
				.get(e.sessionId);
			expect((row as { n: number }).n, table).toBe(0);
		}
		const updates = db(server)
			.prepare(`SELECT count(*) AS n FROM doc_updates WHERE doc_id LIKE ? || '%'`)
			.get(e.sessionId) as { n: number };
		expect(updates.n).toBe(0);
		expect(logFileBytes(server, e.sessionId).length).toBe(0);
		expect(
			db(server)
				.prepare('SELECT count(*) AS n FROM group_members WHERE group_id = ?')
				.get(e.g.groupId)
		).toEqual({ n: 0 });
		expect(
			(await e.g.facilitator.call(server.url, 'GET', `/api/groups/${e.g.groupId}`)).status
		).toBe(404);
		expect((await e.ville.call(server.url, 'GET', `/api/sessions/${e.sessionId}`)).status).toBe(
			404
		);
		// Another group is untouched.
		expect(listIdeas(await readStored(other.sessionId))).toHaveLength(4);
		expect(
			(await other.ville.call(server.url, 'GET', `/api/groups/${other.g.groupId}`)).status
		).toBe(200);
	});
});
