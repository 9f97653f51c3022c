import { CLOSE, addIdea, boardMaps, listIdeas } from '@kipina/board';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import {
	connect,
	createSession,
	isSaved,
	joinSession,
	startTestServer,
	synced,
	waitFor,
	type Client
} from './helpers.js';
import { rawSocket } from './raw.js';

let server: KipinaServer;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startTestServer({ maxPayload: 64 * 1024 });
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

function frame(...parts: ((e: encoding.Encoder) => void)[]): Uint8Array {
	const e = encoding.createEncoder();
	for (const p of parts) p(e);
	return encoding.toUint8Array(e);
}
const uint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n);
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b);

/** A valid update adding one idea for `who`, made on a scratch replica synced from `base`. */
function ideaUpdate(base: Y.Doc, who: { participantId: string; industry: string }, text: string) {
	const scratch = new Y.Doc();
	Y.applyUpdate(scratch, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(scratch);
	addIdea(scratch, who, text);
	return Y.encodeStateAsUpdate(scratch, before);
}

describe('malformed frames close only the offending socket', () => {
	const cases: [string, () => Uint8Array | string][] = [
		['zero-length frame', () => new Uint8Array(0)],
		['unknown message type', () => frame(uint(42))],
		['truncated varint', () => new Uint8Array([0xff, 0xff])],
		['huge varint', () => new Uint8Array(Array(12).fill(0xff))],
		['unknown sync subtype', () => frame(uint(0), uint(9), bytes(new Uint8Array([0])))],
		['garbage update', () => frame(uint(0), uint(2), bytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7])))],
		['empty update', () => frame(uint(0), uint(2), bytes(new Uint8Array(0)))],
		['length prefix past the end', () => new Uint8Array([0, 2, 0xff, 0xff, 0x03, 1])],
		['trailing bytes', () => frame(uint(3), uint(7))],
		['text frame', () => 'hello']
	];

	test.each(cases)('%s → 4400, other clients and rooms unaffected', async (_name, make) => {
		const fac = await createSession(server.url);
		const other = await createSession(server.url, 'Toinen huone');
		const good = connect(server.port, fac);
		const elsewhere = connect(server.port, other);
		clients.push(good, elsewhere);
		await Promise.all([synced(good), synced(elsewhere)]);
		const before = listIdeas(good.doc).length;

		const raw = await rawSocket(server.port, fac.sessionId, { token: fac.token });
		raw.ws.send(make());
		expect((await raw.closed).code).toBe(CLOSE.malformed);

		addIdea(good.doc, { participantId: fac.participantId, industry: fac.industry }, 'Yhä toimii');
		addIdea(
			elsewhere.doc,
			{ participantId: other.participantId, industry: other.industry },
			'Toinen'
		);
		await waitFor(() => isSaved(good) && isSaved(elsewhere), 'saves after the bad frame');
		expect(listIdeas(good.doc)).toHaveLength(before + 1);
		expect(server.rooms.peek(fac.sessionId)!.doc.getMap('ideas').size).toBe(before + 1);
	});

	test('a truncated update applies nothing and stores nothing', async () => {
		const fac = await createSession(server.url);
		const watcher = connect(server.port, fac);
		clients.push(watcher);
		await synced(watcher);
		const room = server.rooms.peek(fac.sessionId)!;
		const update = ideaUpdate(room.doc, fac, 'Katkaistu');
		for (const cut of [3, Math.floor(update.length / 2), update.length - 1]) {
			const raw = await rawSocket(server.port, fac.sessionId, { token: fac.token });
			raw.ws.send(frame(uint(0), uint(2), bytes(update.subarray(0, cut))));
			const { code } = await raw.closed;
			expect([CLOSE.malformed, CLOSE.outOfSync, CLOSE.refused]).toContain(code);
		}
		expect(boardMaps(room.doc).ideas.size).toBe(0);
		expect(listIdeas(watcher.doc)).toHaveLength(0);
	});

	test('a frame over maxPayload is closed with 1009', async () => {
		const fac = await createSession(server.url);
		const raw = await rawSocket(server.port, fac.sessionId, { token: fac.token });
		raw.ws.send(new Uint8Array(65 * 1024));
		expect((await raw.closed).code).toBe(CLOSE.tooBig);
	});

	test('an update that depends on missing updates → 4409, nothing applied', async () => {
		const fac = await createSession(server.url);
		const good = connect(server.port, fac);
		clients.push(good);
		await synced(good);
		const room = server.rooms.peek(fac.sessionId)!;
		const scratch = new Y.Doc();
		Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
		addIdea(scratch, fac, 'Eka'); // never sent
		const sv = Y.encodeStateVector(scratch);
		addIdea(scratch, fac, 'Toka');
		const gapped = Y.encodeStateAsUpdate(scratch, sv);
		const raw = await rawSocket(server.port, fac.sessionId, { token: fac.token });
		raw.ws.send(frame(uint(0), uint(2), bytes(gapped)));
		expect((await raw.closed).code).toBe(CLOSE.outOfSync);
		expect(boardMaps(room.doc).ideas.size).toBe(0);
		expect(room.doc.store.pendingStructs).toBeNull();
	});
});

describe('refused connections', () => {
	test('unknown session → 4404', async () => {
		const raw = await rawSocket(server.port, 'nosuchsession', { token: 'x' });
		expect((await raw.closed).code).toBe(CLOSE.unknownSession);
	});

	test('missing or wrong token → 4401', async () => {
		const fac = await createSession(server.url);
		const none = await rawSocket(server.port, fac.sessionId, {});
		expect((await none.closed).code).toBe(CLOSE.unauthenticated);
		const wrong = await rawSocket(server.port, fac.sessionId, { token: 'not-a-real-token' });
		expect((await wrong.closed).code).toBe(CLOSE.unauthenticated);
		const other = await createSession(server.url);
		const foreign = await rawSocket(server.port, fac.sessionId, { token: other.token });
		expect((await foreign.closed).code).toBe(CLOSE.unauthenticated);
	});

	test('a foreign Origin is refused before the upgrade (HTTP 403)', async () => {
		const fac = await createSession(server.url);
		const ws = new WebSocket(
			`ws://127.0.0.1:${server.port}/sync/${fac.sessionId}?token=${fac.token}`,
			{
				headers: { origin: 'https://evil.example' }
			}
		);
		const status = await new Promise<number>((resolve) =>
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
		);
		expect(status).toBe(403);
		const same = await rawSocket(
			server.port,
			fac.sessionId,
			{ token: fac.token },
			{ origin: `http://127.0.0.1:${server.port}` }
		);
		expect(same.ws.readyState).toBe(WebSocket.OPEN);
		same.ws.close();
	});
});

describe('the policy is enforced on the wire', () => {
	test("changing another participant's idea is refused and never reaches anyone", async () => {
		const fac = await createSession(server.url);
		const mal = await joinSession(server.url, fac.sessionId, 'Mallory', 'IT');
		const a = connect(server.port, fac);
		clients.push(a);
		await synced(a);
		addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Alkuperäinen');
		await waitFor(() => isSaved(a), 'saved');

		const m = connect(server.port, mal);
		clients.push(m);
		await synced(m);
		const [idea] = listIdeas(m.doc);
		boardMaps(m.doc).ideas.set(idea!.id, { ...idea!, text: 'Muutettu' });
		await waitFor(() => m.closes.length > 0, 'refusal');
		expect(m.closes[0]!.code).toBe(CLOSE.refused);

		const room = server.rooms.peek(fac.sessionId)!;
		expect(boardMaps(room.doc).ideas.get(idea!.id)!.text).toBe('Alkuperäinen');
		// The stock provider stops after a 44xx code instead of retrying the same update.
		expect(m.provider.shouldConnect).toBe(false);
		addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Toinen');
		await waitFor(() => isSaved(a), 'facilitator still saves');
		expect(listIdeas(a.doc).map((i) => i.text)).toEqual(['Alkuperäinen', 'Toinen']);
	});

	test('posting in someone else\u2019s name and facilitator-only settings are refused', async () => {
		const fac = await createSession(server.url);
		const mal = await joinSession(server.url, fac.sessionId, 'Mallory', 'IT');
		for (const attack of [
			(doc: Y.Doc) =>
				addIdea(doc, { participantId: fac.participantId, industry: fac.industry }, 'x'),
			(doc: Y.Doc) => boardMaps(doc).meta.set('title', 'Kaapattu'),
			(doc: Y.Doc) =>
				boardMaps(doc).participants.set('fake', {
					id: 'fake',
					name: 'Fake',
					industry: '',
					role: 'facilitator',
					joinedAt: 1
				})
		]) {
			const m = connect(server.port, mal);
			clients.push(m);
			await synced(m);
			attack(m.doc);
			await waitFor(() => m.closes.length > 0, 'refusal');
			expect(m.closes[0]!.code).toBe(CLOSE.refused);
		}
		const room = server.rooms.peek(fac.sessionId)!;
		expect(boardMaps(room.doc).ideas.size).toBe(0);
		expect(boardMaps(room.doc).meta.get('title')).toBe('Ydinryhmä');
		expect(boardMaps(room.doc).participants.has('fake')).toBe(false);
	});
});

describe('Yjs client ids cannot be squatted', () => {
	test('a client id seen in presence cannot be claimed by another participant for writes', async () => {
		const fac = await createSession(server.url);
		const mal = await joinSession(server.url, fac.sessionId, 'Mallory', 'IT');
		const alice = connect(server.port, fac);
		clients.push(alice);
		await synced(alice);
		alice.provider.awareness.setLocalStateField('cursor', null);
		await waitFor(
			() =>
				server.rooms.peek(fac.sessionId)!.presence.awareness.getStates().has(alice.doc.clientID),
			'Alice in presence'
		);
		// Mallory writes with Alice's client id before Alice has written anything.
		const room = server.rooms.peek(fac.sessionId)!;
		const forged = new Y.Doc();
		forged.clientID = alice.doc.clientID;
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(room.doc));
		const before = Y.encodeStateVector(forged);
		addIdea(forged, { participantId: mal.participantId, industry: mal.industry }, 'Squatting');
		const raw = await rawSocket(server.port, fac.sessionId, { token: mal.token });
		raw.ws.send(frame(uint(0), uint(2), bytes(Y.encodeStateAsUpdate(forged, before))));
		expect((await raw.closed).code).toBe(CLOSE.refused);
		// Alice can still write with her own id.
		addIdea(alice.doc, { participantId: fac.participantId, industry: fac.industry }, 'Minun');
		await waitFor(() => isSaved(alice), 'Alice saves');
		expect(listIdeas(room.doc).map((i) => i.text)).toEqual(['Minun']);
	});
});
