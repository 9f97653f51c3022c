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

let server: KipinaServer;
const clients: Client[] = [];
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

const nameIn = (observer: Client, clientId: number) =>
	(
		observer.provider.awareness.getStates().get(clientId) as
			{ user?: { name?: string } } | undefined
	)?.user?.name;

/** A session with a facilitator (a) and Bob (b) connected, Bob visible in the facilitator's presence. */
async function facilitatorSeesBob() {
	const fac = await createSession(server.url);
	const bob = await joinSession(server.url, fac.sessionId, 'Bob', 'IT');
	const a = connect(server.port, fac);
	const b = connect(server.port, bob);
	clients.push(a, b);
	await Promise.all([synced(a), synced(b)]);
	b.provider.awareness.setLocalStateField('cursor', null);
	await waitFor(() => nameIn(a, b.doc.clientID) === 'Bob', 'Bob visible to the facilitator');
	return { fac, bob, a, b };
}

test('relayed entries never claim a departed participant’s id; they come back at once and their offline ideas are saved', async () => {
	const { bob, a, b } = await facilitatorSeesBob();

	// Bob drops off; the facilitator's stock provider relays Bob's removal back to the server.
	b.provider.disconnect();
	await waitFor(() => nameIn(a, b.doc.clientID) === undefined, 'Bob gone for the facilitator');
	addIdea(
		b.doc,
		{ participantId: bob.participantId, industry: bob.industry },
		'Kirjoitettu offline'
	);
	await new Promise((r) => setTimeout(r, 200)); // let relays reach the server

	const started = Date.now();
	b.provider.connect();
	await waitFor(() => isSaved(b), 'offline idea saved after reconnecting');
	expect(b.closes.map((c) => c.code)).not.toContain(4403);
	await waitFor(() => nameIn(a, b.doc.clientID) === 'Bob', 'Bob visible again', 5_000);
	// Without the clock shift peers would ignore Bob's state for ~30 s.
	expect(Date.now() - started).toBeLessThan(5_000);
	expect(listIdeas(a.doc).map((i) => i.text)).toContain('Kirjoitettu offline');
});

test('a burst of presence changes reaches others coalesced, ending with the latest state', async () => {
	const { a, b } = await facilitatorSeesBob();

	let frames = 0;
	const count = () => (frames += 1);
	a.provider.awareness.on('update', count);
	for (let i = 1; i <= 100; i++) b.provider.awareness.setLocalStateField('cursor', i);
	const cursor = () =>
		(a.provider.awareness.getStates().get(b.doc.clientID) as { cursor?: number } | undefined)
			?.cursor;
	await waitFor(() => cursor() === 100, 'the last cursor position');
	a.provider.awareness.off('update', count);
	// One frame at once, then one per 50 ms window: far fewer than the 100 changes.
	expect(frames).toBeGreaterThan(0);
	expect(frames).toBeLessThan(10);
});

test('in a room bigger than one slice, every connection gets each presence frame', async () => {
	const { fac, b } = await facilitatorSeesBob();
	const watchers = Array.from({ length: 70 }, () => connect(server.port, fac));
	clients.push(...watchers);
	await Promise.all(watchers.map((w) => synced(w)));
	const cursorIn = (w: Client) =>
		(w.provider.awareness.getStates().get(b.doc.clientID) as { cursor?: number } | undefined)
			?.cursor;
	for (let i = 1; i <= 5; i++) {
		b.provider.awareness.setLocalStateField('cursor', i * 10);
		await waitFor(
			() => watchers.every((w) => cursorIn(w) === i * 10),
			`cursor ${i * 10} at all 70 watchers`
		);
	}
});

test('big presence frames come less often: each receiver gets at most ~32 KB of presence a second', async () => {
	const { fac, a, b } = await facilitatorSeesBob();
	const carol = connect(
		server.port,
		await joinSession(server.url, fac.sessionId, 'Carol', 'design')
	);
	clients.push(carol);
	await synced(carol);
	const padding = 'x'.repeat(3000);
	let frames = 0;
	const count = () => (frames += 1);
	a.provider.awareness.on('update', count);
	const started = Date.now();
	let i = 0;
	while (Date.now() - started < 1500) {
		i += 1;
		b.provider.awareness.setLocalStateField('cursor', { i, padding });
		carol.provider.awareness.setLocalStateField('cursor', { i, padding });
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	const cursorOf = (who: Client) =>
		(a.provider.awareness.getStates().get(who.doc.clientID) as { cursor?: { i: number } })?.cursor
			?.i;
	await waitFor(() => cursorOf(b) === i && cursorOf(carol) === i, 'the last cursors');
	a.provider.awareness.off('update', count);
	// Frames of two ~3 KB entries: one per ~190 ms rather than one per 50 ms (~30 in 1.5 s).
	expect(frames).toBeGreaterThan(3);
	expect(frames).toBeLessThanOrEqual(14);
});
