import { expect, test } from '@playwright/test';
import { expectSaved, ideaCard, joinEvening, newPerson, postIdea, startEvening } from './helpers';

const AINO = { name: 'Aino Facilitator', industry: 'tourism' };
const VILLE = { name: 'Ville Baker', industry: 'bakery' };
const SANNA = { name: 'Sanna Accountant', industry: 'accounting' };

test('a participant joins by the share link and their idea appears for the facilitator', async ({
	browser
}) => {
	const facilitator = await newPerson(browser);
	await facilitator.context.grantPermissions(['clipboard-read', 'clipboard-write']);
	// The Content Security Policy must not block anything the app does.
	const violations: string[] = [];
	facilitator.page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
	});
	const link = await startEvening(facilitator.page, 'Core group, e2e', AINO);
	expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]+$/);
	await expect(facilitator.page.getByTestId('share-link')).toHaveText(link.replace('http://', ''));
	await expect(
		facilitator.page.getByRole('img', { name: 'QR code for the join link' })
	).toBeVisible();
	await facilitator.page.getByRole('button', { name: 'Copy link' }).click();
	await expect(facilitator.page.getByText('Link copied')).toBeVisible();
	expect(await facilitator.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

	const participant = await newPerson(browser);
	await joinEvening(participant.page, link, VILLE);
	// Participants do not get the share panel.
	await expect(participant.page.getByTestId('share-link')).toHaveCount(0);
	await expect(
		facilitator.page.getByTestId('online-list').getByText(VILLE.name, { exact: false })
	).toBeVisible();

	const text = 'Sell rye bread at the reindeer safari stop';
	await postIdea(participant.page, text);

	const card = ideaCard(facilitator.page, text);
	await expect(card).toBeVisible();
	await expect(card).toContainText(VILLE.name);
	await expect(card).toContainText(VILLE.industry);
	const announcement = facilitator.page
		.getByTestId('announcer')
		.getByText(`${VILLE.name} posted an idea: ${text}`);
	await expect(announcement).toHaveCount(1);
	// Said once, also after the card's highlight has ended.
	await expect(card).toHaveClass(/fresh/);
	await expect(card).not.toHaveClass(/fresh/);
	await expect(announcement).toHaveCount(1);

	await expectSaved(participant.page);
	await facilitator.page.reload();
	await expect(ideaCard(facilitator.page, text)).toBeVisible();
	expect(violations).toEqual([]);
	await participant.page.reload();
	await expect(ideaCard(participant.page, text)).toBeVisible();
	await expect(participant.page.getByLabel('Your idea')).toBeVisible();

	await facilitator.context.close();
	await participant.context.close();
});

test('authors edit and delete their own ideas; others see the change but get no controls', async ({
	browser
}) => {
	const facilitator = await newPerson(browser);
	const link = await startEvening(facilitator.page, 'Editing evening', AINO);
	const author = await newPerson(browser);
	await joinEvening(author.page, link, VILLE);
	const other = await newPerson(browser);
	await joinEvening(other.page, link, SANNA);

	const original = 'Shared booking calendar';
	await postIdea(author.page, original);
	await expect(ideaCard(other.page, original)).toBeVisible();

	// A non-author, non-facilitator sees no controls; the facilitator may moderate.
	const othersView = ideaCard(other.page, original);
	await expect(othersView.getByRole('button', { name: 'Edit' })).toHaveCount(0);
	await expect(othersView.getByRole('button', { name: 'Delete' })).toHaveCount(0);
	await expect(
		ideaCard(facilitator.page, original).getByRole('button', { name: 'Edit' })
	).toHaveCount(1);

	// Edit inline; Enter saves.
	const mine = ideaCard(author.page, original);
	await mine.getByRole('button', { name: 'Edit' }).click();
	const editor = author.page.getByLabel('Edit the idea');
	await expect(editor).toBeFocused();
	const edited = 'Shared booking calendar for all members';
	await editor.fill(edited);
	await editor.press('Enter');
	await expect(ideaCard(author.page, edited)).toContainText('edited');

	const updated = ideaCard(other.page, edited);
	await expect(updated).toBeVisible();
	await expect(updated).toContainText('edited');
	await expect(ideaCard(other.page, original)).toHaveCount(0);

	// Delete asks first; "Keep it" keeps it.
	await ideaCard(author.page, edited).getByRole('button', { name: 'Delete' }).click();
	await expect(author.page.getByText('Delete this idea?')).toBeVisible();
	await author.page.getByRole('button', { name: 'Keep it' }).click();
	await expect(ideaCard(author.page, edited)).toBeVisible();

	await ideaCard(author.page, edited).getByRole('button', { name: 'Delete' }).click();
	await author.page.getByRole('button', { name: 'Yes, delete' }).click();
	await expect(ideaCard(author.page, edited)).toHaveCount(0);
	await expect(author.page.getByRole('heading', { name: 'Ideas' })).toBeFocused();
	await expect(ideaCard(other.page, edited)).toHaveCount(0);
	await expect(ideaCard(facilitator.page, edited)).toHaveCount(0);
	await expect(other.page.getByText('No ideas yet')).toBeVisible();

	for (const person of [facilitator, author, other]) await person.context.close();
});

test('the connection indicator reaches "saved" after posting, and the idea is stored', async ({
	browser
}) => {
	const facilitator = await newPerson(browser);
	const link = await startEvening(facilitator.page, 'Saving evening', AINO);
	await expectSaved(facilitator.page);

	const text = 'Joint newsletter for the whole core group';
	await postIdea(facilitator.page, text);
	await expectSaved(facilitator.page);

	// Someone arriving later gets it from the server.
	const later = await newPerson(browser);
	await joinEvening(later.page, link, SANNA);
	await expect(ideaCard(later.page, text)).toBeVisible();

	await facilitator.context.close();
	await later.context.close();
});

test('ideas written offline are kept and sent when the connection returns', async ({ browser }) => {
	const facilitator = await newPerson(browser);
	const link = await startEvening(facilitator.page, 'Bad Wi-Fi evening', AINO);
	const participant = await newPerson(browser);
	await joinEvening(participant.page, link, VILLE);
	await expectSaved(participant.page);

	await participant.context.setOffline(true);
	await expect(participant.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await expect(participant.page.getByTestId('connection')).toContainText('your ideas are kept');

	const text = 'Written in the basement without Wi-Fi';
	await postIdea(participant.page, text);
	await expect(participant.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');

	// Leaving now would lose the idea: the browser asks first.
	const dialog = participant.page.waitForEvent('dialog');
	await participant.page.close({ runBeforeUnload: true });
	const beforeUnload = await dialog;
	expect(beforeUnload.type()).toBe('beforeunload');
	await beforeUnload.dismiss();
	await expect(ideaCard(participant.page, text)).toBeVisible();

	await participant.context.setOffline(false);
	await expectSaved(participant.page);
	await expect(ideaCard(facilitator.page, text)).toBeVisible();
	// Sent as it was, not refused and replayed.
	await expect(participant.page.getByRole('alert')).toHaveCount(0);

	await facilitator.context.close();
	await participant.context.close();
});

test('after a dropped connection the participant is back online and can post as before', async ({
	browser
}) => {
	const facilitator = await newPerson(browser);
	const link = await startEvening(facilitator.page, 'Flaky evening', AINO);
	const participant = await newPerson(browser);
	await joinEvening(participant.page, link, VILLE);
	await expectSaved(participant.page);
	const online = facilitator.page.getByTestId('online-list');
	await expect(online).toContainText(VILLE.name);

	await participant.context.setOffline(true);
	await expect(participant.page.getByTestId('connection')).toHaveAttribute('data-state', 'offline');
	await expect(online).not.toContainText(VILLE.name);

	await participant.context.setOffline(false);
	await expectSaved(participant.page);
	await expect(online).toContainText(VILLE.name);

	await postIdea(participant.page, 'Posted after the Wi-Fi came back');
	await expectSaved(participant.page);
	await expect(ideaCard(facilitator.page, 'Posted after the Wi-Fi came back')).toBeVisible();
	// Nothing had to be reloaded or re-sent.
	await expect(participant.page.getByRole('alert')).toHaveCount(0);

	await facilitator.context.close();
	await participant.context.close();
});

test('an unknown evening shows a friendly page', async ({ page }) => {
	await page.goto('/s/doesNotExist123');
	await expect(page.getByRole('heading', { name: 'This evening was not found' })).toBeVisible();
	await page.getByRole('link', { name: 'Go to the front page' }).click();
	await expect(page.getByRole('button', { name: 'Start the evening' })).toBeVisible();
});
