import { CLOSE, addIdea, boardMaps } from '@kipina/board';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, test } from 'vitest';
import { FrameBudget, RATE_LIMITS, TokenBucket } from '../src/limits.js';
import type { KipinaServer } from '../src/server.js';
import {
	api,
	connect,
	createSession,
	isSaved,
	startTestServer,
	synced,
	waitFor,
	type Client
} from './helpers.js';
import { rawSocket } from './raw.js';

const servers: KipinaServer[] = [];
const clients: Client[] = [];
afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	for (const s of servers.splice(0)) await s.close();
});

async function serverWith(limits: Partial<typeof RATE_LIMITS>): Promise<KipinaServer> {
	const s = await startTestServer({ rateLimits: { ...RATE_LIMITS, ...limits } });
	servers.push(s);
	return s;
}

test('a token bucket refills at its rate and never above capacity', () => {
	let now = 0;
	const bucket = new TokenBucket(3, 2, () => now);
	expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([
		true,
		true,
		true,
		false
	]);
	now = 500; // one token back
	expect([bucket.take(), bucket.take()]).toEqual([true, false]);
	now = 100_000;
	expect(bucket.take(3)).toBe(true);
	expect(bucket.take()).toBe(false);
});

test('a frame budget needs both a message and the bytes, refills both, and is idle once full', () => {
	let now = 0;
	const budget = new FrameBudget(
		{ capacity: 2, perSecond: 1 },
		{ capacity: 100, perSecond: 50 },
		() => now
	);
	expect(budget.idle).toBe(true);
	expect(budget.take(60)).toBe(true);
	expect(budget.idle).toBe(false);
	expect(budget.take(60)).toBe(false); // bytes short: nothing taken
	expect(budget.take(40)).toBe(true);
	expect(budget.take(0)).toBe(false); // messages short
	now = 1000; // one message and 50 bytes back
	expect(budget.take(51)).toBe(false);
	expect(budget.take(50)).toBe(true);
	now = 1999;
	expect(budget.idle).toBe(false);
	now = 3000;
	expect(budget.idle).toBe(true);
	now = 100_000;
	expect([budget.take(100), budget.take(0), budget.take(0)]).toEqual([true, true, false]);
});

describe('per-connection and per-participant limits', () => {
	test('a message flood closes that socket with 4529; others keep working', async () => {
		const server = await serverWith({ messages: { capacity: 20, perSecond: 1 } });
		const fac = await createSession(server.url);
		const good = connect(server.port, fac);
		clients.push(good);
		await synced(good);
		const raw = await rawSocket(server.port, fac.sessionId, { token: fac.token });
		for (let i = 0; i < 40; i++) raw.ws.send(new Uint8Array([3])); // query awareness
		expect((await raw.closed).code).toBe(CLOSE.rateLimited);
		addIdea(good.doc, { participantId: fac.participantId, industry: fac.industry }, 'Toimii');
		await waitFor(() => isSaved(good), 'other connection still saves');
	});

	test('posting ideas too fast is refused, and the client’s ideas arrive once it slows down', async () => {
		const server = await serverWith({ ideas: { capacity: 5, perSecond: 4 } });
		const fac = await createSession(server.url);
		const a = connect(server.port, fac);
		clients.push(a);
		await synced(a);
		for (let i = 0; i < 9; i++) {
			addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, `Idea ${i}`);
		}
		await waitFor(() => a.closes.some((c) => c.code === CLOSE.rateLimited), 'rate-limit close');
		// 45xx means "try again later": the stock provider reconnects and resends what it holds.

		await waitFor(() => isSaved(a), 'all ideas stored after reconnecting', 15_000);
		expect(boardMaps(server.rooms.peek(fac.sessionId)!.doc).ideas.size).toBe(9);
	});
});

describe('per-IP limits', () => {
	test('too many websocket connection attempts from one address → HTTP 429', async () => {
		const server = await serverWith({ connections: { capacity: 3, perSecond: 0.001 } });
		const fac = await createSession(server.url);
		for (let i = 0; i < 3; i++) {
			const ok = await rawSocket(server.port, fac.sessionId, { token: fac.token });
			ok.ws.close();
		}
		const ws = new WebSocket(
			`ws://127.0.0.1:${server.port}/sync/${fac.sessionId}?token=${fac.token}`
		);
		const status = await new Promise<number>((resolve) =>
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
		);
		expect(status).toBe(429);
	});

	test('too many state-changing HTTP requests from one address → 429 JSON', async () => {
		const server = await serverWith({ httpWrites: { capacity: 2, perSecond: 0.001 } });
		await createSession(server.url);
		await createSession(server.url);
		const res = await api(server.url, 'POST', '/api/sessions', { title: 'Ilta', name: 'A' });
		expect(res.status).toBe(429);
		expect(res.json.error.code).toBe('rate_limited');
		expect((await api(server.url, 'GET', '/api/health')).status).toBe(200);
	});
});
