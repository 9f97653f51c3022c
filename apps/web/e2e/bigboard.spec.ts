/**
 * A big board (more ideas than a few screenfuls): the page draws the first
 * cards at once and the rest in the following tasks, without the slide
 * animation (see IdeaGrid.svelte). Every card must still arrive, live
 * updates must keep working, and an idea being edited keeps its text.
 */
import { listIdeas } from '@kipina/board';
import { expect, test } from '@playwright/test';
import { ideaCard, joinEvening, newPerson, postIdea } from './helpers';
import { Remote, crowd, joinAs, startEveningIn } from './seed';

const IDEAS = 240;
const AUTHORS = 6;

test('a big board shows every idea, takes new ones live, and keeps an edit open', async ({
	browser
}) => {
	const host = await newPerson(browser);
	const evening = await startEveningIn(host.context, 'Big board', {
		name: 'Aino Facilitator',
		industry: 'tourism'
	});
	const facilitator = await Remote.connect(evening.id, evening);
	const remotes = await Promise.all(
		crowd(AUTHORS).map(async (person) =>
			Remote.connect(evening.id, await joinAs(evening.id, person))
		)
	);
	for (let i = 0; i < IDEAS; i++) remotes[i % AUTHORS]!.post(`Big board idea number ${i + 1}`);
	await facilitator.until((doc) => listIdeas(doc).length === IDEAS, 30_000);

	const viewer = await newPerson(browser, { viewport: { width: 360, height: 780 } });
	await joinEvening(viewer.page, `/s/${evening.id}`, { name: 'Ville Baker', industry: 'bakery' });
	const grid = viewer.page.locator('ul[data-ideas]');
	await expect(grid).toHaveAttribute('data-ideas', String(IDEAS));
	// All cards end up in the page, the last one too.
	await expect(grid).toHaveAttribute('data-rendered', String(IDEAS));
	await expect(grid.locator(':scope > li')).toHaveCount(IDEAS);
	await expect(ideaCard(viewer.page, `Big board idea number ${IDEAS}`)).toHaveCount(1);
	await expect(viewer.page.getByTestId('idea-count')).toContainText(`${IDEAS} ideas`);

	// The viewer edits their own idea while others keep posting.
	await postIdea(viewer.page, 'Ville’s own idea on a big board');
	const own = ideaCard(viewer.page, 'Ville’s own idea on a big board');
	await own.scrollIntoViewIfNeeded();
	await expect(own).toBeVisible();
	await own.getByRole('button', { name: 'Edit' }).click();
	const editor = viewer.page.getByLabel('Edit the idea');
	await editor.fill('Ville’s idea, being rewritten');
	remotes[0]!.post('Posted during the edit');
	await expect(ideaCard(viewer.page, 'Posted during the edit')).toHaveCount(1);
	await expect(grid.locator(':scope > li')).toHaveCount(IDEAS + 2);
	await expect(editor).toHaveValue('Ville’s idea, being rewritten');
	await viewer.page.getByRole('button', { name: 'Save' }).click();
	await facilitator.until((doc) =>
		listIdeas(doc).some((idea) => idea.text === 'Ville’s idea, being rewritten')
	);

	for (const remote of remotes) remote.close();
	facilitator.close();
	await Promise.all([host.context.close(), viewer.context.close()]);
});
