/**
 * The meeting-night flow end to end: a facilitator and two participants go
 * through private writing and the reveal, themes (by mouse and by keyboard),
 * dot voting within the budget, the results and an action with an owner and
 * a helper. Plus voting on a phone, and text kept when a phase change
 * refuses it.
 */
import { expect, test, type Browser, type WebSocketRoute } from '@playwright/test';
import {
	dragIdeaTo,
	expectPhase,
	expectSaved,
	giveDots,
	goToPhase,
	ideaCard,
	joinEvening,
	newPerson,
	postIdea,
	startEvening,
	theme,
	voteItem
} from './helpers';

const AINO = { name: 'Aino Facilitator', industry: 'tourism' };
const VILLE = { name: 'Ville Baker', industry: 'bakery' };
const SANNA = { name: 'Sanna Accountant', industry: 'accounting' };

const RYE = 'Rye bread for safari breakfasts';
const XMAS = 'Joint Christmas market stand';
const SAFARI = 'Safari and bakery day package';
const CARDS = 'Reindeer photo postcards';

test('one evening: private ideas, themes, dots, results and an action', async ({ browser }) => {
	test.setTimeout(90_000);
	const aino = await newPerson(browser);
	const link = await startEvening(aino.page, 'Flow evening', AINO);
	const ville = await newPerson(browser);
	await joinEvening(ville.page, link, VILLE);
	const sanna = await newPerson(browser);
	await joinEvening(sanna.page, link, SANNA);
	const [fac, v, s] = [aino.page, ville.page, sanna.page];

	// Ideas, written privately first.
	await fac.getByRole('switch', { name: 'Write privately first' }).check();
	await expect(v.getByTestId('private-desk')).toContainText('Private until revealed');
	await postIdea(v, RYE);
	await expect(s.getByTestId('private-count')).toHaveText(/1 idea\s+from 1 person/);
	// Sanna knows that Ville wrote something, but not what.
	await expect(ideaCard(s, RYE)).toHaveCount(0);
	await postIdea(s, XMAS);
	await expect(fac.getByTestId('private-count')).toHaveText(/2 ideas\s+from 2 people/);
	await expect(ideaCard(fac, RYE)).toHaveCount(0);
	await expect(ideaCard(v, XMAS)).toHaveCount(0);

	await fac.getByTestId('reveal').click();
	await expect(fac.getByRole('status').filter({ hasText: '2 ideas revealed.' })).toBeVisible();
	await expect(ideaCard(s, RYE)).toBeVisible();
	await expect(ideaCard(v, XMAS)).toBeVisible();
	await expect(v.getByTestId('private-desk').getByText(RYE)).toHaveCount(0);

	await fac.getByRole('switch', { name: 'Write privately first' }).uncheck();
	await expect(v.getByTestId('private-desk')).toHaveCount(0);
	await postIdea(fac, SAFARI);
	await postIdea(v, CARDS);
	await expect(ideaCard(s, CARDS)).toBeVisible();

	// Themes: Ville drags with the mouse, Sanna names the theme and moves an idea by keyboard.
	await goToPhase(fac, 'cluster');
	await expectPhase(v, 'cluster');
	await expectPhase(s, 'cluster');
	await expect(v.getByLabel('Your idea')).toHaveCount(0);
	await dragIdeaTo(v, RYE, ideaCard(v, SAFARI));
	const sun = theme(s, 'Sun theme');
	await expect(sun.getByText(RYE)).toBeVisible();
	await expect(sun.getByText(SAFARI)).toBeVisible();

	const name = s.getByRole('textbox', { name: 'Name of the Sun theme' });
	await name.fill('Tourism packages');
	await name.press('Enter');
	const packages = theme(v, 'Tourism packages');
	await expect(packages).toBeVisible();

	const move = ideaCard(s, XMAS).getByRole('button', { name: `Move “${XMAS}” to a theme` });
	await move.focus();
	await s.keyboard.press('Enter');
	await expect(s.getByRole('menuitem', { name: 'New theme' })).toBeFocused();
	await s.keyboard.press('ArrowDown');
	await expect(s.getByRole('menuitem', { name: 'Tourism packages' })).toBeFocused();
	await s.keyboard.press('Enter');
	await expect(theme(s, 'Tourism packages').getByText(XMAS)).toBeVisible();
	await expect(packages.getByText(XMAS)).toBeVisible();
	// The keyboard stays on the moved idea.
	await expect(move).toBeFocused();

	// Others see who is moving an idea, while they move it.
	const cards = await ideaCard(fac, CARDS).getByText(CARDS).boundingBox();
	if (!cards) throw new Error('no card');
	await fac.mouse.move(cards.x + 10, cards.y + 10);
	await fac.mouse.down();
	await fac.mouse.move(cards.x + 40, cards.y + 40, { steps: 4 });
	await expect(ideaCard(v, CARDS)).toContainText(`${AINO.name} is moving this`);
	await fac.keyboard.press('Escape');
	await fac.mouse.up();
	await expect(ideaCard(v, CARDS)).not.toContainText('is moving this');
	await expect(fac.getByTestId('loose').getByText(CARDS)).toBeVisible();

	// Dots: the budget is shown and holds, per idea and in total.
	await goToPhase(fac, 'vote');
	await expect(v.getByTestId('dots-left')).toHaveText('5 of 5 dots left');
	await giveDots(v, RYE, 3);
	await expect(voteItem(v, RYE).getByRole('button', { name: /^Give a dot/ })).toBeDisabled();
	await voteItem(v, RYE)
		.getByRole('button', { name: /^Take a dot back/ })
		.click();
	await expect(voteItem(v, RYE).getByTestId('my-dots')).toHaveAttribute('data-count', '2');
	await giveDots(v, XMAS, 2);
	await giveDots(v, SAFARI, 1);
	await expect(v.getByTestId('dots-left')).toHaveText('0 of 5 dots left');
	await expect(v.getByText('All your dots are given.', { exact: false })).toBeVisible();
	await expect(voteItem(v, CARDS).getByRole('button', { name: /^Give a dot/ })).toBeDisabled();
	await giveDots(s, SAFARI, 1);
	await giveDots(s, RYE, 1);
	await expect(s.getByTestId('dots-left')).toHaveText('3 of 5 dots left');
	// Counts are live by default; the facilitator sees how many still have dots, not whose.
	await expect(voteItem(v, RYE).getByTestId('vote-total')).toHaveText('3 dots');
	await expect(fac.getByTestId('voting-progress')).toContainText('2 people still have dots left');
	await expectSaved(s);

	// Results: ranked by dots; the tie at 2 dots goes to the broader industry mix.
	await goToPhase(fac, 'results');
	const ranked = s.getByTestId('ranked-idea');
	await expect(ranked.nth(0)).toContainText(RYE);
	await expect(ranked.nth(0)).toContainText('3 dots');
	await expect(ranked.nth(1)).toContainText(SAFARI);
	await expect(ranked.nth(1)).toContainText('3 industries');
	await expect(ranked.nth(1).getByTestId('tie-note')).toHaveText('Tie broken by industry mix');
	await expect(ranked.nth(2)).toContainText(XMAS);
	await expect(ranked.nth(2)).toContainText('2 industries');
	await expect(s.getByTestId('cross-industry').getByRole('listitem').first()).toContainText(SAFARI);

	// Actions: one from the top idea, owned by Ville; Sanna can help.
	await goToPhase(fac, 'actions');
	await fac.getByRole('button', { name: `Make an action of “${RYE}”` }).click();
	await expect(fac.getByRole('textbox', { name: 'What will be done?' })).toHaveValue(RYE);
	await fac
		.getByRole('textbox', { name: 'What will be done?' })
		.fill('Try rye breakfasts in January');
	await fac.getByRole('checkbox', { name: VILLE.name }).check();
	await fac.getByLabel('Target date').fill('2027-01-31');
	await fac.getByRole('button', { name: 'Add action' }).click();

	const action = s.getByTestId('action').filter({ hasText: 'Try rye breakfasts in January' });
	await expect(action.getByTestId('action-owners')).toHaveText(VILLE.name);
	await expect(action).toContainText(`From: ${RYE}`);
	await action.getByRole('button', { name: 'I can help' }).click();
	await expect(action.getByRole('button', { name: 'I can help' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	const facAction = fac.getByTestId('action').filter({ hasText: 'Try rye breakfasts' });
	await expect(facAction.getByTestId('action-helpers')).toHaveText(SANNA.name);
	// The owner marks it done; everyone sees it.
	const villeAction = v.getByTestId('action').filter({ hasText: 'Try rye breakfasts' });
	await expect(villeAction.getByRole('button', { name: 'I can help' })).toHaveCount(0);
	await villeAction.getByRole('button', { name: 'Mark done' }).click();
	await expect(action.getByTestId('action-status')).toHaveText('Done');
	await expectSaved(v);
	await expectSaved(s);

	for (const person of [aino, ville, sanna]) await person.context.close();
});

async function phone(browser: Browser) {
	const context = await browser.newContext({
		baseURL: process.env.KIPINA_BASE_URL,
		locale: 'en-US',
		viewport: { width: 360, height: 780 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true
	});
	return { context, page: await context.newPage() };
}

test('voting on a phone: big buttons, the budget always in sight', async ({ browser }) => {
	const aino = await newPerson(browser);
	const link = await startEvening(aino.page, 'Phone evening', AINO);
	for (const text of [RYE, XMAS, SAFARI, CARDS]) await postIdea(aino.page, text);
	const mobile = await phone(browser);
	await joinEvening(mobile.page, link, VILLE);
	await goToPhase(aino.page, 'vote');
	const p = mobile.page;

	const budget = p.getByTestId('dot-budget');
	await expect(budget).toBeInViewport();
	await expect(p.getByTestId('dots-left')).toHaveText('5 of 5 dots left');
	const plus = voteItem(p, RYE).getByRole('button', { name: /^Give a dot/ });
	const size = await plus.boundingBox();
	expect(size?.width).toBeGreaterThanOrEqual(44);
	expect(size?.height).toBeGreaterThanOrEqual(44);

	for (let i = 1; i <= 3; i++) {
		await plus.tap();
		await expect(voteItem(p, RYE).getByTestId('my-dots')).toHaveAttribute('data-count', `${i}`);
	}
	await expect(plus).toBeDisabled();
	const last = voteItem(p, CARDS);
	await last.scrollIntoViewIfNeeded();
	await last.getByRole('button', { name: /^Give a dot/ }).tap();
	await last.getByRole('button', { name: /^Give a dot/ }).tap();
	await expect(p.getByTestId('dots-left')).toHaveText('0 of 5 dots left');
	// Scrolled to the end, the budget bar is still at the thumb.
	await expect(budget).toBeInViewport();
	await expect(voteItem(p, SAFARI).getByRole('button', { name: /^Give a dot/ })).toBeDisabled();
	await expectSaved(p);

	await mobile.context.close();
	await aino.context.close();
});

test('a private idea refused by a phase change comes back to its writer', async ({ browser }) => {
	const aino = await newPerson(browser);
	const link = await startEvening(aino.page, 'Race evening', AINO);
	await aino.page.getByRole('switch', { name: 'Write privately first' }).check();

	const ville = await newPerson(browser);
	// Ville's first desk socket can be told to stop passing his messages on.
	let hold = false;
	const desks: WebSocketRoute[] = [];
	await ville.page.routeWebSocket(/\/desk\//, (ws) => {
		const server = ws.connectToServer();
		const first = desks.length === 0;
		ws.onMessage((message) => {
			if (!(first && hold)) server.send(message);
		});
		desks.push(ws);
	});
	await joinEvening(ville.page, link, VILLE);
	await expect(ville.page.getByTestId('private-desk')).toBeVisible();
	await expect.poll(() => desks.length).toBe(1);
	await expectSaved(ville.page);

	hold = true;
	const text = 'Typed just as the phase moved on';
	await postIdea(ville.page, text);
	await expect(ville.page.getByTestId('connection')).toHaveAttribute('data-state', 'saving');
	await goToPhase(aino.page, 'cluster');
	await expectPhase(ville.page, 'cluster');
	// The server refuses the private idea (posting has closed): the desk starts afresh.
	await desks[0]!.close({ code: 4403, reason: 'Ideas cannot be posted in this phase.' });

	const kept = ville.page.getByTestId('rescued');
	await expect(ville.page.getByText('The phase changed before this was saved')).toBeVisible();
	await expect(kept.getByRole('textbox')).toHaveValue(text);
	// Posting is closed, so it is offered to copy, not to post.
	await expect(kept.getByRole('button', { name: 'Post again' })).toHaveCount(0);
	await expect.poll(() => desks.length).toBe(2);
	await expect(ideaCard(aino.page, text)).toHaveCount(0);

	await ville.context.close();
	await aino.context.close();
});

test('the facilitator enters ideas and dots for someone without a device', async ({ browser }) => {
	const aino = await newPerson(browser);
	const link = await startEvening(aino.page, 'Proxy evening', AINO);
	const sanna = await newPerson(browser);
	await joinEvening(sanna.page, link, SANNA);
	const fac = aino.page;

	await fac.getByLabel('Name', { exact: true }).fill('Eero');
	await fac.getByLabel('Industry', { exact: true }).fill('poronhoito');
	await fac.getByRole('button', { name: 'Add person' }).click();
	await fac.getByRole('button', { name: 'Enter for Eero' }).click();
	await expect(fac.getByTestId('acting-as')).toContainText(
		'You are entering for Eero (poronhoito).'
	);

	const text = 'Reindeer sleigh rides for bakery customers';
	await postIdea(fac, text);
	const card = ideaCard(sanna.page, text);
	await expect(card).toContainText('Entered by the facilitator for Eero, poronhoito');
	await expect(card.getByRole('heading', { name: /Eero/ })).toBeVisible();

	await goToPhase(fac, 'vote');
	await expect(fac.getByTestId('dots-left')).toHaveText('Eero: 5 of 5 dots left');
	await giveDots(fac, text, 2);
	await expect(fac.getByTestId('dots-left')).toHaveText('Eero: 3 of 5 dots left');
	// Back to their own dots: untouched.
	await fac.getByTestId('acting-as').getByRole('button', { name: 'Back to me' }).click();
	await expect(fac.getByTestId('acting-as')).toHaveCount(0);
	await expect(fac.getByTestId('dots-left')).toHaveText('5 of 5 dots left');
	await expect(voteItem(sanna.page, text).getByTestId('vote-total')).toHaveText('2 dots');
	await expectSaved(fac);

	await sanna.context.close();
	await aino.context.close();
});

test('on a touch screen ideas are dragged by the handle or after a long press', async ({
	browser
}) => {
	const aino = await newPerson(browser);
	const link = await startEvening(aino.page, 'Touch evening', AINO);
	for (const text of [RYE, SAFARI, CARDS]) await postIdea(aino.page, text);
	const mobile = await phone(browser);
	await joinEvening(mobile.page, link, VILLE);
	await goToPhase(aino.page, 'cluster');
	const p = mobile.page;
	await expectPhase(p, 'cluster');

	// Real touch input through the DevTools protocol: Chromium turns it into pointer events.
	const cdp = await mobile.context.newCDPSession(p);
	const handle = ideaCard(p, RYE).getByRole('img', { name: `Drag “${RYE}”` });
	await handle.scrollIntoViewIfNeeded();
	const from = (await handle.boundingBox())!;
	const to = (await ideaCard(p, SAFARI).getByText(SAFARI).boundingBox())!;
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
		cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: type === 'touchEnd' ? [] : [{ x, y }]
		});
	await touch('touchStart', from.x + from.width / 2, from.y + from.height / 2);
	for (let i = 1; i <= 8; i++) {
		const x = from.x + ((to.x + 20 - from.x) * i) / 8;
		const y = from.y + ((to.y + 10 - from.y) * i) / 8;
		await touch('touchMove', x, y);
	}
	await expect(ideaCard(p, SAFARI)).toHaveClass(/\btarget\b/);
	await touch('touchEnd', 0, 0);

	const sun = theme(aino.page, 'Sun theme');
	await expect(sun.getByText(RYE)).toBeVisible();
	await expect(sun.getByText(SAFARI)).toBeVisible();

	// Or a finger rests on the card until it lifts, then carries it.
	const card = ideaCard(p, CARDS);
	await card.scrollIntoViewIfNeeded();
	const start = (await card.getByText(CARDS).boundingBox())!;
	await touch('touchStart', start.x + 10, start.y + 5);
	await expect(card).toHaveClass(/\blifted\b/);
	const zone = (await theme(p, 'Sun theme').boundingBox())!;
	for (let i = 1; i <= 8; i++) {
		await touch(
			'touchMove',
			start.x + ((zone.x + 30 - start.x) * i) / 8,
			start.y + ((zone.y + 30 - start.y) * i) / 8
		);
	}
	await expect(theme(p, 'Sun theme')).toHaveClass(/\btarget\b/);
	await touch('touchEnd', 0, 0);
	await expect(sun.getByText(CARDS)).toBeVisible();

	await mobile.context.close();
	await aino.context.close();
});
