/**
 * Closing and exports of the archive — over real HTTP, sockets and SQLite.
 * Carry-over to next month and leaving are in archive.lifecycle.test.ts.
 */
import { CLOSE, addIdea, boardMaps, listIdeas } from '@kipina/board';
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { admitGuest, secretOf, startGroupSession } from './groups.helpers.js';
import { api, createSession, synced, waitFor } from './helpers.js';
import {
	close,
	db,
	evening,
	logFileBytes,
	open,
	readStored,
	server,
	useArchiveServer
} from './archive.fixture.js';

useArchiveServer();

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
