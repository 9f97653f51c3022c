/**
 * Closing, the archive and exports, carry-over to next month, and what a
 * member's leaving does to the archive — over real HTTP, sockets and SQLite.
 */
import {
	CLOSE,
	addIdea,
	boardMaps,
	createAction,
	createBoardDoc,
	createCluster,
	listIdeas,
	vote,
	type SessionSummary
} from '@kipina/board';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RATE_LIMITS } from '../src/limits.js';
import type { SqliteStorage } from '../src/storage/SqliteStorage.js';
import type { KipinaServer } from '../src/server.js';
import {
	Device,
	admitGuest,
	createGroup,
	openLink,
	secretOf,
	startGroupSession,
	type TestGroup
} from './groups.helpers.js';
import {
	api,
	connect,
	createSession,
	isSaved,
	startTestServer,
	synced,
	testConfig,
	waitFor,
	type Client
} from './helpers.js';
import { startServer } from '../src/server.js';
import { createLogger } from '../src/logger.js';

let server: KipinaServer;
const clients: Client[] = [];
const open = (sessionId: string, token: string, room = sessionId) => {
	const c = connect(server.port, { sessionId, token }, createBoardDoc(), room);
	clients.push(c);
	return c;
};
const db = (s: KipinaServer) => (s.storage as unknown as { db: Database.Database }).db;
const logs = (s: KipinaServer) => (s.storage as SqliteStorage).logs;
/** Bytes of the update logs of a session's documents (board and desks). */
const logFileBytes = (s: KipinaServer, sessionId: string) =>
	Buffer.concat(
		logs(s)
			.documents()
			.filter((id) => id === sessionId || id.startsWith(`${sessionId}/`))
			.map((id) => fs.readFileSync(logs(s).fileOf(id)))
	);
const limits = { ...RATE_LIMITS, httpWrites: { capacity: 10_000, perSecond: 1000 } };

beforeAll(async () => {
	server = await startTestServer({ rateLimits: limits });
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

interface Evening {
	g: TestGroup;
	sessionId: string;
	guestLink: string;
	ville: Device;
	villeToken: string;
	villeId: string;
	fac: Client;
	ideas: Record<'van' | 'formula' | 'quote' | 'link', string>;
	actionId: string;
}

/**
 * A group evening: the facilitator and Ville (a member) post ideas, cluster,
 * vote and plan an action. Nasty texts included, for the exports.
 */
async function evening(): Promise<Evening> {
	const g = await createGroup(server.url);
	const ville = new Device();
	const v = await openLink(server.url, g.groupId, g.links.invite, ville);
	const { sessionId, guestLink } = await startGroupSession(server.url, g);
	const villeMe = await ville.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
	const facMe = await g.facilitator.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
	const villeId = villeMe.json.participant.id as string;
	const facId = facMe.json.participant.id as string;

	const vc = open(sessionId, v.token);
	const fac = open(sessionId, g.facilitatorToken);
	await Promise.all([synced(vc), synced(fac)]);
	const villeAuthor = { participantId: villeId, industry: 'leipomo' };
	const facAuthor = { participantId: facId, industry: 'matkailu' };
	const van = addIdea(vc.doc, villeAuthor, 'Yhteinen jakeluauto – säästöä kaikille');
	const formula = addIdea(vc.doc, villeAuthor, '=HYPERLINK("http://evil.example","klikkaa")');
	const quote = addIdea(fac.doc, facAuthor, 'Asiakkaat sanovat "wau"; myös äiti');
	const link = addIdea(
		fac.doc,
		facAuthor,
		'[klikkaa](http://evil.example) <b>lihava</b> # otsikko'
	);
	await waitFor(() => listIdeas(fac.doc).length === 4, 'ideas everywhere');
	createCluster(fac.doc, facId, [van, quote], 'Logistiikka');
	for (const idea of [van, van, quote]) vote(fac.doc, facId, idea, 1);
	const actionId = createAction(fac.doc, facId, {
		text: 'Kysy hintaa jakeluautosta',
		source: { kind: 'idea', id: van },
		ownerIds: [villeId]
	});
	await waitFor(() => isSaved(fac) && isSaved(vc), 'saved');
	return {
		g,
		sessionId,
		guestLink,
		ville,
		villeToken: v.token,
		villeId,
		fac,
		ideas: { van, formula, quote, link },
		actionId
	};
}

async function close(e: Evening) {
	const res = await e.g.facilitator.call(
		server.url,
		'POST',
		`/api/sessions/${e.sessionId}/close`,
		{}
	);
	expect(res.status, JSON.stringify(res.json)).toBe(200);
	return res.json as { closedAt: number; summary: SessionSummary };
}

describe('closing a session', () => {
	test('everyone is disconnected with 4410; the summary is stored; the log becomes one snapshot', async () => {
		const e = await evening();
		const guest = await admitGuest(server.url, e.sessionId, secretOf(e.guestLink));
		const g = open(e.sessionId, guest.token);
		await synced(g);
		const { summary, closedAt } = await close(e);
		await waitFor(() => e.fac.closes.length > 0 && g.closes.length > 0, 'closed');
		expect(e.fac.closes[0]!.code).toBe(CLOSE.sessionClosed);
		expect(g.closes[0]!.code).toBe(CLOSE.sessionClosed);
		expect(summary).toMatchObject({ closedAt, ideaCount: 4, participantCount: 3, voteCount: 3 });
		expect(summary.topIdeas[0]!.id).toBe(e.ideas.van);
		expect(summary.actions[0]).toMatchObject({ owners: ['Ville'], status: 'open' });
		expect(summary.industries.map((i) => i.industry).sort()).toEqual([
			'kirjanpito',
			'leipomo',
			'matkailu'
		]);

		const rows = db(server)
			.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_id = ?')
			.get(e.sessionId) as { n: number };
		expect(rows.n).toBe(0);
		expect(logFileBytes(server, e.sessionId).length).toBe(0);
		expect(
			db(server).prepare('SELECT 1 FROM doc_snapshots WHERE doc_id = ?').get(e.sessionId)
		).toBeTruthy();

		const again = await e.g.facilitator.call(
			server.url,
			'POST',
			`/api/sessions/${e.sessionId}/close`,
			{}
		);
		expect(again.status).toBe(409);
		// The guest's evening is over; members still see it.
		expect(
			(await guest.device.call(server.url, 'GET', `/api/sessions/${e.sessionId}`)).status
		).toBe(410);
		const facts = await e.ville.call(server.url, 'GET', `/api/sessions/${e.sessionId}`);
		expect(facts.json.closedAt).toBe(closedAt);
		const stored = await e.ville.call(server.url, 'GET', `/api/sessions/${e.sessionId}/summary`);
		expect(stored.json.summary).toEqual(summary);
	});

	test('a closed session is read-only for every writer, also a stock provider and a private desk', async () => {
		const e = await evening();
		await close(e);
		const before = Y.encodeStateVector(await readStored(e.sessionId));

		// A member may still open it and read everything…
		const reader = open(e.sessionId, e.villeToken);
		await synced(reader);
		expect(listIdeas(reader.doc)).toHaveLength(4);
		expect(boardMaps(reader.doc).meta.get('closed')).toEqual(expect.any(Number));
		// …but any change closes the socket with 4410 and nothing is stored.
		addIdea(reader.doc, { participantId: e.villeId, industry: 'leipomo' }, 'Myöhästynyt idea');
		await waitFor(() => reader.closes.length > 0, 'refusal');
		expect(reader.closes[0]!.code).toBe(CLOSE.sessionClosed);

		const desk = open(e.sessionId, e.villeToken, `${e.sessionId}/desk/${e.villeId}`);
		await synced(desk);
		boardMaps(desk.doc).ideas.set('privateidea', {
			id: 'privateidea',
			text: 'Salainen',
			authorId: e.villeId,
			industry: 'leipomo',
			createdAt: Date.now()
		});
		await waitFor(() => desk.closes.length > 0, 'desk refusal');
		expect(desk.closes[0]!.code).toBe(CLOSE.sessionClosed);

		const after = await readStored(e.sessionId);
		expect(Y.encodeStateVector(after)).toEqual(before);
		expect(listIdeas(after).map((i) => i.text)).not.toContain('Myöhästynyt idea');

		// Controls over HTTP are refused too.
		for (const route of ['reveal', 'proxies', 'guest-link']) {
			const res = await e.g.facilitator.call(
				server.url,
				'POST',
				`/api/sessions/${e.sessionId}/${route}`,
				{
					name: 'X'
				}
			);
			expect(res.status, route).toBe(410);
		}
	});

	test('the archive lists closed sessions newest first, with counts and top ideas, searchable', async () => {
		const e = await evening();
		await close(e);
		const { sessionId: second } = await startGroupSession(server.url, e.g, 'Joulukuun ilta');
		await e.g.facilitator.call(server.url, 'POST', `/api/sessions/${second}/close`, {});
		const all = await e.ville.call(server.url, 'GET', `/api/groups/${e.g.groupId}/archive`);
		expect(all.json.sessions.map((s: { title: string }) => s.title)).toEqual([
			'Joulukuun ilta',
			'Marraskuun ilta'
		]);
		expect(all.json.sessions[1]).toMatchObject({
			id: e.sessionId,
			ideaCount: 4,
			participantCount: 2,
			actionCount: 1,
			topIdeas: [
				{ text: 'Yhteinen jakeluauto – säästöä kaikille', votes: 2 },
				expect.anything(),
				expect.anything()
			]
		});
		const found = await e.ville.call(
			server.url,
			'GET',
			`/api/groups/${e.g.groupId}/archive?q=${encodeURIComponent('JAKELUAUTO')}`
		);
		expect(found.json.sessions.map((s: { id: string }) => s.id)).toEqual([e.sessionId]);
		const none = await e.ville.call(
			server.url,
			'GET',
			`/api/groups/${e.g.groupId}/archive?q=porotila`
		);
		expect(none.json.sessions).toEqual([]);
	});

	test('an ad-hoc evening can be closed and exported by its participants, as before otherwise', async () => {
		const fac = await createSession(server.url, 'Vapaa ilta');
		const auth = { authorization: `Bearer ${fac.token}` };
		const closed = await api(server.url, 'POST', `/api/sessions/${fac.sessionId}/close`, {}, auth);
		expect(closed.status).toBe(200);
		const csv = await fetch(`${server.url}/api/sessions/${fac.sessionId}/export/csv`, {
			headers: auth
		});
		expect(csv.status).toBe(200);
		expect(await csv.text()).toContain('"Sija";"Idea"');
		expect((await api(server.url, 'GET', `/api/sessions/${fac.sessionId}/export/csv`)).status).toBe(
			401
		);
		const join = await api(server.url, 'POST', `/api/sessions/${fac.sessionId}/participants`, {
			name: 'Myöhässä'
		});
		expect(join.status).toBe(410);
	});
});

async function readStored(sessionId: string): Promise<Y.Doc> {
	const stored = await server.storage.loadDocument(sessionId);
	const doc = createBoardDoc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const u of stored.updates) Y.applyUpdate(doc, u);
	return doc;
}

/** Splits CSV text (quoted fields, `;`, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ';') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	return rows;
}

describe('exports', () => {
	test('CSV: UTF-8 with BOM, `;`, one row per idea with cluster, votes, author, industry; formula-safe', async () => {
		const e = await evening();
		const res = await fetch(`${server.url}/api/sessions/${e.sessionId}/export/csv`, {
			headers: e.ville.header
		});
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''Marraskuun-ilta-");
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes.slice(3));
		expect(text.endsWith('\r\n')).toBe(true);
		const rows = parseCsv(text);
		expect(rows[0]).toEqual([
			'Sija',
			'Idea',
			'Teema',
			'Äänet',
			'Äänestäjät',
			'Kirjoittaja',
			'Toimiala',
			'Kirjoitettu'
		]);
		expect(rows).toHaveLength(5);
		const byText = new Map(rows.slice(1).map((r) => [r[1], r]));
		expect(byText.get('Yhteinen jakeluauto – säästöä kaikille')).toEqual([
			'1',
			'Yhteinen jakeluauto – säästöä kaikille',
			'Logistiikka',
			'2',
			'1',
			'Ville',
			'leipomo',
			expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/)
		]);
		expect(byText.get('Asiakkaat sanovat "wau"; myös äiti')![2]).toBe('Logistiikka');
		// The formula is text: a leading apostrophe, so Excel shows it instead of running it.
		expect(byText.has(`'=HYPERLINK("http://evil.example","klikkaa")`)).toBe(true);
		expect(text).not.toMatch(/(^|;)"?=HYPERLINK/m);

		const en = await fetch(`${server.url}/api/sessions/${e.sessionId}/export/csv?lang=en`, {
			headers: e.ville.header
		});
		expect(parseCsv((await en.text()).replace(/^\uFEFF/, ''))[0]).toEqual([
			'Rank',
			'Idea',
			'Cluster',
			'Votes',
			'Voters',
			'Author',
			'Industry',
			'Posted'
		]);
	});

	test('Markdown: top ideas, actions with owners, clusters; user text cannot become markup', async () => {
		const e = await evening();
		const res = await fetch(`${server.url}/api/sessions/${e.sessionId}/export/md?lang=en`, {
			headers: e.ville.header
		});
		expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
		const md = await res.text();
		expect(md).toMatch(/^# Marraskuun ilta\n/);
		expect(md).toContain('## Top ideas');
		expect(md).toContain(
			'1. **Yhteinen jakeluauto – säästöä kaikille** (2 votes) · Logistiikka — Ville (leipomo)'
		);
		expect(md).toContain('- [ ] Kysy hintaa jakeluautosta — Owners: Ville');
		expect(md).toContain('### Logistiikka (2 ideas, 3 votes)');
		expect(md).toContain('\\[klikkaa\\](http://evil.example) \\<b\\>lihava\\</b\\> \\# otsikko');
		expect(md).not.toContain('[klikkaa](');
	});

	test('JSON: complete and documented; it re-imports into a new group session and a new evening', async () => {
		const e = await evening();
		const res = await fetch(`${server.url}/api/sessions/${e.sessionId}/export/json`, {
			headers: e.ville.header
		});
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
		const data = (await res.json()) as any;
		expect(data).toMatchObject({
			format: 'kipina-session',
			version: 1,
			session: { id: e.sessionId, title: 'Marraskuun ilta', closedAt: null },
			group: { id: e.g.groupId, name: 'Ydinryhmä Rovaniemi' }
		});
		expect(data.ideas).toHaveLength(4);
		expect(Object.keys(data.votes)).toHaveLength(1);
		expect(data.actions[0].id).toBe(e.actionId);
		expect(data.summary.ideaCount).toBe(4);
		await close(e);

		const imported = await e.g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${e.g.groupId}/sessions`,
			{
				title: 'Tuotu ilta',
				import: data
			}
		);
		expect(imported.status, JSON.stringify(imported.json)).toBe(201);
		const copy = await readStored(imported.json.id);
		expect(
			listIdeas(copy)
				.map((i) => i.text)
				.sort()
		).toEqual(data.ideas.map((i: { text: string }) => i.text).sort());
		expect(boardMaps(copy).votes.size).toBe(1);
		expect(boardMaps(copy).meta.get('closed')).toBeUndefined();
		expect(boardMaps(copy).meta.get('title')).toBe('Tuotu ilta');

		const adHoc = await api(server.url, 'POST', '/api/sessions/import', {
			name: 'Aino',
			industry: 'matkailu',
			data
		});
		expect(adHoc.status).toBe(201);
		expect(adHoc.json.title).toBe('Marraskuun ilta');
		expect(listIdeas(await readStored(adHoc.json.id))).toHaveLength(4);

		const broken = await api(server.url, 'POST', '/api/sessions/import', {
			name: 'Aino',
			data: { ...data, ideas: [{ ...data.ideas[0], authorId: '../x' }] }
		});
		expect(broken.status).toBe(400);
		expect(broken.json.error.field).toBe('data.ideas.0');
	});

	test('imports may be large (a few hundred ideas), other bodies stay under 16 KiB', async () => {
		const e = await evening();
		const res = await fetch(`${server.url}/api/sessions/${e.sessionId}/export/json`, {
			headers: e.ville.header
		});
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
		const data = (await res.json()) as any;
		data.ideas = Array.from({ length: 400 }, (_, i) => ({
			...data.ideas[0],
			id: `idea${i}`,
			text: `Idea numero ${i} `.repeat(10).trim()
		}));
		const big = await api(server.url, 'POST', '/api/sessions/import', { name: 'A', data });
		expect(big.status).toBe(201);
		const tooBig = await api(server.url, 'POST', '/api/sessions', {
			title: 'x'.repeat(20_000),
			name: 'A'
		});
		expect(tooBig.status).toBe(413);
	});
});

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
