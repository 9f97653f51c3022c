import { addIdea, listIdeas } from '@kipina/board';
import { afterAll, beforeAll, expect, test } from 'vitest';
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
	server = await startTestServer({ batchWindowMs: 300 });
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

/** Sync update frames (type 0, sub-type 2) among raw messages. */
const updateFrames = (messages: Uint8Array[]) =>
	messages.filter((m) => m[0] === 0 && m[1] === 2).length;

test('with a batch window, the first write goes out at once and later ones share frames', async () => {
	const fac = await createSession(server.url);
	const bea = await joinSession(server.url, fac.sessionId, 'Bea', 'leipomo');
	const cai = await joinSession(server.url, fac.sessionId, 'Cai', 'IT');
	const a = connect(server.port, fac);
	const b = connect(server.port, bea);
	clients.push(a, b);
	await Promise.all([synced(a), synced(b)]);
	const observer = await rawSocket(server.port, fac.sessionId, { token: cai.token });
	await waitFor(() => observer.messages.length > 0, 'observer synced');
	await new Promise((r) => setTimeout(r, 400));
	const before = updateFrames(observer.messages);

	const t0 = performance.now();
	addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Eka');
	await waitFor(() => updateFrames(observer.messages) > before, 'first idea');
	// After a quiet spell there is no wait.
	expect(performance.now() - t0).toBeLessThan(250);
	addIdea(b.doc, { participantId: bea.participantId, industry: bea.industry }, 'Toka');
	await new Promise((r) => setTimeout(r, 20));
	addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Kolmas');
	await waitFor(() => isSaved(a) && isSaved(b), 'all saved');
	await waitFor(() => listIdeas(a.doc).length === 3 && listIdeas(b.doc).length === 3, 'converged');
	// Three writes, two frames: the second and third arrived within one window.
	expect(updateFrames(observer.messages) - before).toBe(2);
	observer.ws.close();
});
