import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources (the `source`
// export condition), so tests never run against a stale build.
// The rest is Vite's default server conditions.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
	resolve: { conditions },
	ssr: { resolve: { conditions } },
	test: {
		include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Integration tests start real servers and child processes; keep them apart.
		fileParallelism: false
	}
});
