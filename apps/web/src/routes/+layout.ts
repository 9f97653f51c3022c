import { browser } from '$app/environment';
import { I18n } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// The whole app renders in the browser: the language comes from this device's
// choice (localStorage) or the browser, which the server cannot see, and the
// board is live data anyway. See docs/i18n.md.
export const ssr = false;
export const prerender = false;

/**
 * Only the language shown is loaded (its own chunk). Started as soon as this
 * module runs, alongside the other modules of the page, not after them.
 */
const locale = browser ? I18n.loadBrowserLocale() : null;

export const load: LayoutLoad = async () => ({
	locale: await (locale ?? I18n.loadBrowserLocale())
});
