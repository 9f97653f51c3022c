/**
 * Script-injection payloads in every user string — evening title, names,
 * industries, ideas, theme names, actions — rendered on the board and on the
 * projector screen through every phase that shows them. A sentinel function
 * counts any payload that runs; the CSP reports any markup it had to block.
 * Both must stay at zero, and every payload must read back as plain text.
 */
import { createAction, createCluster, moveIdea } from '@kipina/board';
import { expect, test, type Page } from '@playwright/test';
import { newPerson } from './helpers';
import { Remote, joinAs, startEveningIn } from './seed';

const PAYLOADS = [
	'<script>window.__xss(1)</script>',
	'<img src=x onerror="window.__xss(2)">',
	'"><svg onload=window.__xss(3)>',
	'javascript:window.__xss(4)',
	'</textarea><script>window.__xss(5)</script>',
	'<iframe srcdoc="<script>parent.__xss(6)</script>"></iframe>',
	'{@html "<img src=x onerror=window.__xss(7)>"}',
	'<a href="javascript:window.__xss(8)">klikkaa</a>',
	'<style>*{display:none}</style><b onmouseover=window.__xss(9)>x</b>'
];

declare global {
	interface Window {
		__xss: (n: number) => void;
		__xssHits: number[];
		__cspViolations: string[];
	}
}

async function armSentinel(page: Page): Promise<void> {
	await page.addInitScript(() => {
		window.__xssHits = [];
		window.__xss = (n: number) => window.__xssHits.push(n);
		window.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`)
		);
	});
}

async function expectClean(page: Page): Promise<void> {
	// Hover everything once, for payloads that wait for a mouse.
	for (const el of await page.locator('b, a').all())
		await el.hover({ trial: true }).catch(() => {});
	expect(await page.evaluate(() => window.__xssHits)).toEqual([]);
	expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
	expect(
		await page.locator('iframe, img[src="x"], [onerror], [onload], [onmouseover]').count()
	).toBe(0);
	expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
}

/** Each payload is on the page as text, exactly (the title and names can be cut to fit). */
async function expectLiteral(page: Page, texts: string[]): Promise<void> {
	for (const text of texts) {
		await expect(page.getByText(text, { exact: true }).first()).toBeAttached();
	}
}

test('payloads in every user string render as text on the board and the projector', async ({
	browser
}) => {
	const { context, page } = await newPerson(browser, { viewport: { width: 1920, height: 1080 } });
	await armSentinel(page);
	const title = PAYLOADS[0]!;
	const evening = await startEveningIn(context, title, {
		name: PAYLOADS[1]!.slice(0, 60),
		industry: PAYLOADS[2]!
	});
	const facilitator = await Remote.connect(evening.id, evening);
	const guest = await Remote.connect(
		evening.id,
		await joinAs(evening.id, { name: PAYLOADS[3]!, industry: PAYLOADS[7]!.slice(0, 60) })
	);
	const ideaTexts = PAYLOADS.map((p, i) => `${p} #${i}`);
	const ideaIds = ideaTexts.map((text, i) => (i % 2 ? guest : facilitator).post(text));

	await page.goto(`/s/${evening.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expectLiteral(page, ideaTexts);
	await expectClean(page);

	const screen = await context.newPage();
	await armSentinel(screen);
	await screen.goto(`/s/${evening.id}/screen`);
	for (const text of ideaTexts.slice(0, 4)) {
		await expect(screen.getByTestId('screen-idea').filter({ hasText: text })).toBeVisible();
	}
	await expectClean(screen);

	// Themes named with payloads, then results and actions with payload text.
	facilitator.phase('cluster');
	const themeName = PAYLOADS[5]!.slice(0, 80);
	facilitator.run((doc) => {
		const cluster = createCluster(doc, evening.participant.id, [ideaIds[0]!], themeName);
		moveIdea(doc, ideaIds[1]!, cluster);
	});
	await expect(screen.getByText(themeName, { exact: true }).first()).toBeVisible();
	// The facilitator's board shows theme names in rename fields.
	await expect
		.poll(() =>
			page.evaluate(
				(name) =>
					[...document.querySelectorAll('input')].some((i) => i.value === name) ||
					[...document.querySelectorAll('body *')].some((e) => e.textContent === name),
				themeName
			)
		)
		.toBe(true);
	await expectClean(screen);
	await expectClean(page);

	facilitator.phase('results');
	await expect(screen.getByTestId('screen-phase')).toHaveText('Results');
	await expectClean(screen);

	facilitator.phase('actions');
	const actionText = `${PAYLOADS[8]} — seuraava askel`;
	facilitator.run((doc) =>
		createAction(doc, evening.participant.id, {
			text: actionText,
			ownerIds: [guest.seat.participant.id],
			source: { kind: 'idea', id: ideaIds[2]! }
		})
	);
	await expect(screen.getByText(actionText, { exact: true }).first()).toBeVisible();
	await expect(page.getByText(actionText, { exact: true }).first()).toBeAttached();
	await expectClean(screen);
	await expectClean(page);

	facilitator.close();
	guest.close();
	await context.close();
});
