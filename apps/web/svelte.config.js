import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Runes everywhere in our own code; leave third-party components alone.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		adapter: adapter({ out: 'build' }),
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte transitions insert <style> elements at runtime.
				'style-src': ['self', 'unsafe-inline'],
				// 'self' covers ws:/wss: of the same host in CSP 3 browsers; hooks.server.ts adds
				// the explicit ws(s)://<host> origin per request for the ones that predate it.
				'connect-src': ['self'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			config(config) {
				config.include.push('../e2e/**/*.ts', '../playwright.config.ts', '../vitest.config.ts');
			}
		}
	}
};

export default config;
