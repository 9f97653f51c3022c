/**
 * The authorization matrix, as data (OWASP "authorization testing
 * automation"): one table says, for every HTTP route of a group and its
 * sessions and for the sync endpoint, what each kind of person gets. The
 * tests run every cell against a real server; a last test checks that the
 * table names every route the API has.
 *
 * People (columns):
 * - outsider — no cookie at all (e.g. someone who only has a session link)
 * - other — a facilitator of another group
 * - guest — admitted to tonight's live session with the join code
 * - member — joined with the invite link
 * - facilitator — created the group
 * - left — a member who left; still holds a copy of their old cookie
 * - demoted — got facilitator rights through the facilitator link, which was
 *   then rotated: a plain member now
 * - stale — tried the invite link after it was rotated (and got nothing)
 *
 * Sessions: `live` is tonight's; `archived` is last month's, closed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiRouter, type ApiDeps } from '../src/http/api.js';
import { RATE_LIMITS } from '../src/limits.js';
import type { KipinaServer } from '../src/server.js';
import {
	Device,
	admitGuest,
	createGroup,
	openLink,
	secretOf,
	startGroupSession
} from './groups.helpers.js';
import { startTestServer, waitFor } from './helpers.js';
import { rawSocket } from './raw.js';

const ROLES = [
	'outsider',
	'other',
	'guest',
	'member',
	'facilitator',
	'left',
	'demoted',
	'stale'
] as const;
type Role = (typeof ROLES)[number];
type Outcome = number | 'open';

interface World {
	groupId: string;
	live: string | null;
	archived: string;
	/** The member's id, and their participant tonight (for their private desk). */
	memberId: string;
	memberParticipant: string | null;
	staleInvite: string;
	staleGuestLink: string | null;
	devices: Record<Role, Device>;
	/** Device tokens, for sockets. */
}

interface Row {
	name: string;
	method: 'GET' | 'POST' | 'DELETE' | 'SYNC';
	/** The route as the API declares it (checked against the routers below). */
	route: string;
	path: (w: World) => string;
	body?: (w: World) => unknown;
	/** Build a world for each cell (the request changes or destroys it). */
	fresh?: boolean;
	/** Fresh worlds without a live session (to start one). */
	noLive?: boolean;
	expect: Record<Role, Outcome>;
}

/** Expected outcomes, in the order of ROLES. */
const by = (...outcomes: Outcome[]): Record<Role, Outcome> =>
	Object.fromEntries(ROLES.map((r, i) => [r, outcomes[i]!])) as Record<Role, Outcome>;

// outsider, other, guest, member, facilitator, left, demoted, stale
const MEMBERS_ONLY = by(404, 404, 404, 200, 200, 404, 200, 404);
const FACILITATORS = by(404, 404, 404, 403, 200, 404, 403, 404);
const LIVE_VISIBLE = by(404, 404, 200, 200, 200, 404, 200, 404);
const LIVE_READERS = by(404, 404, 403, 200, 200, 404, 200, 404);
const LIVE_CONTROL = by(404, 404, 403, 403, 200, 404, 403, 404);

const live = (w: World) => `/api/sessions/${w.live}`;
const archived = (w: World) => `/api/sessions/${w.archived}`;
const group = (w: World) => `/api/groups/${w.groupId}`;

const MATRIX: Row[] = [
	// --- the group ---
	{ name: 'group home', method: 'GET', route: '/groups/:gid', path: group, expect: MEMBERS_ONLY },
	{
		name: 'archive list',
		method: 'GET',
		route: '/groups/:gid/archive',
		path: (w) => `${group(w)}/archive?q=ilta`,
		expect: MEMBERS_ONLY
	},
	{
		name: 'open actions',
		method: 'GET',
		route: '/groups/:gid/actions',
		path: (w) => `${group(w)}/actions`,
		expect: MEMBERS_ONLY
	},
	{
		name: "last month's review",
		method: 'GET',
		route: '/groups/:gid/review',
		path: (w) => `${group(w)}/review`,
		expect: MEMBERS_ONLY
	},
	{
		name: 'exchange the rotated invite link',
		method: 'POST',
		route: '/groups/:gid/access',
		path: (w) => `${group(w)}/access`,
		body: (w) => ({ secret: w.staleInvite, name: 'Joku', industry: 'IT' }),
		expect: by(403, 403, 403, 403, 403, 403, 403, 403)
	},
	{
		name: 'start a session',
		method: 'POST',
		route: '/groups/:gid/sessions',
		path: (w) => `${group(w)}/sessions`,
		body: () => ({ title: 'Uusi ilta' }),
		fresh: true,
		noLive: true,
		expect: by(404, 404, 404, 403, 201, 404, 403, 404)
	},
	{
		name: 'rotate the invite link',
		method: 'POST',
		route: '/groups/:gid/links/:kind/rotate',
		path: (w) => `${group(w)}/links/invite/rotate`,
		body: () => ({}),
		fresh: true,
		expect: FACILITATORS
	},
	{
		name: 'rotate the facilitator link',
		method: 'POST',
		route: '/groups/:gid/links/:kind/rotate',
		path: (w) => `${group(w)}/links/facilitator/rotate`,
		body: () => ({}),
		fresh: true,
		expect: FACILITATORS
	},
	{
		name: 'issue my personal link',
		method: 'POST',
		route: '/groups/:gid/personal-link',
		path: (w) => `${group(w)}/personal-link`,
		body: () => ({}),
		expect: MEMBERS_ONLY
	},
	{
		name: 'make a member co-facilitator',
		method: 'POST',
		route: '/groups/:gid/members/:mid/role',
		path: (w) => `${group(w)}/members/${w.memberId}/role`,
		body: () => ({ role: 'facilitator' }),
		fresh: true,
		expect: FACILITATORS
	},
	{
		name: 'remove a member',
		method: 'DELETE',
		route: '/groups/:gid/members/:mid',
		path: (w) => `${group(w)}/members/${w.memberId}`,
		body: () => ({}),
		fresh: true,
		expect: FACILITATORS
	},
	{
		name: 'leave the group',
		method: 'POST',
		route: '/groups/:gid/leave',
		path: (w) => `${group(w)}/leave`,
		body: () => ({ ideas: 'anonymise' }),
		fresh: true,
		expect: MEMBERS_ONLY
	},
	{
		name: 'delete the group',
		method: 'DELETE',
		route: '/groups/:gid',
		path: group,
		body: () => ({}),
		fresh: true,
		expect: FACILITATORS
	},
	// --- tonight's live session ---
	{ name: 'live: facts', method: 'GET', route: '/sessions/:id', path: live, expect: LIVE_VISIBLE },
	{
		name: 'live: me',
		method: 'GET',
		route: '/sessions/:id/me',
		path: (w) => `${live(w)}/me`,
		expect: LIVE_VISIBLE
	},
	{
		name: 'live: join with the bare link',
		method: 'POST',
		route: '/sessions/:id/participants',
		path: (w) => `${live(w)}/participants`,
		body: () => ({ name: 'Joku', industry: 'IT' }),
		expect: by(404, 404, 403, 403, 403, 404, 403, 404)
	},
	{
		name: 'live: join with the rotated guest link',
		method: 'POST',
		route: '/sessions/:id/guests',
		path: (w) => `${live(w)}/guests`,
		body: (w) => ({ secret: w.staleGuestLink, name: 'Joku', industry: 'IT' }),
		expect: by(403, 403, 403, 403, 403, 403, 403, 403)
	},
	{
		name: 'live: summary',
		method: 'GET',
		route: '/sessions/:id/summary',
		path: (w) => `${live(w)}/summary`,
		expect: LIVE_READERS
	},
	...(['csv', 'md', 'json'] as const).map((format): Row => ({
		name: `live: ${format} export`,
		method: 'GET',
		route: '/sessions/:id/export/:format',
		path: (w) => `${live(w)}/export/${format}`,
		expect: LIVE_READERS
	})),
	{
		name: 'live: reveal private ideas',
		method: 'POST',
		route: '/sessions/:id/reveal',
		path: (w) => `${live(w)}/reveal`,
		body: () => ({}),
		expect: LIVE_CONTROL
	},
	{
		name: 'live: add a proxy participant',
		method: 'POST',
		route: '/sessions/:id/proxies',
		path: (w) => `${live(w)}/proxies`,
		body: () => ({ name: 'Eero', industry: 'poroisäntä' }),
		expect: by(404, 404, 403, 403, 201, 404, 403, 404)
	},
	{
		name: 'live: new guest link',
		method: 'POST',
		route: '/sessions/:id/guest-link',
		path: (w) => `${live(w)}/guest-link`,
		body: () => ({}),
		fresh: true,
		expect: LIVE_CONTROL
	},
	{
		name: 'live: close',
		method: 'POST',
		route: '/sessions/:id/close',
		path: (w) => `${live(w)}/close`,
		body: () => ({}),
		fresh: true,
		expect: LIVE_CONTROL
	},
	{
		name: 'live: sync',
		method: 'SYNC',
		route: 'sync',
		path: (w) => `${w.live}`,
		expect: by(4404, 4404, 'open', 'open', 'open', 4404, 'open', 4404)
	},
	{
		name: "live: sync the member's private desk",
		method: 'SYNC',
		route: 'sync desk',
		path: (w) => `${w.live}/desk/${w.memberParticipant}`,
		expect: by(4404, 4404, 4403, 'open', 4403, 4404, 4403, 4404)
	},
	// --- last month's archived session ---
	{
		name: 'archived: facts',
		method: 'GET',
		route: '/sessions/:id',
		path: archived,
		expect: MEMBERS_ONLY
	},
	{
		name: 'archived: me',
		method: 'GET',
		route: '/sessions/:id/me',
		path: (w) => `${archived(w)}/me`,
		expect: MEMBERS_ONLY
	},
	{
		name: 'archived: summary',
		method: 'GET',
		route: '/sessions/:id/summary',
		path: (w) => `${archived(w)}/summary`,
		expect: MEMBERS_ONLY
	},
	...(['csv', 'md', 'json'] as const).map((format): Row => ({
		name: `archived: ${format} export`,
		method: 'GET',
		route: '/sessions/:id/export/:format',
		path: (w) => `${archived(w)}/export/${format}`,
		expect: MEMBERS_ONLY
	})),
	{
		name: 'archived: close again',
		method: 'POST',
		route: '/sessions/:id/close',
		path: (w) => `${archived(w)}/close`,
		body: () => ({}),
		expect: by(404, 404, 404, 403, 409, 404, 403, 404)
	},
	{
		name: 'archived: reveal',
		method: 'POST',
		route: '/sessions/:id/reveal',
		path: (w) => `${archived(w)}/reveal`,
		body: () => ({}),
		expect: by(404, 404, 404, 403, 410, 404, 403, 404)
	},
	{
		name: 'archived: sync (read-only)',
		method: 'SYNC',
		route: 'sync',
		path: (w) => w.archived,
		expect: by(4404, 4404, 4404, 'open', 'open', 4404, 'open', 4404)
	}
];

/** Routes anyone may use, and why they are outside the matrix. */
const PUBLIC_ROUTES = new Set([
	'GET /health', // liveness
	'GET /time', // server clock
	'POST /sessions', // anyone may start an ad-hoc evening
	'POST /sessions/import', // anyone may start an evening from an export
	'POST /groups', // anyone may start a group
	'GET /join/:code' // looks up a code (a capability itself), rate-limited
]);

let server: KipinaServer;
let shared: World;

beforeAll(async () => {
	server = await startTestServer({
		rateLimits: {
			...RATE_LIMITS,
			httpWrites: { capacity: 100_000, perSecond: 10_000 },
			connections: { capacity: 10_000, perSecond: 1000 },
			joinCodes: { capacity: 10_000, perSecond: 1000 }
		}
	});
	shared = await world();
});
afterAll(() => server.close());

async function world(options: { live?: boolean } = {}): Promise<World> {
	const base = server.url;
	const g = await createGroup(base);
	const member = new Device();
	const m = await openLink(base, g.groupId, g.links.invite, member);
	const demoted = new Device();
	await openLink(base, g.groupId, g.links.facilitator, demoted, { name: 'Sanna', industry: 'IT' });
	const left = new Device();
	await openLink(base, g.groupId, g.links.invite, left, { name: 'Lähtijä', industry: 'kahvila' });

	const last = await startGroupSession(base, g, 'Lokakuun ilta');
	for (const d of [member, demoted, left, g.facilitator]) {
		await d.call(base, 'GET', `/api/sessions/${last.sessionId}/me`);
	}
	await g.facilitator.call(base, 'POST', `/api/sessions/${last.sessionId}/close`, {});

	let liveId: string | null = null;
	let memberParticipant: string | null = null;
	let staleGuestLink: string | null = null;
	const guest = new Device();
	if (options.live !== false) {
		const tonight = await startGroupSession(base, g, 'Marraskuun ilta');
		liveId = tonight.sessionId;
		const me = await member.call(base, 'GET', `/api/sessions/${liveId}/me`);
		memberParticipant = me.json.participant.id;
		await left.call(base, 'GET', `/api/sessions/${liveId}/me`);
		const facMe = await g.facilitator.call(base, 'GET', `/api/sessions/${liveId}/me`);
		const admitted = await admitGuest(base, liveId, facMe.json.joinCode);
		for (const [k, v] of admitted.device.cookies) guest.cookies.set(k, v);
		await g.facilitator.call(base, 'POST', `/api/sessions/${liveId}/guest-link`, {});
		staleGuestLink = secretOf(tonight.guestLink);
	}

	await g.facilitator.call(base, 'POST', `/api/groups/${g.groupId}/links/invite/rotate`, {});
	await g.facilitator.call(base, 'POST', `/api/groups/${g.groupId}/links/facilitator/rotate`, {});
	const leftCopy = left.clone();
	await left.call(base, 'POST', `/api/groups/${g.groupId}/leave`, { ideas: 'delete' });
	const stale = new Device();
	await stale.call(base, 'POST', `/api/groups/${g.groupId}/access`, {
		secret: secretOf(g.links.invite),
		name: 'Myöhäinen'
	});
	const other = (await createGroup(base, 'Toinen ryhmä', 'Olli', 'rakennus')).facilitator;

	return {
		groupId: g.groupId,
		live: liveId,
		archived: last.sessionId,
		memberId: m.memberId,
		memberParticipant,
		staleInvite: secretOf(g.links.invite),
		staleGuestLink,
		devices: {
			outsider: new Device(),
			other,
			guest,
			member,
			facilitator: g.facilitator,
			left: leftCopy,
			demoted,
			stale
		}
	};
}

/** 'open' when the server accepts the socket (it sends sync step 1), else its close code. */
async function syncOutcome(path: string, device: Device): Promise<Outcome> {
	const [sessionId, ...rest] = path.split('/');
	const socket = await rawSocket(server.port, [sessionId, ...rest].join('/'), {}, device.header);
	let settled: Outcome | null = null;
	void socket.closed.then((c) => (settled ??= c.code));
	await waitFor(() => (settled ??= socket.messages.length > 0 ? 'open' : null) !== null, path);
	const first = settled!;
	socket.ws.close();
	return first;
}

async function outcome(row: Row, w: World, role: Role): Promise<Outcome> {
	const device = w.devices[role];
	if (row.method === 'SYNC') return syncOutcome(row.path(w), device);
	const res = await device.call(server.url, row.method, row.path(w), row.body?.(w));
	return res.status;
}

describe.each(MATRIX)('$name ($method $route)', (row) => {
	test.each(ROLES)('%s', async (role) => {
		const w = row.fresh ? await world({ live: !row.noLive }) : shared;
		expect(await outcome(row, w, role)).toBe(row.expect[role]);
	});
});

describe('the matrix covers the API', () => {
	/** `METHOD /path` of every route the API routers declare (nested routers included). */
	function declaredRoutes(): string[] {
		type Layer = {
			route?: { path: string; methods: Record<string, boolean> };
			handle?: { stack?: Layer[] };
		};
		const out: string[] = [];
		const walk = (stack: Layer[]) => {
			for (const layer of stack) {
				if (layer.route) {
					for (const method of Object.keys(layer.route.methods)) {
						out.push(`${method.toUpperCase()} ${layer.route.path}`);
					}
				} else if (layer.handle?.stack) walk(layer.handle.stack);
			}
		};
		walk((apiRouter({} as ApiDeps) as unknown as { stack: Layer[] }).stack);
		return out;
	}

	test('every declared route is in the matrix or deliberately public', () => {
		const covered = new Set(MATRIX.map((r) => `${r.method} ${r.route}`));
		const missing = declaredRoutes().filter((r) => !covered.has(r) && !PUBLIC_ROUTES.has(r));
		expect(missing).toEqual([]);
	});

	test('and the sync endpoint (board and desk) is in it', () => {
		expect(MATRIX.filter((r) => r.method === 'SYNC').map((r) => r.route)).toEqual(
			expect.arrayContaining(['sync', 'sync desk'])
		);
	});
});
