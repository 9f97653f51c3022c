/**
 * A core group's month in the browser, against the real server: create a
 * group, invite a member, run a short evening, close it, find it in the
 * archive, export CSV and read it — then, as an outsider, see none of it.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectSaved, ideaCard, newPerson, postIdea } from './helpers';

const AINO = { name: 'Aino Korhonen', industry: 'matkailu' };
const VILLE = { name: 'Ville Nieminen', industry: 'leipomo' };
const GROUP = 'Rovaniemen ydinryhmä';

async function fillProfile(page: Page, person: { name: string; industry: string }) {
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Your industry').fill(person.industry);
}

test('create a group, invite, run an evening, close it, archive, CSV; outsiders see nothing', async ({
	browser
}) => {
	// The facilitator starts a group from the front page.
	const aino = await newPerson(browser);
	const violations: string[] = [];
	aino.page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
	});
	await aino.page.goto('/');
	await aino.page.getByRole('link', { name: 'Start a group' }).click();
	await expect(aino.page).toHaveURL(/\/g\/new$/);
	await aino.page.getByLabel('Name of the group').fill(GROUP);
	await aino.page.getByLabel('Place').fill('Rovaniemi');
	await aino.page.getByRole('radio', { name: 'Suomi' }).check();
	await fillProfile(aino.page, AINO);
	await aino.page.getByRole('button', { name: 'Create the group' }).click();
	await expect(aino.page).toHaveURL(/\/g\/[A-Za-z0-9_-]+$/);
	await expect(aino.page.getByRole('heading', { level: 1, name: GROUP })).toBeVisible();
	const groupUrl = aino.page.url();
	const invite = await aino.page.getByTestId('invite-link').inputValue();
	expect(invite).toMatch(/\/g\/[A-Za-z0-9_-]+\/join#[A-Za-z0-9_-]{32}$/);

	// A member opens the invite link: name and industry once, then the group home.
	const ville = await newPerson(browser, { viewport: { width: 390, height: 844 } });
	await ville.page.goto(invite);
	await expect(ville.page.getByRole('heading', { name: `Join ${GROUP}` })).toBeVisible();
	// The secret left the address bar at once.
	expect(new URL(ville.page.url()).hash).toBe('');
	await fillProfile(ville.page, VILLE);
	await ville.page.getByRole('button', { name: 'Join the group' }).click();
	await expect(ville.page.getByRole('heading', { level: 1, name: GROUP })).toBeVisible();
	await expect(ville.page.getByText('No evening is running right now.')).toBeVisible();

	// Tonight's evening: started from the group home.
	await aino.page.getByRole('link', { name: 'Start tonight’s evening' }).click();
	await expect(aino.page.getByText('This is the group’s first evening')).toBeVisible();
	await aino.page.getByLabel('Name of the evening').fill('Marraskuun ilta');
	await aino.page.getByRole('button', { name: 'Start the evening' }).click();
	await expect(aino.page).toHaveURL(/\/s\/[A-Za-z0-9_-]+$/);
	const sessionId = new URL(aino.page.url()).pathname.split('/').pop()!;
	await postIdea(aino.page, 'Yhteinen joulumarkkinapaketti: safari ja leivonnaiset');

	// The member joins from the group home without any form.
	await ville.page.reload();
	await ville.page.getByRole('link', { name: 'Open the board' }).click();
	await expect(ville.page).toHaveURL(new RegExp(`/s/${sessionId}$`));
	await postIdea(ville.page, '=Ruisleipäkurssi matkailijoille; maistiaiset');
	await expectSaved(ville.page);
	await expect(ideaCard(aino.page, '=Ruisleipäkurssi matkailijoille; maistiaiset')).toBeVisible();

	// The facilitator closes it from the group home.
	await aino.page.goto(groupUrl);
	await expect(aino.page.getByTestId('live-session')).toContainText('2 ideas');
	aino.page.once('dialog', (dialog) => dialog.accept());
	await aino.page.getByRole('button', { name: 'Close the evening' }).click();
	await expect(aino.page.getByText('No evening is running right now.')).toBeVisible();
	const entry = aino.page.getByRole('link', { name: /Marraskuun ilta/ });
	await expect(entry).toContainText('2 ideas');
	await expect(entry).toContainText('2 participants');

	// The member finds it in the archive, also by searching, and opens it read-only.
	await ville.page.goto(groupUrl);
	await ville.page.getByLabel('Search the archive').fill('ruisleipä');
	await expect(ville.page.getByRole('link', { name: /Marraskuun ilta/ })).toBeVisible();
	await ville.page.getByLabel('Search the archive').fill('porotila');
	await expect(ville.page.getByText('No evening mentions “porotila”.')).toBeVisible();
	await ville.page.getByLabel('Search the archive').fill('');
	await ville.page.getByRole('link', { name: /Marraskuun ilta/ }).click();
	await expect(ville.page).toHaveURL(new RegExp(`/a/${sessionId}$`));
	await expect(
		ville.page.getByRole('heading', { level: 1, name: 'Marraskuun ilta' })
	).toBeVisible();
	await expect(ville.page.getByText(/^Closed /)).toBeVisible();
	const top = ville.page.getByRole('region', { name: 'Top ideas' });
	await expect(
		top.getByText('Yhteinen joulumarkkinapaketti: safari ja leivonnaiset')
	).toBeVisible();
	await expect(top.getByText('=Ruisleipäkurssi matkailijoille; maistiaiset')).toBeVisible();
	await expect(ville.page.getByRole('region', { name: 'Who took part' })).toContainText(
		`${VILLE.name}, ${VILLE.industry}`
	);
	await expect(ville.page.getByRole('textbox')).toHaveCount(0);

	// CSV: UTF-8 with BOM, `;`, one row per idea; the formula-looking idea is text.
	const downloading = ville.page.waitForEvent('download');
	await ville.page.getByRole('link', { name: 'CSV — for Excel' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^Marraskuun-ilta-\d{4}-\d{2}-\d{2}\.csv$/);
	const bytes = await readFile((await download.path())!);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
	expect(lines[0]).toBe('"Rank";"Idea";"Cluster";"Votes";"Voters";"Author";"Industry";"Posted"');
	expect(lines).toHaveLength(3);
	expect(lines.join('\n')).toContain(
		`"'=Ruisleipäkurssi matkailijoille; maistiaiset";"";0;0;"${VILLE.name}";"${VILLE.industry}"`
	);
	expect(lines.join('\n')).toContain(
		`"Yhteinen joulumarkkinapaketti: safari ja leivonnaiset";"";0;0;"${AINO.name}";"${AINO.industry}"`
	);

	// The printable page prints to PDF.
	await ville.page.getByRole('link', { name: 'Print or save as PDF' }).click();
	await expect(ville.page.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible();
	const pdf = await ville.page.pdf({ format: 'A4' });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

	// An outsider with every link but no invitation sees none of it.
	const outsider = await newPerson(browser);
	await outsider.page.goto(`/a/${sessionId}`);
	await expect(
		outsider.page.getByRole('heading', { name: 'This evening is not available' })
	).toBeVisible();
	await expect(outsider.page.getByText('Marraskuun ilta')).toHaveCount(0);
	await outsider.page.goto(groupUrl);
	await expect(
		outsider.page.getByRole('heading', { name: 'This group is not available' })
	).toBeVisible();
	await expect(outsider.page.getByText(GROUP)).toHaveCount(0);
	await outsider.page.goto(`/s/${sessionId}`);
	await expect(
		outsider.page.getByRole('heading', { name: 'This evening was not found' })
	).toBeVisible();
	const csv = await outsider.page.request.get(`/api/sessions/${sessionId}/export/csv`);
	expect(csv.status()).toBe(404);

	expect(violations).toEqual([]);
	for (const person of [aino, ville, outsider]) await person.context.close();
});
