/**
 * Groups end to end over real HTTP and real sockets: links and what they
 * grant, members' automatic participants, guests, rotation, leaving.
 */
import { CLOSE, addIdea, createBoardDoc, listIdeas, listParticipants } from '@kipina/board';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import {
	Device,
	admitGuest,
	createGroup,
	openLink,
	secretOf,
	startGroupSession
} from './groups.helpers.js';
import { api, connect, startTestServer, synced, waitFor, type Client } from './helpers.js';
import { RATE_LIMITS } from '../src/limits.js';

let server: KipinaServer;
const clients: Client[] = [];
const open = (sessionId: string, token: string, room = sessionId) => {
	const c = connect(server.port, { sessionId, token }, createBoardDoc(), room);
	clients.push(c);
	return c;
};

beforeAll(async () => {
	server = await startTestServer({
		rateLimits: { ...RATE_LIMITS, httpWrites: { capacity: 10_000, perSecond: 1000 } }
	});
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

describe('creating a group and its links', () => {
	test('the creator is its facilitator, with a member cookie and two capability links', async () => {
		const device = new Device();
		const res = await device.call(server.url, 'POST', '/api/groups', {
			groupName: '  Ydinryhmä   Inari ',
			place: 'Inari',
			language: 'fi',
			name: 'Aino',
			industry: 'matkailu'
		});
		expect(res.status).toBe(201);
		const { group, member, links } = res.json;
		expect(group).toMatchObject({ name: 'Ydinryhmä Inari', place: 'Inari', language: 'fi' });
		expect(member).toMatchObject({ name: 'Aino', industry: 'matkailu', role: 'facilitator' });
		for (const link of [links.facilitator, links.invite]) {
			expect(link).toMatch(new RegExp(`^/g/${group.id}/join#[A-Za-z0-9_-]{32}$`));
		}
		expect(links.facilitator).not.toBe(links.invite);
		const cookie = res.headers.getSetCookie()[0]!;
		expect(cookie).toMatch(new RegExp(`^kg_${group.id}=[^;]+\\.[^;]+;`));
		expect(cookie).toContain('HttpOnly');
		expect(cookie).toContain('SameSite=Lax');

		const home = await device.call(server.url, 'GET', `/api/groups/${group.id}`);
		expect(home.status).toBe(200);
		expect(home.json).toMatchObject({ me: { id: member.id }, live: null });
		expect((await api(server.url, 'GET', `/api/groups/${group.id}`)).status).toBe(404);
	});

	test('only hashes of the secrets are stored', async () => {
		const g = await createGroup(server.url);
		const db = (server.storage as unknown as { db: import('better-sqlite3').Database }).db;
		const row = db.prepare('SELECT * FROM groups WHERE id = ?').get(g.groupId);
		const stored = JSON.stringify(row);
		for (const link of Object.values(g.links)) expect(stored).not.toContain(secretOf(link));
		const raw = db.prepare('SELECT * FROM groups WHERE id = ?').raw().get(g.groupId) as unknown[];
		expect(raw.filter((v) => Buffer.isBuffer(v) && v.length === 32)).toHaveLength(2);
	});

	test.each([
		[{ place: 'x', language: 'fi', name: 'A' }, 'groupName'],
		[{ groupName: 'G', language: 'sv', name: 'A' }, 'language'],
		[{ groupName: 'G', language: 'fi' }, 'name']
	])('400 naming the field for %j', async (body, field) => {
		const res = await api(server.url, 'POST', '/api/groups', body);
		expect(res.status).toBe(400);
		expect(res.json.error).toMatchObject({ code: 'invalid_body', field });
	});
});

describe('the invite link, personal links and the facilitator link', () => {
	test('the invite link asks for a profile once, then the device is a member', async () => {
		const g = await createGroup(server.url);
		const phone = new Device();
		const first = await phone.call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(g.links.invite)
		});
		expect(first.json).toMatchObject({
			needsProfile: true,
			kind: 'invite',
			group: { name: 'Ydinryhmä Rovaniemi' }
		});
		const joined = await openLink(server.url, g.groupId, g.links.invite, phone);
		expect(joined.role).toBe('member');
		// Opening the link again on the same device changes nothing.
		const again = await phone.call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(g.links.invite)
		});
		expect(again.status).toBe(200);
		expect(again.json.member.id).toBe(joined.memberId);
		const home = await phone.call(server.url, 'GET', `/api/groups/${g.groupId}`);
		expect(home.json.members.map((m: { name: string }) => m.name)).toEqual(['Aino', 'Ville']);
	});

	test('a personal link opens the same member on another device; re-issuing retires the old one', async () => {
		const g = await createGroup(server.url);
		const phone = new Device();
		const { memberId } = await openLink(server.url, g.groupId, g.links.invite, phone);
		const first = await phone.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/personal-link`,
			{}
		);
		expect(first.json.link).toMatch(new RegExp(`^/g/${g.groupId}/join#`));

		const laptop = new Device();
		const res = await laptop.call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(first.json.link)
		});
		expect(res.status).toBe(200);
		expect(res.json.member.id).toBe(memberId);

		const second = await phone.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/personal-link`,
			{}
		);
		const stale = await new Device().call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(first.json.link)
		});
		expect(stale.status).toBe(403);
		expect(stale.json.error.code).toBe('invalid_link');
		const fresh = await new Device().call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(second.json.link)
		});
		expect(fresh.json.member.id).toBe(memberId);
	});

	test('a wrong secret, or a secret of another group, is refused alike', async () => {
		const g = await createGroup(server.url);
		const other = await createGroup(server.url);
		for (const [gid, secret] of [
			[g.groupId, 'x'.repeat(32)],
			[g.groupId, secretOf(other.links.invite)],
			['nosuchgroup', secretOf(g.links.invite)]
		]) {
			const res = await api(server.url, 'POST', `/api/groups/${gid}/access`, { secret });
			expect(res.status).toBe(403);
			expect(res.json.error.code).toBe('invalid_link');
		}
	});

	test('rotating the invite link: the old link stops at once, members already in stay', async () => {
		const g = await createGroup(server.url);
		const ville = new Device();
		await openLink(server.url, g.groupId, g.links.invite, ville);
		const rotated = await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/links/invite/rotate`,
			{}
		);
		expect(rotated.json.link).not.toBe(g.links.invite);
		const late = await new Device().call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(g.links.invite),
			name: 'Myöhäinen'
		});
		expect(late.status).toBe(403);
		expect((await ville.call(server.url, 'GET', `/api/groups/${g.groupId}`)).status).toBe(200);
		await openLink(server.url, g.groupId, rotated.json.link, new Device(), {
			name: 'Uusi',
			industry: 'IT'
		});
	});

	test('rotating the facilitator link withdraws the role it gave, also from open sockets', async () => {
		const g = await createGroup(server.url);
		const co = new Device();
		const coMember = await openLink(server.url, g.groupId, g.links.facilitator, co, {
			name: 'Sanna',
			industry: 'kirjanpito'
		});
		expect(coMember.role).toBe('facilitator');
		const { sessionId } = await startGroupSession(server.url, g);
		const socket = open(sessionId, coMember.token);
		await synced(socket);
		expect(listParticipants(socket.doc).find((p) => p.name === 'Sanna')?.role).toBe('facilitator');

		await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/links/facilitator/rotate`,
			{}
		);
		await waitFor(() => socket.closes.length > 0, 'close');
		expect(socket.closes[0]!.code).toBe(CLOSE.accessChanged);
		// The stock provider reconnects by itself (45xx), now as a member.
		await waitFor(
			() => listParticipants(socket.doc).find((p) => p.name === 'Sanna')?.role === 'participant',
			'demoted'
		);
		const home = await co.call(server.url, 'GET', `/api/groups/${g.groupId}`);
		expect(home.json.me.role).toBe('member');
		const control = await co.call(server.url, 'POST', `/api/sessions/${sessionId}/close`, {});
		expect(control.status).toBe(403);
		// The creator keeps the role; the old link gives nothing any more.
		const fac = await g.facilitator.call(server.url, 'GET', `/api/groups/${g.groupId}`);
		expect(fac.json.me.role).toBe('facilitator');
		const old = await new Device().call(server.url, 'POST', `/api/groups/${g.groupId}/access`, {
			secret: secretOf(g.links.facilitator),
			name: 'X'
		});
		expect(old.status).toBe(403);
	});

	test('co-facilitators: promoting a member, and demoting closes their sockets', async () => {
		const g = await createGroup(server.url);
		const ville = new Device();
		const v = await openLink(server.url, g.groupId, g.links.invite, ville);
		const promoted = await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/members/${v.memberId}/role`,
			{ role: 'facilitator' }
		);
		expect(promoted.json.member.role).toBe('facilitator');
		// A promoted co-facilitator survives a rotation of the facilitator link.
		await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/links/facilitator/rotate`,
			{}
		);
		expect((await ville.call(server.url, 'GET', `/api/groups/${g.groupId}`)).json.me.role).toBe(
			'facilitator'
		);
		const { sessionId } = await startGroupSession(server.url, g);
		const socket = open(sessionId, v.token);
		await synced(socket);
		await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/members/${v.memberId}/role`,
			{
				role: 'member'
			}
		);
		await waitFor(() => socket.closes.length > 0, 'close');
		expect(socket.closes[0]!.code).toBe(CLOSE.accessChanged);
		const self = await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/members/${g.facilitatorMemberId}/role`,
			{ role: 'member' }
		);
		expect(self.status).toBe(400);
	});
});

describe('group sessions', () => {
	test('members join their group’s session without a form; the bare link admits nobody', async () => {
		const g = await createGroup(server.url);
		const ville = new Device();
		const v = await openLink(server.url, g.groupId, g.links.invite, ville);
		const { sessionId } = await startGroupSession(server.url, g);

		const me = await ville.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
		expect(me.status).toBe(200);
		expect(me.json.participant).toMatchObject({
			name: 'Ville',
			industry: 'leipomo',
			role: 'participant'
		});
		const again = await ville.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
		expect(again.json.participant.id).toBe(me.json.participant.id);

		const facts = await ville.call(server.url, 'GET', `/api/sessions/${sessionId}`);
		expect(facts.json).toMatchObject({ closedAt: null, group: { id: g.groupId } });

		const socket = open(sessionId, v.token);
		await synced(socket);
		addIdea(
			socket.doc,
			{ participantId: me.json.participant.id, industry: 'leipomo' },
			'Ruisleipäkurssi'
		);
		await waitFor(() => listIdeas(server.rooms.peek(sessionId)!.doc).length === 1, 'idea stored');

		// Someone with only the session link: nothing, not even that it exists.
		const outsider = new Device();
		expect((await outsider.call(server.url, 'GET', `/api/sessions/${sessionId}`)).status).toBe(404);
		const join = await outsider.call(
			server.url,
			'POST',
			`/api/sessions/${sessionId}/participants`,
			{
				name: 'Mallory'
			}
		);
		expect(join.status).toBe(404);
		const anon = open(sessionId, 'not-a-token');
		await waitFor(() => anon.closes.length > 0, 'refusal');
		expect(anon.closes[0]!.code).toBe(CLOSE.unknownSession);

		// Members do not use the participants route.
		const viaForm = await ville.call(
			server.url,
			'POST',
			`/api/sessions/${sessionId}/participants`,
			{
				name: 'Ville'
			}
		);
		expect(viaForm.status).toBe(403);
	});

	test('one live session per group; the home shows it with its counts', async () => {
		const g = await createGroup(server.url);
		const { sessionId } = await startGroupSession(server.url, g);
		const second = await g.facilitator.call(
			server.url,
			'POST',
			`/api/groups/${g.groupId}/sessions`,
			{
				title: 'Toinen'
			}
		);
		expect(second.status).toBe(409);
		const home = await g.facilitator.call(server.url, 'GET', `/api/groups/${g.groupId}`);
		expect(home.json.live).toMatchObject({ id: sessionId, ideaCount: 0, participantCount: 1 });
	});

	test('a guest link admits to one session only; rotating it shuts out the guests it admitted', async () => {
		const g = await createGroup(server.url);
		const { sessionId, guestLink } = await startGroupSession(server.url, g);
		expect(guestLink).toMatch(new RegExp(`^/guest/${sessionId}#`));
		const preview = await api(server.url, 'POST', `/api/sessions/${sessionId}/guests`, {
			secret: secretOf(guestLink)
		});
		expect(preview.json).toEqual({
			needsProfile: true,
			session: { id: sessionId, title: 'Marraskuun ilta' }
		});
		const guest = await admitGuest(server.url, sessionId, secretOf(guestLink));
		const facts = await guest.device.call(server.url, 'GET', `/api/sessions/${sessionId}`);
		expect(facts.json.group).toBeNull();
		expect((await guest.device.call(server.url, 'GET', `/api/groups/${g.groupId}`)).status).toBe(
			404
		);
		const me = await guest.device.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
		expect(me.json.joinCode).toBeUndefined();

		// The join code, shown on the projector, admits guests too.
		const facMe = await g.facilitator.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
		const code = facMe.json.joinCode as string;
		const lookup = await api(server.url, 'GET', `/api/join/${code}`);
		expect(lookup.json.joinPath).toBe(`/guest/${sessionId}#${code}`);
		const roomGuest = await admitGuest(server.url, sessionId, code.toLowerCase(), 'Paikalla');

		const linkSocket = open(sessionId, guest.token);
		const codeSocket = open(sessionId, roomGuest.token);
		await Promise.all([synced(linkSocket), synced(codeSocket)]);
		const rotated = await g.facilitator.call(
			server.url,
			'POST',
			`/api/sessions/${sessionId}/guest-link`,
			{}
		);
		expect(rotated.json.link).not.toBe(guestLink);
		await waitFor(() => linkSocket.closes.length > 0, 'guest closed');
		expect(linkSocket.closes[0]!.code).toBe(CLOSE.unauthenticated);
		expect((await guest.device.call(server.url, 'GET', `/api/sessions/${sessionId}`)).status).toBe(
			404
		);
		expect(codeSocket.closes).toEqual([]);
		const stale = await api(server.url, 'POST', `/api/sessions/${sessionId}/guests`, {
			secret: secretOf(guestLink),
			name: 'X'
		});
		expect(stale.status).toBe(403);
		await admitGuest(server.url, sessionId, secretOf(rotated.json.link));
	});
});

describe('leaving', () => {
	test('a member who leaves is shut out at once, sockets included, and their cookie is cleared', async () => {
		const g = await createGroup(server.url);
		const ville = new Device();
		const v = await openLink(server.url, g.groupId, g.links.invite, ville);
		const kept = ville.clone(); // a copy of the cookie, as if kept somewhere
		const { sessionId } = await startGroupSession(server.url, g);
		const socket = open(sessionId, v.token);
		await synced(socket);
		const left = await ville.call(server.url, 'POST', `/api/groups/${g.groupId}/leave`, {
			ideas: 'anonymise'
		});
		expect(left.status).toBe(200);
		expect(ville.cookies.size).toBe(0);
		await waitFor(() => socket.closes.length > 0, 'close');
		expect(socket.closes[0]!.code).toBe(CLOSE.unauthenticated);
		expect((await kept.call(server.url, 'GET', `/api/groups/${g.groupId}`)).status).toBe(404);
		expect((await kept.call(server.url, 'GET', `/api/sessions/${sessionId}`)).status).toBe(404);
		const home = await g.facilitator.call(server.url, 'GET', `/api/groups/${g.groupId}`);
		expect(home.json.members).toHaveLength(1);
	});

	test('leave needs a choice', async () => {
		const g = await createGroup(server.url);
		const res = await g.facilitator.call(server.url, 'POST', `/api/groups/${g.groupId}/leave`, {});
		expect(res.status).toBe(400);
		expect(res.json.error.field).toBe('ideas');
	});
});
