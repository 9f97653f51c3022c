import { defineConfig } from 'vitest/config';

// Unit tests of pure logic only; browser tests live in e2e/ and run with Playwright.
export default defineConfig({
	resolve: { conditions: ['source'] },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
