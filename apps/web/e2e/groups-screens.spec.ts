/**
 * Screenshots of the group pages, for looking at them (not assertions):
 *   KIPINA_SCREENS=1 pnpm exec playwright test --grep @screens
 * Seeds a group with two closed evenings and a live one over the real API and
 * real y-websocket clients, then saves the front page, group creation, the
 * group home, starting with last month's review, members and links, the join
 * and guest forms, the archive viewer, the printable page and what an
 * outsider sees, at phone, laptop and projector sizes into /tmp/kipina-shots-groups/.
 */
import { mkdirSync } from 'node:fs';
import {
	addIdea,
	createAction,
	createBoardDoc,
	createCluster,
	listIdeas,
	updateAction,
	vote
} from '@kipina/board';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';

const OUT = '/tmp/kipina-shots-groups';
const BASE = () => process.env.KIPINA_BASE_URL!;
const SIZES = {
	phone: { width: 360, height: 780 },
	laptop: { width: 1366, height: 768 },
	projector: { width: 1920, height: 1080 }
} as const;
type Size = keyof typeof SIZES;

interface Member {
	token: string;
	name: string;
	industry: string;
}

async function call(method: string, path: string, token: string | null, body?: unknown) {
	const res = await fetch(BASE() + path, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body === undefined ? {} : { 'content-type': 'application/json' })
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- seeding, checked by status
	const json = (await res.json()) as any;
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
	return json;
}

/** One evening: ideas from everyone, two clusters, votes and actions; closed unless `live`. */
async function evening(
	groupId: string,
	people: Member[],
	title: string,
	ideas: string[][],
	live = false
): Promise<string> {
	const fac = people[0]!;
	const { id } = await call('POST', `/api/groups/${groupId}/sessions`, fac.token, { title });
	const port = Number(new URL(BASE()).port);
	const replicas: {
		doc: ReturnType<typeof createBoardDoc>;
		provider: WebsocketProvider;
		pid: string;
		person: Member;
	}[] = [];
	for (const person of people) {
		const me = await call('GET', `/api/sessions/${id}/me`, person.token);
		const doc = createBoardDoc();
		const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, id, doc, {
			WebSocketPolyfill: WebSocket as never,
			params: { token: person.token },
			disableBc: true
		});
		await new Promise((resolve) => provider.once('sync', resolve));
		replicas.push({ doc, provider, pid: me.participant.id as string, person });
	}
	const posted: string[] = [];
	ideas.forEach((texts, i) => {
		const r = replicas[i % replicas.length]!;
		for (const text of texts) {
			posted.push(addIdea(r.doc, { participantId: r.pid, industry: r.person.industry }, text));
		}
	});
	const f = replicas[0]!;
	const deadline = Date.now() + 10_000;
	while (listIdeas(f.doc).length < posted.length && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 20));
	}
	createCluster(
		f.doc,
		f.pid,
		[posted[0]!, posted[3]!, posted[5]!],
		'Yhteistyö matkailijoiden kanssa'
	);
	createCluster(f.doc, f.pid, [posted[1]!, posted[4]!], 'Raha ja hankinnat');
	// Each person's dots, within the default budget (5, at most 3 on one idea).
	for (const [who, idea, n] of [
		[0, 0, 2],
		[0, 3, 1],
		[1, 0, 1],
		[1, 1, 2],
		[2, 3, 1],
		[2, 6, 1],
		[3, 0, 1]
	] as const) {
		const r = replicas[who % replicas.length]!;
		for (let k = 0; k < n; k++) vote(r.doc, r.pid, posted[idea]!, 1);
	}
	createAction(f.doc, f.pid, {
		text: 'Kysy hotellilta aamiaisyhteistyöstä ennen joulua',
		source: { kind: 'idea', id: posted[0]! },
		ownerIds: [replicas[1]!.pid],
		due: '2025-12-12'
	});
	const done = createAction(f.doc, f.pid, {
		text: 'Kokoa yhteishankintojen lista',
		source: { kind: 'idea', id: posted[1]! },
		ownerIds: [replicas[2]!.pid]
	});
	updateAction(f.doc, done, { status: 'done' });
	await new Promise((r) => setTimeout(r, 300));
	for (const r of replicas) r.provider.destroy();
	if (!live) await call('POST', `/api/sessions/${id}/close`, fac.token, {});
	return id;
}

async function seed() {
	const created = await call('POST', '/api/groups', null, {
		groupName: 'Rovaniemen ydinryhmä',
		place: 'Rovaniemi',
		language: 'fi',
		name: 'Aino Korhonen',
		industry: 'matkailu'
	});
	const groupId = created.group.id as string;
	const invite = created.links.invite as string;
	const people: Member[] = [{ token: created.token, name: 'Aino Korhonen', industry: 'matkailu' }];
	for (const [name, industry] of [
		['Ville Nieminen', 'leipomo'],
		['Sanna Mäkinen', 'kirjanpito'],
		['Jussi Lehtonen', 'IT']
	]) {
		const secret = invite.slice(invite.indexOf('#') + 1);
		const res = await call('POST', `/api/groups/${groupId}/access`, null, {
			secret,
			name,
			industry
		});
		people.push({ token: res.token, name: name!, industry: industry! });
	}
	const ideas = [
		[
			'Yhteinen joulumarkkinapaketti: safari, leivonnaiset ja käsityöt samaan lippuun',
			'Talven hiljaisille viikoille yrityksille räätälöidyt virkistyspäivät'
		],
		['Aamiaisleivät safariryhmille suoraan majoitukseen', 'Ruisleipäkurssi matkailijoille'],
		['Kuukausittainen kassavirtaklinikka: 30 minuuttia per yritys', 'Yhteishankinnat'],
		['Yhteinen ajanvarausjärjestelmä', 'Somevideoita vuorotellen toistemme yrityksistä']
	];
	const october = await evening(groupId, people, 'Lokakuun ilta', ideas);
	const november = await evening(groupId, people, 'Marraskuun ilta', ideas);
	return { groupId, invite, people, october, november };
}

async function open(
	browser: Browser,
	size: Size,
	cookieToken?: { groupId: string; token: string }
) {
	const phone = size === 'phone';
	const context = await browser.newContext({
		baseURL: BASE(),
		locale: 'fi-FI',
		viewport: SIZES[size],
		deviceScaleFactor: phone ? 2 : 1,
		isMobile: phone,
		hasTouch: phone
	});
	if (cookieToken) {
		// Sign in as that member on this device, with a personal link.
		const { link } = await call(
			'POST',
			`/api/groups/${cookieToken.groupId}/personal-link`,
			cookieToken.token,
			{}
		);
		const page = await context.newPage();
		await page.goto(link);
		await expect(page).toHaveURL(new RegExp(`/g/${cookieToken.groupId}$`));
		return { context, page };
	}
	return { context, page: await context.newPage() };
}

async function shoot(page: Page, name: string, fullPage = true) {
	await page.evaluate(() => document.fonts.ready);
	await page.screenshot({ path: `${OUT}/${name}.png`, fullPage, animations: 'disabled' });
	// Long phone pages also in screen-sized parts, to be read at full size.
	const { width, height } = page.viewportSize()!;
	const total = await page.evaluate(() => document.documentElement.scrollHeight);
	if (!fullPage || width > 500 || total <= height) return;
	for (let y = 0, part = 1; y < total; y += height, part++) {
		await page.screenshot({
			path: `${OUT}/${name}-part${part}.png`,
			fullPage: true,
			clip: { x: 0, y, width, height: Math.min(height, total - y) },
			animations: 'disabled'
		});
	}
}

test('@screens group pages', async ({ browser }) => {
	test.setTimeout(180_000);
	mkdirSync(OUT, { recursive: true });
	const world = await seed();
	const aino = { groupId: world.groupId, token: world.people[0]!.token };
	const ville = { groupId: world.groupId, token: world.people[1]!.token };

	for (const size of Object.keys(SIZES) as Size[]) {
		const anon = await open(browser, size);
		await anon.page.goto('/');
		await shoot(anon.page, `groups-front-${size}`);
		await anon.page.goto('/g/new');
		await shoot(anon.page, `groups-new-${size}`);
		await anon.page.goto(world.invite);
		await expect(anon.page.getByRole('button', { name: 'Liity ryhmään' })).toBeVisible();
		await shoot(anon.page, `groups-join-${size}`);
		await anon.context.close();

		const fac = await open(browser, size, aino);
		await fac.page.goto(`/g/${world.groupId}/start`);
		await expect(fac.page.getByText('Viime kerran katsaus')).toBeVisible();
		await shoot(fac.page, `groups-start-${size}`);
		await fac.page.goto(`/g/${world.groupId}`);
		await shoot(fac.page, `groups-home-idle-${size}`);
		await fac.page.goto(`/g/${world.groupId}/manage`);
		await shoot(fac.page, `groups-manage-${size}`);
		await fac.page.goto(`/a/${world.november}`);
		await expect(fac.page.getByRole('heading', { name: 'Marraskuun ilta' })).toBeVisible();
		await shoot(fac.page, `groups-archive-${size}`);
		await fac.page.goto(`/a/${world.november}/print`);
		await shoot(fac.page, `groups-print-${size}`);
		await fac.page.emulateMedia({ media: 'print' });
		await shoot(fac.page, `groups-print-media-${size}`);
		await fac.page.emulateMedia({ media: 'screen' });
		await fac.context.close();

		const outsider = await open(browser, size);
		await outsider.page.goto(`/a/${world.november}`);
		await expect(
			outsider.page.getByRole('heading', { name: 'Ilta ei ole saatavilla' })
		).toBeVisible();
		await shoot(outsider.page, `groups-outsider-${size}`, false);
		await outsider.context.close();
	}

	// With a live evening: the group home as a facilitator and a member, and the guest form.
	const liveId = await evening(
		world.groupId,
		world.people,
		'Joulukuun ilta',
		[
			['Joulukalenteri'],
			['Pipari'],
			['Kassa'],
			['Some'],
			['Yhteinen mainos'],
			['Lahjakortti'],
			['Arpajaiset']
		],
		true
	);
	for (const size of Object.keys(SIZES) as Size[]) {
		const fac = await open(browser, size, aino);
		await fac.page.getByRole('button', { name: 'Tee vieraslinkki' }).click();
		await expect(fac.page.getByTestId('guest-link')).toBeVisible();
		await shoot(fac.page, `groups-home-live-${size}`);
		const guestLink = await fac.page.getByTestId('guest-link').inputValue();
		await fac.context.close();

		const member = await open(browser, size, ville);
		await shoot(member.page, `groups-home-member-${size}`);
		await member.context.close();

		const guest = await open(browser, size);
		await guest.page.goto(guestLink);
		await expect(guest.page.getByRole('heading', { name: 'Liity vieraana' })).toBeVisible();
		await shoot(guest.page, `groups-guest-${size}`);
		await guest.context.close();
	}
	expect(liveId).toBeTruthy();
});
