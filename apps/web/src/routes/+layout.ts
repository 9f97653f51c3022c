// The whole app renders in the browser: the language comes from this device's
// choice (localStorage) or the browser, which the server cannot see, and the
// board is live data anyway. See docs/i18n.md.
export const ssr = false;
export const prerender = false;
