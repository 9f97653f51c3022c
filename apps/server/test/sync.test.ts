import { addIdea, deleteIdea, editIdea, listIdeas, listParticipants } from '@kipina/board';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import type { SqliteStorage } from '../src/storage/SqliteStorage.js';
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

let server: KipinaServer;
const clients: Client[] = [];
const open = (...args: Parameters<typeof connect>) => {
	const c = connect(...args);
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

const author = (j: { participantId: string; industry: string }) => ({
	participantId: j.participantId,
	industry: j.industry
});

describe('live sync with stock y-websocket providers', () => {
	test('the shared full state of a large board is never stale for the next fresh joiner', async () => {
		const fac = await createSession(server.url);
		const a = open(server.port, fac);
		await synced(a);
		// Past the 32 KB from which one encoded full state is shared by fresh joiners.
		const ids: string[] = [];
		a.doc.transact(() => {
			for (let i = 0; i < 400; i++) {
				ids.push(addIdea(a.doc, author(fac), `Idea ${i} `.padEnd(100, 'x')));
			}
		});
		await waitFor(() => isSaved(a), 'ideas saved');
		const texts = (c: Client) =>
			listIdeas(c.doc)
				.map((i) => i.text)
				.sort();
		const fresh = async () => {
			const c = open(server.port, fac);
			await synced(c);
			return c;
		};
		expect(texts(await fresh())).toEqual(texts(a));
		addIdea(a.doc, author(fac), 'One more');
		await waitFor(() => isSaved(a), 'added');
		expect(texts(await fresh())).toContain('One more');
		// A deletion alone adds no struct: it must invalidate the shared state too.
		deleteIdea(a.doc, ids[0]!);
		await waitFor(() => isSaved(a), 'deleted');
		const last = await fresh();
		expect(listIdeas(last.doc)).toHaveLength(400);
		expect(texts(last)).toEqual(texts(a));
	});

	test('two clients converge, a late third gets everything', async () => {
		const fac = await createSession(server.url);
		const bea = await joinSession(server.url, fac.sessionId, 'Bea', 'leipomo');
		const a = open(server.port, fac);
		const b = open(server.port, bea);
		await Promise.all([synced(a), synced(b)]);

		const ideaA = addIdea(a.doc, author(fac), 'Yhteinen joulumyynti');
		const ideaB = addIdea(b.doc, author(bea), 'Leipäkurssi matkailijoille');
		await waitFor(
			() => listIdeas(a.doc).length === 2 && listIdeas(b.doc).length === 2,
			'both ideas'
		);

		editIdea(b.doc, ideaB, 'Leipäkurssi safarimatkailijoille');
		deleteIdea(a.doc, ideaA);
		await waitFor(
			() =>
				listIdeas(a.doc).length === 1 &&
				listIdeas(a.doc)[0]!.text === 'Leipäkurssi safarimatkailijoille',
			'edit and delete to arrive'
		);

		const late = open(server.port, await joinSession(server.url, fac.sessionId, 'Cai', 'IT'));
		await synced(late);
		expect(listIdeas(late.doc)).toEqual(listIdeas(a.doc));
		expect(listIdeas(b.doc)).toEqual(listIdeas(a.doc));
		expect(listParticipants(late.doc).map((p) => p.name)).toEqual(['Fasilitaattori', 'Bea', 'Cai']);
	});

	test('the server acknowledges stored changes with a saved message', async () => {
		const fac = await createSession(server.url);
		const a = open(server.port, fac);
		await synced(a);
		addIdea(a.doc, author(fac), 'Tallenna minut');
		expect(isSaved(a)).toBe(false);
		await waitFor(() => isSaved(a), 'saved ack');
		expect(a.saved.get(a.doc.clientID)).toBe(1);
	});

	test('presence shows the server-side identity, not what the client claims', async () => {
		const fac = await createSession(server.url);
		const dan = await joinSession(server.url, fac.sessionId, 'Dan', 'kirjanpito');
		const a = open(server.port, fac);
		const d = open(server.port, dan);
		await Promise.all([synced(a), synced(d)]);
		d.provider.awareness.setLocalStateField('user', {
			name: 'Not Dan',
			participantId: fac.participantId
		});
		await waitFor(() => {
			const state = a.provider.awareness.getStates().get(d.doc.clientID) as
				{ user?: { name: string } } | undefined;
			return state?.user?.name === 'Dan';
		}, 'Dan in presence');
		const state = a.provider.awareness.getStates().get(d.doc.clientID) as {
			user: { participantId: string; industry: string };
		};
		expect(state.user.participantId).toBe(dan.participantId);
		expect(state.user.industry).toBe('kirjanpito');
	});

	test('an empty room is unloaded after the grace period and its memory freed', async () => {
		const fac = await createSession(server.url);
		const a = open(server.port, fac);
		await synced(a);
		addIdea(a.doc, author(fac), 'Muistissa');
		await waitFor(() => isSaved(a), 'saved');
		expect(server.rooms.peek(fac.sessionId)).toBeDefined();
		a.destroy();
		await waitFor(() => server.rooms.peek(fac.sessionId) === undefined, 'unload');
		// Nothing of it stays in storage's memory either (sequence numbers, log descriptors).
		const storage = server.storage as SqliteStorage;
		await waitFor(() => !storage['lastSeq'].has(fac.sessionId), 'storage released');
		expect(storage.logs['open'].has(fac.sessionId)).toBe(false);
		const again = open(server.port, fac);
		await synced(again);
		expect(listIdeas(again.doc).map((i) => i.text)).toEqual(['Muistissa']);
	});
});
