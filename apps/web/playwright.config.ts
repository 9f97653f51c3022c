import { defineConfig, devices } from '@playwright/test';

/** `KIPINA_SCREENS=1 playwright test --grep @screens` saves screenshots; never in the default run. */
const screens = process.env.KIPINA_SCREENS === '1';
/** `KIPINA_PERF=1 playwright test --grep @perf` measures the UI under load (perf.spec.ts); same. */
const perf = process.env.KIPINA_PERF === '1';
const skipped = [screens ? null : '@screens', perf ? null : '@perf'].filter((tag) => tag !== null);

export default defineConfig({
	testDir: './e2e',
	globalSetup: './e2e/global-setup.ts',
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? 'line' : 'list',
	grepInvert: skipped.length > 0 ? new RegExp(skipped.join('|')) : undefined,
	use: {
		// The globalSetup starts the real server and publishes its address here.
		baseURL: process.env.KIPINA_BASE_URL,
		locale: 'en-US',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-sync'
			]
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }]
});
