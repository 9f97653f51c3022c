import { expect, test } from '@playwright/test';
import { expectSaved, ideaCard, postIdea, startEvening } from './helpers';

test('the composer counts near the limit, keeps a draft it cannot post, and survives a reload', async ({
	page
}) => {
	await startEvening(page, 'Composer evening', { name: 'Aino', industry: 'tourism' });
	const box = page.getByRole('textbox', { name: 'Your idea' });

	// Short ideas show no counter; near the limit it appears.
	await box.fill('Short idea');
	await expect(page.getByText(/characters? left/)).toHaveCount(0);
	await box.fill('x'.repeat(480));
	await expect(page.getByText('20 characters left')).toBeVisible();

	// Too long: Enter does not post, the text stays, and the reason is shown.
	const tooLong = 'y'.repeat(510);
	await box.fill(tooLong);
	await expect(page.getByText('10 characters too many').first()).toBeVisible();
	await box.press('Enter');
	await expect(page.getByRole('alert')).toHaveText('10 characters too many');
	await expect(box).toHaveValue(tooLong);
	await expect(page.locator('article.idea')).toHaveCount(0);

	// Shift+Enter is a new line, not a post.
	await box.fill('First line');
	await box.press('Shift+Enter');
	await box.pressSequentially('second line');
	await expect(box).toHaveValue('First line\nsecond line');
	await expect(page.locator('article.idea')).toHaveCount(0);

	// An unposted draft is still there after a reload.
	await page.reload();
	await expect(box).toHaveValue('First line\nsecond line');
	await box.press('Enter');
	await expect(box).toHaveValue('');
	await expect(page.locator('article.idea')).toHaveCount(1);
	await expect(page.locator('article.idea p.text')).toHaveText('First line\nsecond line');
	await expectSaved(page);
});

test('name and industry are remembered for the next evening', async ({ page }) => {
	await startEvening(page, 'First evening', { name: 'Ville', industry: 'bakery' });
	await postIdea(page, 'Remember me');
	await page.goto('/');
	await expect(page.getByLabel('Your name')).toHaveValue('Ville');
	await expect(page.getByLabel('Your industry')).toHaveValue('bakery');
	await expect(ideaCard(page, 'Remember me')).toHaveCount(0);
});
