import { defineConfig } from 'vitest/config';

export default defineConfig({
	resolve: { conditions: ['source'] },
	test: {
		include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Integration tests start real servers and child processes; keep them apart.
		fileParallelism: false
	}
});
