/**
 * The early start (src/lib/early.ts): a board page starts its API reads and
 * its sync socket from an inline script, before the app's scripts load, and
 * the app takes them over. The board must arrive exactly once, over one
 * socket, with one read of each API resource, and then work as usual.
 */
import { listIdeas } from '@kipina/board';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { expectSaved, ideaCard, joinEvening, newPerson, postIdea } from './helpers';
import { Remote, joinAs, startEveningIn } from './seed';

const SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;

/** Every socket the page opens to `/sync/<id>?…`, with the sync messages sent and received. */
function watchBoardSockets(page: Page, sessionId: string) {
	const sockets: { url: string; step1Sent: number; step2Received: number; closed: boolean }[] = [];
	page.on('websocket', (ws) => {
		if (!new URL(ws.url()).pathname.endsWith(`/sync/${sessionId}`)) return;
		const socket = { url: ws.url(), step1Sent: 0, step2Received: 0, closed: false };
		sockets.push(socket);
		const kind = (payload: string | Buffer, type: number) =>
			typeof payload !== 'string' && payload[0] === SYNC && payload[1] === type;
		ws.on('framesent', ({ payload }) => {
			if (kind(payload, STEP1)) socket.step1Sent++;
		});
		ws.on('framereceived', ({ payload }) => {
			if (kind(payload, STEP2)) socket.step2Received++;
		});
		ws.on('close', () => (socket.closed = true));
	});
	return sockets;
}

function countApiReads(page: Page, sessionId: string) {
	const reads = new Map<string, number>();
	page.on('request', (request) => {
		const path = new URL(request.url()).pathname;
		if (request.method() === 'GET' && path.startsWith(`/api/sessions/${sessionId}`)) {
			reads.set(path, (reads.get(path) ?? 0) + 1);
		}
	});
	return reads;
}

/** An evening started by a facilitator's browser, with one remote participant connected. */
async function eveningWithRemote(browser: Browser, title: string) {
	const host = await newPerson(browser);
	const evening = await startEveningIn(host.context, title, {
		name: 'Aino Facilitator',
		industry: 'tourism'
	});
	const remote = await Remote.connect(
		evening.id,
		await joinAs(evening.id, { name: 'Reino Remote', industry: 'forestry' })
	);
	return { host, evening, remote };
}

test('a board page fetches the board once, over the socket it opened before the app loaded', async ({
	browser
}) => {
	const { host, evening, remote } = await eveningWithRemote(browser, 'Early start');
	for (let i = 1; i <= 12; i++) remote.post(`Idea before the page loaded ${i}`);

	const sockets = watchBoardSockets(host.page, evening.id);
	const reads = countApiReads(host.page, evening.id);
	await host.page.goto(`/s/${evening.id}`);
	await expect(host.page.locator('ul[data-ideas]')).toHaveAttribute('data-ideas', '12');
	await expect(ideaCard(host.page, 'Idea before the page loaded 12')).toBeVisible();

	// The inline script's socket and reads were taken over, not repeated.
	expect(
		await host.page.evaluate(() => {
			const early = window.__kipinaEarly;
			return (
				early && { socket: early.socket, left: Object.values(early.responses).filter(Boolean) }
			);
		})
	).toEqual({ socket: null, left: [] });
	expect(sockets).toHaveLength(1);
	expect(sockets[0]).toMatchObject({ step1Sent: 1, step2Received: 1, closed: false });
	expect(Object.fromEntries(reads)).toEqual({
		[`/api/sessions/${evening.id}`]: 1,
		[`/api/sessions/${evening.id}/me`]: 1
	});

	// The adopted socket carries writes, their saved acknowledgements and live updates.
	await postIdea(host.page, 'Posted over the early socket');
	await expectSaved(host.page);
	await remote.until((doc) =>
		listIdeas(doc).some((idea) => idea.text === 'Posted over the early socket')
	);
	remote.post('Live after the early start');
	await expect(ideaCard(host.page, 'Live after the early start')).toBeVisible();
	expect(sockets).toHaveLength(1);

	remote.close();
	await host.context.close();
});

test('someone who has not joined yet gets the join form, then a board over a socket of its own', async ({
	browser
}) => {
	const { host, evening, remote } = await eveningWithRemote(browser, 'Early start, new person');
	remote.post('Already on the board');

	const guest = await newPerson(browser);
	const sockets = watchBoardSockets(guest.page, evening.id);
	// The early socket is refused (not joined yet); joining opens the board's own.
	await joinEvening(guest.page, `/s/${evening.id}`, { name: 'Ville Baker', industry: 'bakery' });
	await expect(ideaCard(guest.page, 'Already on the board')).toBeVisible();
	expect(sockets.map((s) => s.closed)).toEqual([true, false]);
	expect(sockets[1]).toMatchObject({ step1Sent: 1, step2Received: 1 });
	await postIdea(guest.page, 'First idea after joining');
	await expectSaved(guest.page);

	remote.close();
	await Promise.all([host.context.close(), guest.context.close()]);
});
