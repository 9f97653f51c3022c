import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export interface Person {
	name: string;
	industry: string;
}

/** A fresh browser profile (own cookies and localStorage), i.e. another person's device. */
export async function newPerson(
	browser: Browser,
	options: { locale?: string; viewport?: { width: number; height: number } } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		baseURL: process.env.KIPINA_BASE_URL,
		locale: options.locale ?? 'en-US',
		viewport: options.viewport ?? { width: 1366, height: 768 }
	});
	return { context, page: await context.newPage() };
}

/** Starts an evening from the front page and returns the share link the board shows. */
export async function startEvening(page: Page, title: string, person: Person): Promise<string> {
	await page.goto('/');
	await page.getByLabel('Name of the evening').fill(title);
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Your industry').fill(person.industry);
	await page.getByRole('button', { name: 'Start the evening' }).click();
	await expect(page).toHaveURL(/\/s\/[A-Za-z0-9_-]+$/);
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	const href = await page.getByTestId('share-link').getAttribute('href');
	if (!href) throw new Error('the board shows no share link');
	return new URL(href, page.url()).href;
}

export async function joinEvening(page: Page, link: string, person: Person): Promise<void> {
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Join the evening' })).toBeVisible();
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Your industry').fill(person.industry);
	await page.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(page.getByLabel('Your idea')).toBeVisible();
}

export async function postIdea(page: Page, text: string): Promise<void> {
	const box = page.getByLabel('Your idea');
	await box.fill(text);
	await box.press('Enter');
	await expect(box).toHaveValue('');
	await expect(ideaCard(page, text)).toBeVisible();
}

/** The card showing an idea's text. */
export function ideaCard(page: Page, text: string) {
	return page.locator('article.idea').filter({ has: page.getByText(text, { exact: true }) });
}

export async function expectSaved(page: Page): Promise<void> {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'saved');
	await expect(page.getByTestId('connection')).toHaveText('All changes saved');
}
