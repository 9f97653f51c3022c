import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import { api, createSession, startTestServer } from './helpers.js';

let server: KipinaServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

describe('POST /api/sessions', () => {
	test('201 with id, join path, facilitator, and a signed httpOnly cookie', async () => {
		const res = await api(server.url, 'POST', '/api/sessions', {
			title: '  Ydinryhmä   marraskuu ',
			name: 'Aino',
			industry: 'matkailu'
		});
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({
			title: 'Ydinryhmä marraskuu',
			joinPath: `/s/${res.json.id}`,
			participant: { name: 'Aino', industry: 'matkailu', role: 'facilitator' }
		});
		const cookie = res.headers.get('set-cookie')!;
		expect(cookie).toMatch(new RegExp(`^kp_${res.json.id}=[^;]+\\.[^;]+;`));
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');
		expect(cookie).not.toContain(res.json.token + ';'); // the cookie carries a signature too

		const me = await api(server.url, 'GET', `/api/sessions/${res.json.id}/me`, undefined, {
			cookie: cookie.split(';')[0]!
		});
		expect(me.status).toBe(200);
		expect(me.json.participant.name).toBe('Aino');
	});

	test.each([
		[{ name: 'A', industry: '' }, 'title'],
		[{ title: '', name: 'A' }, 'title'],
		[{ title: 'x'.repeat(121), name: 'A' }, 'title'],
		[{ title: 'Ilta' }, 'name'],
		[{ title: 'Ilta', name: '   ' }, 'name'],
		[{ title: 'Ilta', name: 42 }, 'name'],
		[{ title: 'Ilta', name: 'A', industry: 'x'.repeat(61) }, 'industry']
	])('400 naming the field for %j', async (body, field) => {
		const res = await api(server.url, 'POST', '/api/sessions', body);
		expect(res.status).toBe(400);
		expect(res.json.error).toMatchObject({ code: 'invalid_body', field });
		expect(res.json.error.message).toMatch(new RegExp(`^${field}: `));
	});

	test('400 for malformed JSON and non-object bodies', async () => {
		for (const body of ['{"title":', '[1,2]', '"x"', 'null']) {
			const res = await api(server.url, 'POST', '/api/sessions', body);
			expect(res.status).toBe(400);
			expect(res.json.error.code).toBe('invalid_body');
		}
	});

	test('413 for a body over 16 KiB, 415 for a non-JSON content type', async () => {
		const big = await api(server.url, 'POST', '/api/sessions', { title: 'x'.repeat(20_000) });
		expect(big.status).toBe(413);
		const res = await fetch(`${server.url}/api/sessions`, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: '{"title":"Ilta","name":"A"}'
		});
		expect(res.status).toBe(415);
	});

	test('403 for a state-changing request from a foreign origin; nothing is created', async () => {
		const res = await api(
			server.url,
			'POST',
			'/api/sessions',
			{ title: 'Ilta', name: 'A' },
			{ origin: 'https://evil.example' }
		);
		expect(res.status).toBe(403);
		expect(res.json.error.code).toBe('forbidden_origin');
		expect(res.headers.get('set-cookie')).toBeNull();
	});
});

describe('sessions and participants', () => {
	test('GET a session: 200 with public facts, 404 JSON for unknown ids', async () => {
		const s = await createSession(server.url, 'Joulukuun ilta');
		const ok = await api(server.url, 'GET', `/api/sessions/${s.sessionId}`);
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({
			id: s.sessionId,
			title: 'Joulukuun ilta',
			createdAt: expect.any(Number)
		});
		for (const id of ['unknown123', '../etc', 'x'.repeat(100)]) {
			const res = await api(server.url, 'GET', `/api/sessions/${encodeURIComponent(id)}`);
			expect(res.status).toBe(404);
			expect(res.json.error.code).toBe('not_found');
		}
	});

	test('join: 201 with token and cookie; 404 unknown session; 400 bad body', async () => {
		const s = await createSession(server.url);
		const ok = await api(server.url, 'POST', `/api/sessions/${s.sessionId}/participants`, {
			name: 'Bea',
			industry: 'leipomo'
		});
		expect(ok.status).toBe(201);
		expect(ok.json.participant).toMatchObject({
			name: 'Bea',
			industry: 'leipomo',
			role: 'participant'
		});
		expect(ok.headers.get('set-cookie')).toContain(`kp_${s.sessionId}=`);

		const missing = await api(server.url, 'POST', '/api/sessions/nosuchsess/participants', {
			name: 'Bea',
			industry: ''
		});
		expect(missing.status).toBe(404);
		const bad = await api(server.url, 'POST', `/api/sessions/${s.sessionId}/participants`, {
			name: ''
		});
		expect(bad.status).toBe(400);
		expect(bad.json.error.field).toBe('name');
	});

	test('me: 401 without a cookie, with a tampered cookie, or with another session’s cookie', async () => {
		const s = await createSession(server.url);
		const res = await api(server.url, 'GET', `/api/sessions/${s.sessionId}/me`);
		expect(res.status).toBe(401);
		const created = await fetch(`${server.url}/api/sessions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'Toinen', name: 'B' })
		});
		const [pair] = created.headers.get('set-cookie')!.split(';');
		const tampered = pair!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
		for (const cookie of [tampered, pair!.replace(/^kp_\w+=/, `kp_${s.sessionId}=`)]) {
			const r = await api(server.url, 'GET', `/api/sessions/${s.sessionId}/me`, undefined, {
				cookie
			});
			expect(r.status).toBe(401);
		}
	});

	test('unknown API routes are JSON 404s; health answers', async () => {
		expect((await api(server.url, 'GET', '/api/nope')).json.error.code).toBe('not_found');
		expect((await api(server.url, 'GET', '/api/health')).json).toEqual({ ok: true });
	});
});
