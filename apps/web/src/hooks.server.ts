import type { Handle } from '@sveltejs/kit';

/** A host as it may appear in a CSP source: name or IP, optional port. Anything else is ignored. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * CSP 3 lets `connect-src 'self'` cover ws(s) to the same host, but older
 * Safari and Firefox versions do not. Name this host's websocket origin
 * explicitly, per request, since the host is only known at runtime. Both
 * schemes: behind a proxy the scheme adapter-node reports is a guess.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const csp = response.headers.get('content-security-policy');
	const host = event.url.host;
	if (!csp || !HOST.test(host)) return response;
	try {
		response.headers.set(
			'content-security-policy',
			csp.replace(/connect-src ([^;]*)/, `connect-src $1 ws://${host} wss://${host}`)
		);
	} catch {
		// Immutable headers (a proxied response): keep the policy as it is.
	}
	return response;
};
