/**
 * The people, sizes and steps the screenshot tests share (screenshots.spec.ts).
 */
import { expect, type Browser, type Page } from '@playwright/test';
import { ideaCard } from './helpers';

export const OUT = '/tmp/kipina-shots';

export const SIZES = {
	phone: { width: 360, height: 780 },
	laptop: { width: 1366, height: 768 },
	projector: { width: 1920, height: 1080 }
} as const;
export type Size = keyof typeof SIZES;

export const PEOPLE = [
	{
		name: 'Aino Korhonen',
		industry: 'matkailu',
		ideas: [
			'Yhteinen joulumarkkinapaketti: safari, leivonnaiset ja käsityöt samaan lippuun',
			'Kysytään asiakkailta palautetta QR-koodilla heti elämyksen jälkeen',
			'Talven hiljaisille viikoille yrityksille räätälöidyt virkistyspäivät, joissa jokainen ydinryhmän jäsen tuo oman osaamisensa: ruokaa, ohjelmaa, kuvia ja markkinointia.'
		]
	},
	{
		name: 'Ville Nieminen',
		industry: 'leipomo',
		ideas: [
			'Aamiaisleivät safariryhmille suoraan majoitukseen',
			'Ruisleipäkurssi matkailijoille – maistiaiset ja tarina leivän historiasta',
			'Yhteinen verkkokauppa lähituotteille, nouto leipomosta'
		]
	},
	{
		name: 'Sanna Mäkinen',
		industry: 'kirjanpito',
		ideas: [
			'Kuukausittainen kassavirtaklinikka: 30 minuuttia per yritys',
			'Yhteishankinnat: pakkausmateriaalit ja sähkö yhdessä halvemmalla',
			'Muistutuslista arvonlisäveron eräpäivistä kaikille jäsenille'
		]
	},
	{
		name: 'Jussi Lehtonen',
		industry: 'IT',
		ideas: [
			'Yhteinen ajanvarausjärjestelmä, jota kaikki jäsenet voivat käyttää',
			'Somevideoita vuorotellen toistemme yrityksistä – asiakkaita ristiin',
			'Pienyritysten tietoturvailta: salasanat, varmuuskopiot ja huijausviestit'
		]
	}
];

export async function open(browser: Browser, size: Size, locale = 'fi-FI') {
	const phone = size === 'phone';
	const context = await browser.newContext({
		baseURL: process.env.KIPINA_BASE_URL,
		locale,
		viewport: SIZES[size],
		deviceScaleFactor: phone ? 2 : 1,
		isMobile: phone,
		hasTouch: phone,
		// Instant scrolling and no transitions: the pictures show settled states.
		reducedMotion: 'reduce'
	});
	return { context, page: await context.newPage() };
}

export async function shoot(page: Page, name: string, fullPage = false) {
	await page.evaluate(() => document.fonts.ready);
	await page.screenshot({ path: `${OUT}/${name}.png`, fullPage, animations: 'disabled' });
}

export async function join(page: Page, link: string, person: (typeof PEOPLE)[number]) {
	await page.goto(link);
	await page.getByLabel('Nimesi').fill(person.name);
	await page.getByLabel('Toimialasi').fill(person.industry);
	await page.getByRole('button', { name: 'Liity', exact: true }).click();
	await expect(page.getByRole('textbox', { name: 'Ideasi' })).toBeVisible();
}

export async function post(page: Page, text: string) {
	const box = page.getByRole('textbox', { name: 'Ideasi' });
	await box.fill(text);
	await box.press('Enter');
	await expect(ideaCard(page, text)).toBeVisible();
}
