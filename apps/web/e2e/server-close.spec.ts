/**
 * What the board does when the server closes the sync socket with one of the
 * application codes (CLOSE in @kipina/board). The real server sits behind a
 * Playwright WebSocket route, so the test can make it "say" a code at will.
 */
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test';
import { expectSaved, ideaCard, joinEvening, postIdea, startEvening } from './helpers';

const AINO = { name: 'Aino', industry: 'tourism' };

/** Routes this page's sync sockets through to the real server; returns the live routes. */
async function routeSync(page: Page): Promise<WebSocketRoute[]> {
	const routes: WebSocketRoute[] = [];
	await page.routeWebSocket(/\/sync\//, (ws) => {
		ws.connectToServer();
		routes.push(ws);
	});
	return routes;
}

test('a refused replica is replaced by a fresh one, and the user is told', async ({ page }) => {
	const routes = await routeSync(page);
	await startEvening(page, 'Reset evening', AINO);
	await postIdea(page, 'Stored before the reset');
	await expectSaved(page);
	expect(routes).toHaveLength(1);

	await routes[0]!.close({ code: 4409, reason: 'out of sync' });

	await expect(page.getByRole('alert')).toContainText('A change could not be saved');
	await expect.poll(() => routes.length).toBe(2);
	await expectSaved(page);
	// The fresh replica got the stored state from the server and works as before.
	await expect(ideaCard(page, 'Stored before the reset')).toBeVisible();
	await postIdea(page, 'Posted after the reset');
	await expectSaved(page);
	await page.getByRole('button', { name: 'Dismiss' }).click();
	await expect(page.getByRole('alert')).toHaveCount(0);
});

test('an unauthenticated close shows the join form again', async ({ page }) => {
	const routes = await routeSync(page);
	await startEvening(page, 'Expired evening', AINO);
	await expectSaved(page);

	await routes[0]!.close({ code: 4401, reason: 'unauthenticated' });

	await expect(page.getByRole('heading', { name: 'Join the evening' })).toBeVisible();
	await expect(page.getByText('Your place in this evening has expired')).toBeVisible();
	// No blind reconnecting after a fatal code.
	expect(routes).toHaveLength(1);
});

test('an unknown-session close shows the not-found page', async ({ page }) => {
	const routes = await routeSync(page);
	await startEvening(page, 'Vanished evening', AINO);
	await expectSaved(page);

	await routes[0]!.close({ code: 4404, reason: 'unknown session' });

	await expect(page.getByRole('heading', { name: 'This evening was not found' })).toBeVisible();
	expect(routes).toHaveLength(1);
});

test('a "try again later" close reconnects by itself without bothering the user', async ({
	page
}) => {
	const routes = await routeSync(page);
	await startEvening(page, 'Busy evening', AINO);
	await postIdea(page, 'Posted before the pause');
	await expectSaved(page);

	await routes[0]!.close({ code: 4529, reason: 'rate limited' });

	await expect.poll(() => routes.length).toBe(2);
	await expectSaved(page);
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expect(ideaCard(page, 'Posted before the pause')).toBeVisible();
});

test('a closed evening stays readable but can no longer be changed', async ({ page }) => {
	const routes = await routeSync(page);
	await startEvening(page, 'Ended evening', AINO);
	await postIdea(page, 'Kept for the archive');
	await expectSaved(page);

	await routes[0]!.close({ code: 4410, reason: 'session closed' });

	await expect(page.getByTestId('closed')).toContainText('This evening has ended');
	await expect(ideaCard(page, 'Kept for the archive')).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Your idea' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Edit' })).toHaveCount(0);
	await expect(page.getByTestId('share-link')).toHaveCount(0);
	expect(routes).toHaveLength(1);
});

test('an idea the server never confirmed is sent again after a reset, not lost', async ({
	page,
	browser
}) => {
	// The first sync socket can be told to stop passing the page's messages on.
	let hold = false;
	const routes: WebSocketRoute[] = [];
	await page.routeWebSocket(/\/sync\//, (ws) => {
		const server = ws.connectToServer();
		const first = routes.length === 0;
		ws.onMessage((message) => {
			if (!(first && hold)) server.send(message);
		});
		routes.push(ws);
	});
	const link = await startEvening(page, 'Replay evening', AINO);
	await expectSaved(page);

	hold = true;
	const text = 'Typed while the server was not listening';
	await postIdea(page, text);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'saving');

	await routes[0]!.close({ code: 4409, reason: 'out of sync' });

	await expect(page.getByRole('alert')).toContainText('Your unsaved ideas were sent again');
	await expectSaved(page);
	await expect(ideaCard(page, text)).toHaveCount(1);

	// Stored on the server: someone else sees it.
	const other = await browser.newContext({ baseURL: process.env.KIPINA_BASE_URL });
	const otherPage = await other.newPage();
	await joinEvening(otherPage, link, { name: 'Ville', industry: 'bakery' });
	await expect(ideaCard(otherPage, text)).toBeVisible();
	await other.close();
});
