import { expect, test } from '@playwright/test';
import { newPerson, startEvening } from './helpers';

test('the language follows the browser and a switch is remembered across reloads', async ({
	browser
}) => {
	const { context, page } = await newPerson(browser, { locale: 'en-US' });
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { name: 'Start an evening' })).toBeVisible();

	await page.getByRole('button', { name: 'Suomi' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
	await expect(page.getByRole('heading', { name: 'Aloita ilta' })).toBeVisible();
	await expect(page.getByLabel('Toimialasi')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Suomi' })).toHaveAttribute('aria-pressed', 'true');

	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
	await expect(page.getByRole('heading', { name: 'Aloita ilta' })).toBeVisible();

	await page.getByRole('button', { name: 'English' }).click();
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Start an evening' })).toBeVisible();
	await context.close();
});

test('a Finnish browser gets Finnish, also on the board', async ({ browser }) => {
	const { context, page } = await newPerson(browser, { locale: 'fi-FI' });
	await page.goto('/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'fi');
	await page.getByRole('button', { name: 'English' }).click();
	// startEvening speaks English; switch back once on the board.
	await startEvening(page, 'Ydinryhmä', { name: 'Aino', industry: 'matkailu' });
	await page.getByRole('button', { name: 'Suomi' }).click();
	await expect(page.getByLabel('Ideasi')).toBeVisible();
	await expect(page.getByTestId('connection')).toHaveText('Kaikki muutokset tallennettu');
	await expect(page.getByText('Ei vielä ideoita')).toBeVisible();
	await context.close();
});
