import { defineConfig, devices } from '@playwright/test';

/** `KIPINA_SCREENS=1 playwright test --grep @screens` saves screenshots; never in the default run. */
const screens = process.env.KIPINA_SCREENS === '1';

export default defineConfig({
	testDir: './e2e',
	globalSetup: './e2e/global-setup.ts',
	fullyParallel: true,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? 'line' : 'list',
	grepInvert: screens ? undefined : /@screens/,
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
