import type { ClientInit } from '@sveltejs/kit';
import { I18n } from '$lib/i18n';

/**
 * Starts fetching the shown language's messages (their own chunk) as the app
 * starts, alongside the route's modules, instead of one step later when the
 * root layout's load runs; that load then waits for the same import.
 */
export const init: ClientInit = () => {
	I18n.loadBrowserLocale().catch(() => undefined);
};
