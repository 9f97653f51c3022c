/**
 * Screenshots for looking at the product, not assertions about it:
 *   KIPINA_SCREENS=1 pnpm exec playwright test --grep @screens
 * Saves PNGs of the front page, the join form and a board with 12 ideas from
 * 4 people at phone, laptop and projector sizes into /tmp/kipina-shots/.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { boardMaps, createAction, createCluster, listIdeas, offerHelp } from '@kipina/board';
import { ideaCard } from './helpers';
import { IDEAS_FI } from './ideas.fi';
import { Remote, crowd, joinAs, startEveningIn } from './seed';
import { OUT, PEOPLE, SIZES, join, open, post, shoot, type Size } from './shots';

test('screenshots @screens', async ({ browser }) => {
	test.setTimeout(120_000);
	mkdirSync(OUT, { recursive: true });

	for (const size of Object.keys(SIZES) as Size[]) {
		for (const locale of ['fi-FI', 'en-US']) {
			const { context, page } = await open(browser, size, locale);
			await page.goto('/');
			await expect(page.locator('form')).toBeVisible();
			await shoot(page, `front-${size}-${locale.slice(0, 2)}`, true);
			await context.close();
		}
	}

	// Aino starts the evening; the others join and post three ideas each.
	const [aino, ...others] = PEOPLE;
	const host = await open(browser, 'laptop');
	await host.page.goto('/');
	await host.page.getByLabel('Illan nimi').fill('Ydinryhmä, marraskuu');
	await host.page.getByLabel('Nimesi').fill(aino!.name);
	await host.page.getByLabel('Toimialasi').fill(aino!.industry);
	await host.page.getByRole('button', { name: 'Aloita ilta' }).click();
	const href = await host.page.getByTestId('share-link').getAttribute('href');
	const link = new URL(href ?? '', host.page.url()).href;

	for (const size of Object.keys(SIZES) as Size[]) {
		const { context, page } = await open(browser, size);
		await page.goto(link);
		await expect(page.getByRole('heading', { name: 'Liity iltaan' })).toBeVisible();
		await shoot(page, `join-${size}`);
		await context.close();

		// The board as the facilitator first projects it: nobody has posted yet.
		const empty = await host.context.newPage();
		await empty.setViewportSize(SIZES[size]);
		await empty.goto(link);
		await expect(empty.getByTestId('connection')).toHaveAttribute('data-state', 'saved');
		await shoot(empty, `board-empty-${size}`);
		await empty.close();
	}

	const guests = [];
	for (const person of others) {
		const guest = await open(browser, 'laptop');
		await join(guest.page, link, person);
		guests.push(guest);
	}
	for (let round = 0; round < 3; round++) {
		await post(host.page, aino!.ideas[round]!);
		for (const [index, person] of others.entries()) {
			await post(guests[index]!.page, person.ideas[round]!);
		}
	}
	// One edited idea, to see the mark.
	const edited = ideaCard(guests[1]!.page, others[1]!.ideas[0]!);
	await edited.getByRole('button', { name: 'Muokkaa' }).click();
	await guests[1]!.page.getByLabel('Muokkaa ideaa').fill(`${others[1]!.ideas[0]!} (1 h)`);
	await guests[1]!.page.getByLabel('Muokkaa ideaa').press('Enter');

	for (const size of Object.keys(SIZES) as Size[]) {
		// The facilitator's view, as projected.
		const facilitator = await host.context.newPage();
		await facilitator.setViewportSize(SIZES[size]);
		await facilitator.goto(link);
		await expect(facilitator.locator('article.idea')).toHaveCount(12);
		await expect(facilitator.getByTestId('connection')).toHaveAttribute('data-state', 'saved');
		await shoot(facilitator, `board-facilitator-${size}`);
		await shoot(facilitator, `board-facilitator-${size}-full`, true);
		await facilitator.close();

		// A participant's own device.
		const { context, page } = await open(browser, size);
		await join(page, link, { name: 'Eeva Virtanen', industry: 'kauneudenhoito', ideas: [] });
		await expect(page.locator('article.idea')).toHaveCount(12);
		await page.getByRole('textbox', { name: 'Ideasi' }).fill('Lahjakortti');
		await shoot(page, `board-participant-${size}`);
		await shoot(page, `board-participant-${size}-full`, true);
		await context.close();
	}

	// Offline on a phone, with an idea waiting to be sent.
	const offline = await open(browser, 'phone');
	await join(offline.page, link, { name: 'Olli Offline', industry: 'valokuvaus', ideas: [] });
	await expect(offline.page.locator('article.idea')).toHaveCount(12);
	await offline.context.setOffline(true);
	await expect(offline.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await post(offline.page, 'Valokuvauspäivä jäsenten tuotteista');
	await shoot(offline.page, 'board-offline-phone');
	await offline.context.close();

	// English board on a laptop, and the edit and delete states.
	const english = await open(browser, 'laptop', 'en-US');
	await english.page.goto(link);
	await english.page.getByLabel('Your name').fill('Mia');
	await english.page.getByLabel('Your industry').fill('photography');
	await english.page.getByRole('button', { name: 'Join', exact: true }).click();
	await english.page.getByRole('textbox', { name: 'Your idea' }).fill('Portrait day for members');
	await english.page.getByRole('textbox', { name: 'Your idea' }).press('Enter');
	const card = ideaCard(english.page, 'Portrait day for members');
	await card.getByRole('button', { name: 'Edit' }).click();
	await shoot(english.page, 'board-en-laptop-editing', true);
	await english.page.getByRole('button', { name: 'Cancel' }).click();
	await card.getByRole('button', { name: 'Delete' }).click();
	await shoot(english.page, 'board-en-laptop-confirm-delete', true);

	await english.context.close();
	for (const guest of guests) await guest.context.close();
	await host.context.close();
});

/**
 * The projector (`/s/<id>/screen`) at 1920×1080 through the evening, with 12,
 * 60 and 150 ideas; and the /join page on a phone.
 */
test('projector screenshots @screens', async ({ browser }) => {
	test.setTimeout(240_000);
	mkdirSync(OUT, { recursive: true });

	for (const count of [12, 60, 150]) {
		const host = await open(browser, 'projector');
		const evening = await startEveningIn(host.context, 'Ydinryhmä, marraskuu', {
			name: 'Aino Korhonen',
			industry: 'matkailu'
		});
		const facilitator = await Remote.connect(evening.id, evening);
		const screen = host.page;
		await screen.goto(`/s/${evening.id}/screen`);
		await expect(screen.getByTestId('screen-phase')).toHaveText('Ideat');
		const people: Remote[] = [];
		for (const person of crowd(count === 12 ? 6 : 10).slice(1)) {
			people.push(await Remote.connect(evening.id, await joinAs(evening.id, person)));
		}
		const everyone = [facilitator, ...people];
		if (count === 12) await shoot(screen, 'screen-ideate-empty');

		for (let i = 0; i < count; i++) {
			const text = IDEAS_FI[i % IDEAS_FI.length]!;
			everyone[i % everyone.length]!.post(i < IDEAS_FI.length ? text : `${text} (${i + 1})`);
		}
		await expect(screen.getByTestId('screen-idea')).toHaveCount(count);
		await shoot(screen, `screen-ideate-${count}`);

		if (count === 12) {
			await screen.keyboard.press('j');
			await expect(screen.getByTestId('join-overlay')).toBeVisible();
			await shoot(screen, 'screen-join-overlay');
			await screen.keyboard.press('j');

			facilitator.setting('privateWriting', true);
			for (const [i, person] of people.slice(0, 4).entries()) {
				await person.postPrivately(`Yksityinen idea ${i + 1}`);
			}
			await expect(screen.getByTestId('screen-private-ideas')).toHaveText('4 ideaa');
			await shoot(screen, 'screen-ideate-private');
			facilitator.setting('privateWriting', false);
		}

		// Themes: about two thirds of the ideas grouped, someone dragging one.
		facilitator.phase('cluster');
		const ids = facilitator.run(listIdeas).map((idea) => idea.id);
		const titles = [
			'Yhteismarkkinointi',
			'Yhteishankinnat',
			'Matkailupaketit',
			'Osaaminen',
			'Arki'
		];
		const per = Math.ceil((ids.length * 2) / 3 / titles.length);
		titles.forEach((title, t) => {
			const members = ids.slice(t * per, (t + 1) * per);
			if (members.length > 0)
				facilitator.run((doc) => createCluster(doc, evening.participant.id, members, title));
		});
		people[0]!.dragging(ids.at(-1)!);
		await expect(screen.getByTestId('screen-mover')).toBeVisible();
		await shoot(screen, `screen-cluster-${count}`);
		people[0]!.dragging(null);

		// Voting: most people spend their dots.
		facilitator.phase('vote');
		await expect(screen.getByTestId('screen-phase')).toHaveText('Äänestys');
		for (const [p, person] of everyone.entries()) {
			if (p === everyone.length - 1) continue;
			for (let d = 0; d < 5; d++) person.vote(ids[(p * 7 + d * 3) % ids.length]!);
		}
		await expect(screen.getByTestId('screen-dots-left')).toHaveText(/1 henkilöllä/);
		await shoot(screen, `screen-vote-${count}`);

		facilitator.phase('results');
		await expect(screen.getByTestId('rank-dots')).toBeVisible();
		await shoot(screen, `screen-results-${count}`);
		facilitator.spotlight({ kind: 'idea', id: ids[2]! });
		await expect(screen.getByTestId('spotlight')).toBeVisible();
		await shoot(screen, `screen-spotlight-${count}`);
		facilitator.spotlight(null);

		facilitator.phase('actions');
		const [a, b, c] = [people[0]!, people[1]!, people[2]!].map((r) => r.seat.participant.id);
		const actions = [
			{ text: 'Kootaan joulupaketti ja hinnoitellaan se', ownerIds: [a!, b!], due: '2026-12-05' },
			{ text: 'Kysytään kolmelta toimittajalta tarjous pakkausmateriaaleista', ownerIds: [c!] },
			{ text: 'Tietoturvailta tammikuussa – tila ja puhuja', ownerIds: [b!] }
		];
		for (const draft of actions) {
			const id = facilitator.run((doc) => createAction(doc, evening.participant.id, draft));
			const helper = people[3]!;
			await helper.until((doc) => boardMaps(doc).actions.has(id));
			helper.run((doc) => offerHelp(doc, id, helper.seat.participant.id, true));
		}
		await expect(screen.getByTestId('screen-actions').locator('li')).toHaveCount(3);
		await shoot(screen, `screen-actions-${count}`);

		for (const remote of everyone) remote.close();
		await host.context.close();
	}

	// The /join page on a phone, empty and with an unknown code.
	const phone = await open(browser, 'phone');
	await phone.page.goto('/join');
	await expect(phone.page.getByTestId('join-code')).toBeFocused();
	await shoot(phone.page, 'join-code-phone');
	await phone.page.getByTestId('join-code').fill('zz9 9zz');
	await phone.page.getByTestId('join-code').press('Enter');
	await expect(phone.page.getByTestId('join-code-error')).toBeVisible();
	await shoot(phone.page, 'join-code-phone-error');
	await phone.context.close();
});

/**
 * The meeting-night flow, phase by phase: the facilitator on a laptop
 * (1366×768) and a participant on a phone (360×780), in Finnish, with an
 * evening of 12 ideas from 6 people seeded from Node. Files `flow-*.png`.
 */
test('flow screenshots @screens', async ({ browser }) => {
	test.setTimeout(240_000);
	mkdirSync(OUT, { recursive: true });

	const host = await open(browser, 'laptop');
	const evening = await startEveningIn(host.context, 'Ydinryhmä, marraskuu', {
		name: 'Aino Korhonen',
		industry: 'matkailu'
	});
	const fac = host.page;
	await fac.goto(`/s/${evening.id}`);
	const seeded = await Remote.connect(evening.id, evening);
	const people: Remote[] = [];
	for (const person of crowd(6).slice(1, 5)) {
		people.push(await Remote.connect(evening.id, await joinAs(evening.id, person)));
	}
	const everyone = [seeded, ...people];
	for (let i = 0; i < 11; i++) everyone[i % everyone.length]!.post(IDEAS_FI[i]!);

	const mobile = await open(browser, 'phone');
	const phone = mobile.page;
	await join(phone, `/s/${evening.id}`, {
		name: 'Olli Heikkinen',
		industry: 'valokuvaus',
		ideas: []
	});
	await post(phone, 'Kuvauspäivä: jokainen saa ammattikuvat tuotteistaan');
	await expect(fac.locator('article.idea')).toHaveCount(12);
	// A participant on a laptop, in English.
	const english = await open(browser, 'laptop', 'en-US');
	const en = english.page;
	await en.goto(`/s/${evening.id}`);
	await en.getByLabel('Your name').fill('Mia Berg');
	await en.getByLabel('Your industry').fill('photography');
	await en.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(en.locator('article.idea')).toHaveCount(12);

	// Ideas, with the timer running.
	await fac.getByRole('button', { name: 'Käynnistä 5 minuutin ajastin' }).click();
	await expect(phone.getByTestId('countdown')).toBeVisible();
	await shoot(fac, 'flow-1-ideate-facilitator-laptop');
	await shoot(phone, 'flow-1-ideate-participant-phone-end');
	await phone.evaluate(() => window.scrollTo(0, 0));
	await shoot(phone, 'flow-1-ideate-participant-phone');

	// Private writing: the phone sees only its own, and the count.
	await fac.getByRole('switch', { name: 'Kirjoitetaan ensin yksin' }).check();
	await post(phone, 'Yhteinen kuvapankki kaikkien jäsenten käyttöön');
	for (const [i, person] of people.slice(0, 3).entries()) {
		await person.postPrivately(`Yksityinen idea ${i + 1}`);
	}
	await expect(phone.getByTestId('private-count')).toContainText('4 ideaa');
	await phone.getByTestId('private-desk').scrollIntoViewIfNeeded();
	await shoot(phone, 'flow-1b-private-participant-phone');
	await shoot(fac, 'flow-1b-private-facilitator-laptop');
	await shoot(en, 'flow-1b-private-participant-laptop-en');
	await fac.getByRole('switch', { name: 'Kirjoitetaan ensin yksin' }).uncheck();
	await expect(fac.locator('article.idea')).toHaveCount(16);
	await fac.getByRole('button', { name: 'Lopeta', exact: true }).click();

	// Themes: some grouped, someone moving one, the phone's "Move" menu open.
	await goToPhaseFi(fac, 'Teemat');
	const ids = seeded.run(listIdeas).map((idea) => idea.id);
	const themes: [string, number[]][] = [
		['Yhteismarkkinointi', [0, 5, 9]],
		['Matkailupaketit', [2, 6, 10]],
		['Raha ja hankinnat', [3, 7, 11]],
		['', [8, 13]]
	];
	for (const [title, members] of themes) {
		seeded.run((doc) =>
			createCluster(
				doc,
				evening.participant.id,
				members.map((m) => ids[m]!),
				title
			)
		);
	}
	people[1]!.dragging(ids[1]!);
	await expect(fac.getByText(`${people[1]!.seat.participant.name} siirtää tätä`)).toBeVisible();
	await shoot(fac, 'flow-2-cluster-facilitator-laptop');
	await shoot(fac, 'flow-2-cluster-facilitator-laptop-full', true);
	await shoot(phone, 'flow-2-cluster-participant-phone');
	await shoot(en, 'flow-2-cluster-participant-laptop-en');
	await phone
		.getByTestId('loose')
		.getByRole('button', { name: /^Siirrä/ })
		.first()
		.click();
	await shoot(phone, 'flow-2b-cluster-menu-participant-phone');
	await phone.keyboard.press('Escape');
	people[1]!.dragging(null);

	// Voting: the phone has given two dots; others some.
	await goToPhaseFi(fac, 'Äänestys');
	for (const [p, person] of everyone.entries()) {
		for (let d = 0; d < (p === 0 ? 3 : 5); d++) person.vote(ids[(p * 5 + d * 3) % 14]!);
	}
	const first = phone.getByTestId('vote-item').first();
	await first.getByRole('button', { name: /^Anna piste/ }).tap();
	await first.getByRole('button', { name: /^Anna piste/ }).tap();
	await expect(phone.getByTestId('dots-left')).toHaveText('Pisteitä jäljellä 3/5');
	await shoot(phone, 'flow-3-vote-participant-phone');
	await shoot(fac, 'flow-3-vote-facilitator-laptop');
	await voteFirst(en);
	await shoot(en, 'flow-3-vote-participant-laptop-en');

	// Results, and a spotlight.
	await goToPhaseFi(fac, 'Tulokset');
	await expect(phone.getByTestId('ranked-idea').first()).toBeVisible();
	await shoot(phone, 'flow-4-results-participant-phone');
	await shoot(fac, 'flow-4-results-facilitator-laptop');
	await shoot(en, 'flow-4-results-participant-laptop-en');
	await fac
		.getByTestId('ranked-idea')
		.first()
		.getByRole('button', { name: /^Nosta/ })
		.click();
	await expect(phone.getByTestId('spotlight')).toBeVisible();
	await shoot(phone, 'flow-4b-spotlight-participant-phone');
	await fac.getByRole('button', { name: 'Lopeta esiin nosto' }).click();

	// Actions: two agreed, one being written on the phone.
	await goToPhaseFi(fac, 'Toimet');
	const [a, b] = [people[0]!, people[1]!].map((r) => r.seat.participant.id);
	const drafts = [
		{ text: 'Kootaan joulupaketti ja hinnoitellaan se', ownerIds: [a!, b!], due: '2026-12-05' },
		{ text: 'Kysytään kolmelta toimittajalta tarjous pakkausmateriaaleista', ownerIds: [b!] }
	];
	for (const draft of drafts) {
		const id = seeded.run((doc) => createAction(doc, evening.participant.id, draft));
		const helper = people[2]!;
		await helper.until((doc) => boardMaps(doc).actions.has(id));
		helper.run((doc) => offerHelp(doc, id, helper.seat.participant.id, true));
	}
	await expect(phone.getByTestId('action')).toHaveCount(2);
	await shoot(fac, 'flow-5-actions-facilitator-laptop');
	await shoot(phone, 'flow-5-actions-participant-phone');
	await shoot(en, 'flow-5-actions-participant-laptop-en');
	await phone.getByRole('button', { name: /Uusi toimenpide/ }).click();
	await shoot(phone, 'flow-5b-action-form-participant-phone');

	// Locked, on the phone; and the facilitator's tools as a sheet on a phone.
	await phone.getByRole('button', { name: 'Peruuta' }).click();
	await fac.getByRole('switch', { name: 'Lukitse taulu' }).check();
	await expect(phone.getByTestId('locked')).toBeVisible();
	await phone.evaluate(() => window.scrollTo(0, 0));
	await shoot(phone, 'flow-6-locked-participant-phone');
	await fac.getByRole('switch', { name: 'Lukitse taulu' }).uncheck();
	const facPhone = await host.context.newPage();
	await facPhone.setViewportSize(SIZES.phone);
	await facPhone.goto(`/s/${evening.id}`);
	await expect(facPhone.getByTestId('connection')).toHaveAttribute('data-state', 'saved');
	await shoot(facPhone, 'flow-7-facilitator-phone');
	await facPhone.getByTestId('facilitator-tools').click();
	await shoot(facPhone, 'flow-7b-facilitator-sheet-phone');

	for (const remote of everyone) remote.close();
	await mobile.context.close();
	await english.context.close();
	await host.context.close();
});

async function voteFirst(page: Page) {
	const plus = page
		.getByTestId('vote-item')
		.first()
		.getByRole('button', { name: /^Give a dot/ });
	await plus.click();
	await expect(page.getByTestId('dots-left')).toHaveText('4 of 5 dots left');
}

async function goToPhaseFi(page: Page, name: string) {
	await page.getByRole('button', { name: `Siirrä kaikki vaiheeseen ”${name}”` }).click();
	await expect(page.getByRole('button', { name, exact: true, pressed: true })).toBeVisible();
}
