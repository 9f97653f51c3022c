import { I18n } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// The whole app renders in the browser: the language comes from this device's
// choice (localStorage) or the browser, which the server cannot see, and the
// board is live data anyway. See docs/i18n.md.
export const ssr = false;
export const prerender = false;

/** Only the language shown is loaded (its own chunk), in parallel with the page's data. */
export const load: LayoutLoad = async () => ({ locale: await I18n.loadBrowserLocale() });
