import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Unit tests of pure logic only; browser tests live in e2e/ and run with Playwright.
export default defineConfig({
	// Like vite.config.ts: @kipina/board from its TypeScript sources, no build needed.
	resolve: { conditions: ['source', ...defaultClientConditions] },
	ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
