/**
 * The projector screen (`/s/<id>/screen`) and joining from it: the code it
 * shows works at /join, it follows the board live, its timer agrees with the
 * participants' to the second, and private writing shows only counts.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectSaved, ideaCard, joinEvening, newPerson, postIdea } from './helpers';
import { Remote, joinAs, serverNow, startEveningIn } from './seed';

const AINO = { name: 'Aino Facilitator', industry: 'tourism' };
const VILLE = { name: 'Ville Baker', industry: 'bakery' };

/** The facilitator's browser with the big screen open, and the same facilitator from Node. */
async function projector(browser: import('@playwright/test').Browser, title: string) {
	const { context, page } = await newPerson(browser, { viewport: { width: 1920, height: 1080 } });
	const evening = await startEveningIn(context, title, AINO);
	const facilitator = await Remote.connect(evening.id, evening);
	await page.goto(`/s/${evening.id}/screen`);
	await expect(page.getByTestId('screen-phase')).toHaveText('Ideas');
	return { context, screen: page, evening, facilitator };
}

const screenIdea = (screen: Page, text: string) =>
	screen.getByTestId('screen-idea').filter({ hasText: text });

test('someone joins by typing the code the projector shows at /join', async ({ browser }) => {
	const { context, screen, evening, facilitator } = await projector(browser, 'Join by code');
	const shown = (await screen.getByTestId('join-code-shown').first().textContent())?.trim() ?? '';
	expect(shown).toMatch(/^[A-Z0-9]{3} [A-Z0-9]{3}$/);
	await expect(screen.getByTestId('join-link').first()).toHaveText(/^127\.0\.0\.1:\d+\/join$/);
	await expect(screen.getByRole('img', { name: 'QR code that opens the join page' })).toBeVisible();

	const phone = await newPerson(browser, { viewport: { width: 360, height: 780 } });
	await phone.page.goto('/join');
	const field = phone.page.getByLabel('Code', { exact: true });
	await expect(field).toBeFocused();
	await field.fill('ab');
	await field.press('Enter');
	await expect(phone.page.getByTestId('join-code-error')).toHaveText(/6 characters/);
	// Lower case and a dash instead of the space: still the same code.
	await field.fill(shown.toLowerCase().replace(' ', '-'));
	await expect(field).toHaveValue(shown);
	await field.press('Enter');
	await expect(phone.page).toHaveURL(new RegExp(`/s/${evening.id}$`));
	await expect(phone.page.getByTestId('evening-title')).toHaveText('Join by code');
	await joinEvening(phone.page, phone.page.url(), VILLE);
	await expect(screen.getByTestId('screen-online')).toContainText(VILLE.name);

	// The QR code's link fills the code in and goes straight on.
	const prefilled = await newPerson(browser);
	await prefilled.page.goto(`/join?code=${shown.replace(' ', '')}`);
	await expect(prefilled.page.getByRole('heading', { name: 'Join the evening' })).toBeVisible();
	await expect(prefilled.page).toHaveURL(new RegExp(`/s/${evening.id}$`));

	facilitator.close();
	await Promise.all([context.close(), phone.context.close(), prefilled.context.close()]);
});

test('an unknown code says so, and the projector can show the code on demand', async ({
	browser
}) => {
	const { context, screen, facilitator } = await projector(browser, 'Unknown code');
	const visitor = await newPerson(browser);
	await visitor.page.goto('/join?code=ZZZZZZ');
	await expect(visitor.page.getByTestId('join-code-error')).toHaveText(/No evening has this code/);
	await expect(visitor.page.getByLabel('Code', { exact: true })).toHaveValue('ZZZ ZZZ');

	// With ideas on the wall the code sits at the side; J shows it big, and J again hides it.
	facilitator.post('An idea so the wall is not empty');
	await expect(screenIdea(screen, 'An idea so the wall is not empty')).toBeVisible();
	await screen.keyboard.press('j');
	await expect(screen.getByTestId('join-overlay')).toBeVisible();
	await expect(screen.getByTestId('join-overlay').getByTestId('join-code-shown')).toBeVisible();
	await screen.keyboard.press('j');
	await expect(screen.getByTestId('join-overlay')).toHaveCount(0);
	await screen.getByTestId('show-join').click();
	await expect(screen.getByTestId('join-overlay')).toBeVisible();
	await screen.keyboard.press('Escape');
	await expect(screen.getByTestId('join-overlay')).toHaveCount(0);

	facilitator.close();
	await Promise.all([context.close(), visitor.context.close()]);
});

test('the projector shows new ideas live, who is here, and who is moving an idea', async ({
	browser
}) => {
	const { context, screen, evening, facilitator } = await projector(browser, 'Live wall');
	await expect(screen.getByTestId('join-panel-hero')).toBeVisible();

	const ville = await newPerson(browser);
	await joinEvening(ville.page, `/s/${evening.id}`, VILLE);
	await expect(screen.getByTestId('screen-online')).toContainText(VILLE.name);
	await postIdea(ville.page, 'Rye bread for the safari breakfast');
	await expect(screenIdea(screen, 'Rye bread for the safari breakfast')).toBeVisible();
	await expect(screenIdea(screen, 'Rye bread for the safari breakfast')).toContainText('bakery');
	await expect(screen.getByTestId('screen-counts')).toContainText('1 idea');

	const sanna = await Remote.connect(
		evening.id,
		await joinAs(evening.id, { name: 'Sanna Numbers', industry: 'accounting' })
	);
	const id = sanna.post('Cash-flow clinic once a month');
	await expect(screenIdea(screen, 'Cash-flow clinic once a month')).toBeVisible();
	await expect(screen.getByTestId('screen-counts')).toContainText('2 ideas');
	await expect(screen.getByTestId('screen-counts')).toContainText('from 2 industries');

	facilitator.phase('cluster');
	await expect(screen.getByTestId('screen-phase')).toHaveText('Themes');
	sanna.dragging(id);
	await expect(screenIdea(screen, 'Cash-flow clinic once a month')).toContainText(
		'Sanna is moving this'
	);
	sanna.dragging(null);
	await expect(screen.getByTestId('screen-mover')).toHaveCount(0);

	sanna.close();
	facilitator.close();
	await Promise.all([context.close(), ville.context.close()]);
});

test('the timer counts in step on the projector and on a participant’s board', async ({
	browser
}) => {
	const { context, screen, evening, facilitator } = await projector(browser, 'Timer');
	const ville = await newPerson(browser);
	await joinEvening(ville.page, `/s/${evening.id}`, VILLE);

	facilitator.timer(90_000, await serverNow());
	const onScreen = screen.getByTestId('countdown');
	const onBoard = ville.page.getByTestId('countdown');
	await expect(onScreen).toBeVisible();
	await expect(onBoard).toBeVisible();
	await expect(onScreen).toHaveAttribute('data-state', 'running');

	const seconds = async (page: Page) =>
		Number(await page.getByTestId('countdown').first().getAttribute('data-seconds'));
	// Sample both now and then while the timer runs: they never differ by more than a second.
	let previous = Infinity;
	for (let i = 0; i < 4; i++) {
		const [a, b] = await Promise.all([seconds(screen), seconds(ville.page)]);
		expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
		expect(a).toBeLessThanOrEqual(90);
		expect(a).toBeGreaterThan(80);
		expect(a).toBeLessThanOrEqual(previous);
		previous = a;
		await expect.poll(() => seconds(screen)).toBeLessThan(a);
	}
	await expect(screen.getByTestId('countdown-digits')).toHaveText(/^01:[2-3]\d$/);

	// Both agree when it ends, too.
	facilitator.timer(2_000, await serverNow());
	await expect(onScreen).toHaveAttribute('data-state', 'done');
	await expect(onBoard).toHaveAttribute('data-state', 'done');
	await expect(screen.getByTestId('countdown')).toContainText('Time is up');
	await expect(screen.getByTestId('countdown-announcer')).toHaveText('Time is up.');

	facilitator.close();
	await Promise.all([context.close(), ville.context.close()]);
});

test('the spotlight appears on the projector over the board, and goes away', async ({
	browser
}) => {
	const { context, screen, facilitator } = await projector(browser, 'Spotlight');
	const id = facilitator.post('Shared stand at the winter fair');
	await expect(screenIdea(screen, 'Shared stand at the winter fair')).toBeVisible();

	facilitator.spotlight({ kind: 'idea', id });
	await expect(screen.getByTestId('spotlight')).toBeVisible();
	await expect(screen.getByTestId('spotlight-text')).toHaveText('Shared stand at the winter fair');
	facilitator.spotlight(null);
	await expect(screen.getByTestId('spotlight')).toHaveCount(0);

	facilitator.close();
	await context.close();
});

test('private writing shows how many ideas from how many people, never their text', async ({
	browser
}) => {
	const { context, screen, evening, facilitator } = await projector(browser, 'Private');
	facilitator.setting('privateWriting', true);
	await expect(screen.getByTestId('screen-private')).toBeVisible();

	const secret = 'Secret plan: raise prices in March';
	const writers = await Promise.all(
		[
			{ name: 'Ville Baker', industry: 'bakery' },
			{ name: 'Sanna Numbers', industry: 'accounting' }
		].map(async (person) => Remote.connect(evening.id, await joinAs(evening.id, person)))
	);
	await writers[0]!.postPrivately(secret);
	await writers[0]!.postPrivately('Another private one');
	await writers[1]!.postPrivately('Third private idea');
	await expect(screen.getByTestId('screen-private-ideas')).toHaveText('3 ideas');
	await expect(screen.getByTestId('screen-private')).toContainText('from 2 people');
	await expect(screen.getByText(secret)).toHaveCount(0);
	expect(await screen.content()).not.toContain('raise prices');
	await expect(screen.getByTestId('screen-idea')).toHaveCount(0);

	for (const writer of writers) writer.close();
	facilitator.close();
	await context.close();
});

test('a browser that has not joined gets a pointer instead of the screen', async ({ browser }) => {
	const host = await newPerson(browser);
	const evening = await startEveningIn(host.context, 'Not joined', AINO);
	const stranger = await newPerson(browser);
	await stranger.page.goto(`/s/${evening.id}/screen`);
	await expect(stranger.page.getByTestId('screen-not-joined')).toBeVisible();
	await stranger.page.getByRole('link', { name: 'Go to the evening' }).click();
	await expect(stranger.page.getByRole('heading', { name: 'Join the evening' })).toBeVisible();
	await Promise.all([host.context.close(), stranger.context.close()]);
});

test('the facilitator opens the projector from the board, and their posts appear there', async ({
	browser
}) => {
	const { context, page: board } = await newPerson(browser);
	const evening = await startEveningIn(context, 'Own posts', AINO);
	await board.goto(`/s/${evening.id}`);
	const [screen] = await Promise.all([
		context.waitForEvent('page'),
		board.getByTestId('open-screen').click()
	]);
	await expect(screen).toHaveURL(new RegExp(`/s/${evening.id}/screen$`));
	await expect(screen.getByTestId('screen-phase')).toHaveText('Ideas');
	await postIdea(board, 'From the facilitator laptop');
	await expectSaved(board);
	await expect(screenIdea(screen, 'From the facilitator laptop')).toBeVisible();
	await expect(ideaCard(board, 'From the facilitator laptop')).toBeVisible();
	await context.close();
});
