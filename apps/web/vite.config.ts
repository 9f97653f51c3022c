import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite';

/** The API server in development (`pnpm --filter @kipina/server dev`). */
const API = process.env.KIPINA_API ?? 'http://localhost:3000';

export default defineConfig({
	plugins: [sveltekit()],
	resolve: {
		// Use @kipina/board's TypeScript sources (its "source" export), so no build step is needed.
		conditions: ['source', ...defaultClientConditions]
	},
	ssr: {
		noExternal: ['@kipina/board'],
		resolve: {
			conditions: ['source', ...defaultServerConditions],
			externalConditions: ['source', ...defaultServerConditions]
		}
	},
	server: {
		proxy: {
			'/api': { target: API },
			'/sync': { target: API, ws: true }
		}
	}
});
