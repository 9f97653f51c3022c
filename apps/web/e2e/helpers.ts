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

/* ---- The meeting-night flow (phases, themes, voting) ---- */

/** Phase names as the stepper says them in English, by the board's phase id. */
export const PHASE_NAMES = {
	ideate: 'Ideas',
	cluster: 'Themes',
	vote: 'Vote',
	results: 'Results',
	actions: 'Actions'
} as const;
export type PhaseId = keyof typeof PHASE_NAMES;

export async function expectPhase(page: Page, phase: PhaseId): Promise<void> {
	await expect(page.getByTestId('phase-bar')).toHaveAttribute('data-phase', phase);
}

/** The facilitator moves everyone to a phase with the stepper. */
export async function goToPhase(page: Page, phase: PhaseId): Promise<void> {
	await page
		.getByTestId('phase-bar')
		.getByRole('button', { name: `Move everyone to “${PHASE_NAMES[phase]}”` })
		.click();
	await expectPhase(page, phase);
}

/** An idea's row in the vote phase. */
export function voteItem(page: Page, text: string) {
	return page.getByTestId('vote-item').filter({ has: page.getByText(text, { exact: true }) });
}

/** Gives `count` dots to an idea, waiting for each to show. */
export async function giveDots(page: Page, text: string, count: number): Promise<void> {
	const item = voteItem(page, text);
	const mine = item.getByTestId('my-dots');
	for (let i = 0; i < count; i++) {
		const before = Number(await mine.getAttribute('data-count'));
		await item.getByRole('button', { name: /^Give a dot to/ }).click();
		await expect(mine).toHaveAttribute('data-count', String(before + 1));
	}
}

/** A theme (cluster) in the theme phase, by its name (or "Sun theme" while unnamed). */
export function theme(page: Page, name: string) {
	return page.locator(`[data-testid="theme"][aria-label="${name.replace(/"/g, '\\"')}"]`);
}

/** Drags an idea card with the mouse onto `target` (another card, a theme, a drop zone). */
export async function dragIdeaTo(
	page: Page,
	text: string,
	target: ReturnType<Page['locator']>
): Promise<void> {
	const from = await ideaCard(page, text).getByText(text, { exact: true }).boundingBox();
	if (!from) throw new Error(`no card for "${text}"`);
	const x = from.x + from.width / 2;
	const y = from.y + from.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + 12, y + 12, { steps: 3 });
	const to = await target.boundingBox();
	if (!to) throw new Error('the drop target is not on screen');
	await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 40), { steps: 10 });
	await expect(target).toHaveClass(/\btarget\b/);
	await page.mouse.up();
}
