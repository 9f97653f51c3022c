import {
	CLOSE,
	addIdea,
	boardMaps,
	createBoardDoc,
	createCluster,
	deskMaps,
	getSettings,
	listIdeas,
	moveIdea,
	privateIdeaStats,
	setPhase,
	setSetting,
	startTimer,
	vote,
	votesOf
} from '@kipina/board';
import type * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import {
	api,
	connect,
	createSession,
	isSaved,
	joinSession,
	startTestServer,
	synced,
	waitFor,
	type Client,
	type Joined
} from './helpers.js';
import { rawSocket } from './raw.js';

let server: KipinaServer;
const clients: Client[] = [];
const open = (who: Joined, doc?: Y.Doc) => {
	const c = connect(server.port, who, doc);
	clients.push(c);
	return c;
};

beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

function openDesk(who: Joined, ownerId = who.participantId): Client {
	const c = connect(server.port, who, createBoardDoc(), `${who.sessionId}/desk/${ownerId}`);
	clients.push(c);
	return c;
}

const sessionDoc = (sessionId: string) => server.rooms.peek(sessionId)!.doc;

describe('facilitator-only controls are enforced by the server', () => {
	const attacks: [string, (doc: Y.Doc) => void][] = [
		['phase', (doc) => setPhase(doc, 'vote')],
		['timer', (doc) => startTimer(doc, 60_000, Date.now())],
		['lock', (doc) => setSetting(doc, 'locked', true)],
		['private writing', (doc) => setSetting(doc, 'privateWriting', true)],
		['vote budget', (doc) => setSetting(doc, 'voteBudget', 50)],
		['spotlight', (doc) => setSetting(doc, 'spotlight', { kind: 'idea', id: 'x' })]
	];
	test.each(attacks)(
		'a participant changing %s is refused; the document is unchanged',
		async (_n, attack) => {
			const fac = await createSession(server.url);
			const mal = await joinSession(server.url, fac.sessionId, 'Mallory', 'IT');
			const m = open(mal);
			await synced(m);
			const before = JSON.stringify(boardMaps(sessionDoc(fac.sessionId)).meta.toJSON());
			attack(m.doc);
			await waitFor(() => m.closes.length > 0, 'refusal');
			expect(m.closes[0]!.code).toBe(CLOSE.refused);
			expect(JSON.stringify(boardMaps(sessionDoc(fac.sessionId)).meta.toJSON())).toBe(before);
		}
	);

	test('the facilitator changes them, and everyone sees the change', async () => {
		const fac = await createSession(server.url);
		const bea = await joinSession(server.url, fac.sessionId, 'Bea', 'leipomo');
		const f = open(fac);
		const b = open(bea);
		await Promise.all([synced(f), synced(b)]);
		setPhase(f.doc, 'cluster');
		setSetting(f.doc, 'voteBudget', 7);
		startTimer(f.doc, 5 * 60_000, Date.now());
		await waitFor(
			() => getSettings(b.doc).phase === 'cluster' && getSettings(b.doc).timer !== null,
			'settings'
		);
		expect(getSettings(b.doc).voteBudget).toBe(7);
	});

	test('reveal and proxies over HTTP: 401 without a cookie, 403 for a participant', async () => {
		const fac = await createSession(server.url);
		const bea = await joinSession(server.url, fac.sessionId, 'Bea', 'leipomo');
		expect(
			(await api(server.url, 'POST', `/api/sessions/${fac.sessionId}/reveal`, {})).status
		).toBe(401);
		const auth = (j: Joined) => ({ authorization: `Bearer ${j.token}` });
		const asBea = await api(
			server.url,
			'POST',
			`/api/sessions/${fac.sessionId}/reveal`,
			{},
			auth(bea)
		);
		expect(asBea.status).toBe(403);
		const proxy = await api(
			server.url,
			'POST',
			`/api/sessions/${fac.sessionId}/proxies`,
			{ name: 'Eero', industry: 'poroisäntä' },
			auth(bea)
		);
		expect(proxy.status).toBe(403);
		const ok = await api(
			server.url,
			'POST',
			`/api/sessions/${fac.sessionId}/reveal`,
			{},
			auth(fac)
		);
		expect(ok.json).toEqual({ revealed: 0 });
	});
});

describe('private writing', () => {
	test('private ideas never reach other participants before the reveal (checked on the wire)', async () => {
		const fac = await createSession(server.url);
		const ann = await joinSession(server.url, fac.sessionId, 'Ann', 'matkailu');
		const bob = await joinSession(server.url, fac.sessionId, 'Bob', 'IT');
		const f = open(fac);
		await synced(f);
		setSetting(f.doc, 'privateWriting', true);
		await waitFor(() => isSaved(f), 'setting saved');

		// Bob listens to everything the server sends him, as raw bytes.
		const bobRaw = await rawSocket(server.port, fac.sessionId, { token: bob.token });
		bobRaw.ws.send(new Uint8Array([0, 0, 1, 0])); // sync step 1 with an empty state vector
		const secret = 'Salainen idea: revontuliretki leipomoon';
		const seen = () =>
			bobRaw.messages.some((m) => Buffer.from(m).includes(Buffer.from('revontuliretki')));

		const desk = openDesk(ann);
		await synced(desk);
		addIdea(desk.doc, { participantId: ann.participantId, industry: ann.industry }, secret);
		await waitFor(() => isSaved(desk), 'private idea saved');
		await waitFor(() => privateIdeaStats(f.doc).ideas === 1, 'count reaches the facilitator');
		expect(privateIdeaStats(f.doc)).toEqual({ ideas: 1, people: 1 });
		expect(listIdeas(f.doc)).toHaveLength(0);
		expect(seen()).toBe(false);

		// Bob cannot open Ann's desk, and nobody else can either.
		const peek = await rawSocket(server.port, `${fac.sessionId}/desk/${ann.participantId}`, {
			token: bob.token
		});
		expect((await peek.closed).code).toBe(CLOSE.refused);
		expect(seen()).toBe(false);

		const revealed = await api(
			server.url,
			'POST',
			`/api/sessions/${fac.sessionId}/reveal`,
			{},
			{
				authorization: `Bearer ${fac.token}`
			}
		);
		expect(revealed.json).toEqual({ revealed: 1 });
		await waitFor(seen, 'revealed idea reaches Bob');
		await waitFor(() => listIdeas(f.doc).length === 1, 'revealed on the board');
		const [idea] = listIdeas(f.doc);
		expect(idea).toMatchObject({ text: secret, authorId: ann.participantId, industry: 'matkailu' });
		await waitFor(() => deskMaps(desk.doc).ideas.size === 0, 'desk emptied');
		await waitFor(() => privateIdeaStats(f.doc).ideas === 0, 'count back to zero');
		bobRaw.ws.close();
	});

	test('a desk accepts only its owner’s ideas while posting is open', async () => {
		const fac = await createSession(server.url);
		const ann = await joinSession(server.url, fac.sessionId, 'Ann', 'matkailu');
		const desk = openDesk(ann);
		await synced(desk);
		addIdea(desk.doc, { participantId: fac.participantId, industry: fac.industry }, 'Not mine');
		await waitFor(() => desk.closes.length > 0, 'refusal');
		expect(desk.closes[0]!.code).toBe(CLOSE.refused);
	});
});

describe('voting, clustering and proxies under the policy', () => {
	test('the vote budget holds under concurrent votes from two devices of one person', async () => {
		const fac = await createSession(server.url);
		const ann = await joinSession(server.url, fac.sessionId, 'Ann', 'matkailu');
		const f = open(fac);
		await synced(f);
		const ids = Array.from({ length: 4 }, (_, i) => addIdea(f.doc, fac, `Idea ${i}`));
		setSetting(f.doc, 'voteBudget', 3);
		setPhase(f.doc, 'vote');
		await waitFor(() => isSaved(f), 'setup saved');

		const phone = open(ann);
		const laptop = open(ann);
		await Promise.all([synced(phone), synced(laptop)]);
		await waitFor(
			() => getSettings(phone.doc).phase === 'vote' && getSettings(laptop.doc).phase === 'vote',
			'phase'
		);
		// Each device alone stays within the budget (2 + 2), together they would spend 4 of 3.
		phone.provider.disconnect();
		laptop.provider.disconnect();
		vote(phone.doc, ann.participantId, ids[0]!, 1);
		vote(phone.doc, ann.participantId, ids[1]!, 1);
		vote(laptop.doc, ann.participantId, ids[2]!, 1);
		vote(laptop.doc, ann.participantId, ids[3]!, 1);
		phone.provider.connect();
		await waitFor(() => isSaved(phone), 'phone votes saved');
		laptop.provider.connect();
		await waitFor(() => isSaved(laptop), 'laptop votes saved');
		// One record per person: the devices converge on one of the two, never on 4 dots.
		const record = () => JSON.stringify(votesOf(sessionDoc(fac.sessionId), ann.participantId));
		await waitFor(
			() =>
				JSON.stringify(votesOf(phone.doc, ann.participantId)) === record() &&
				JSON.stringify(votesOf(laptop.doc, ann.participantId)) === record(),
			'devices converge'
		);
		const spent = Object.values(votesOf(sessionDoc(fac.sessionId), ann.participantId));
		expect(spent.reduce((a, b) => a + b, 0)).toBe(2);
	});

	test('clustering is refused outside the cluster phase and accepted in it', async () => {
		const fac = await createSession(server.url);
		const ann = await joinSession(server.url, fac.sessionId, 'Ann', 'matkailu');
		const f = open(fac);
		await synced(f);
		const a = addIdea(f.doc, fac, 'A');
		const b = addIdea(f.doc, fac, 'B');
		await waitFor(() => isSaved(f), 'ideas saved');
		const early = open(ann);
		await synced(early);
		createCluster(early.doc, ann.participantId, [a, b], 'Too early');
		await waitFor(() => early.closes.length > 0, 'refused in ideate');
		expect(early.closes[0]!.code).toBe(CLOSE.refused);

		setPhase(f.doc, 'cluster');
		await waitFor(() => isSaved(f), 'phase saved');
		const now = open(ann);
		await synced(now);
		const cluster = createCluster(now.doc, ann.participantId, [a], 'Matkailu');
		moveIdea(now.doc, b, cluster);
		await waitFor(() => isSaved(now), 'cluster saved');
		expect(boardMaps(sessionDoc(fac.sessionId)).placements.get(b)?.clusterId).toBe(cluster);
	});

	test('the facilitator posts and votes for a proxy; a participant cannot', async () => {
		const fac = await createSession(server.url);
		const ann = await joinSession(server.url, fac.sessionId, 'Ann', 'matkailu');
		const res = await api(
			server.url,
			'POST',
			`/api/sessions/${fac.sessionId}/proxies`,
			{ name: 'Eero', industry: 'poronhoito' },
			{
				authorization: `Bearer ${fac.token}`
			}
		);
		expect(res.status).toBe(201);
		const eero = res.json.participant as { id: string; industry: string; proxy: boolean };
		expect(eero.proxy).toBe(true);
		const f = open(fac);
		await synced(f);
		await waitFor(
			() => boardMaps(f.doc).participants.get(eero.id)?.proxy === true,
			'proxy visible'
		);
		const idea = addIdea(
			f.doc,
			{ participantId: eero.id, industry: eero.industry },
			'Porosafari + leipäkurssi'
		);
		setPhase(f.doc, 'vote');
		vote(f.doc, eero.id, idea, 1);
		await waitFor(() => isSaved(f), 'proxy idea and vote saved');
		expect(listIdeas(sessionDoc(fac.sessionId))[0]).toMatchObject({
			authorId: eero.id,
			industry: 'poronhoito'
		});
		expect(votesOf(sessionDoc(fac.sessionId), eero.id)).toEqual({ [idea]: 1 });

		const a = open(ann);
		await synced(a);
		addIdea(a.doc, { participantId: eero.id, industry: eero.industry }, 'Ann posing as Eero');
		await waitFor(() => a.closes.length > 0, 'refused');
		expect(a.closes[0]!.code).toBe(CLOSE.refused);
	});
});

describe('join codes', () => {
	test('the code from /me finds the session, typed loosely; unknown codes are 404', async () => {
		const fac = await createSession(server.url, 'Koodi-ilta');
		const me = await api(server.url, 'GET', `/api/sessions/${fac.sessionId}/me`, undefined, {
			authorization: `Bearer ${fac.token}`
		});
		const code = me.json.joinCode as string;
		expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
		const loose = `${code.slice(0, 3).toLowerCase()}-${code.slice(3)} `;
		const found = await api(server.url, 'GET', `/api/join/${encodeURIComponent(loose)}`);
		expect(found.json).toEqual({
			id: fac.sessionId,
			title: 'Koodi-ilta',
			joinPath: `/s/${fac.sessionId}`
		});
		expect((await api(server.url, 'GET', '/api/join/ZZZZZZ')).status).toBe(404);
		expect((await api(server.url, 'GET', '/api/time')).json.now).toBeGreaterThan(0);
	});
});
