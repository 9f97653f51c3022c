/**
 * Capability links on this device. The secret of a link travels in the URL
 * fragment; `takeSecret` reads it and removes it from the address bar and
 * this history entry at once, so it does not linger where others may look.
 * The links a facilitator received are kept in this browser only (the
 * server stores hashes and cannot show them again).
 */
import { readItem, writeItem } from '$lib/storage';
import type { LinkKind } from './api';

const held = (scope: string) => `kipina:pending-link:${scope}`;

function session(): Storage | null {
	try {
		return typeof sessionStorage === 'undefined' ? null : sessionStorage;
	} catch {
		return null;
	}
}

/**
 * The fragment's secret, removed from the address bar. It is held in this
 * tab's session storage until `releaseSecret`, so a phone that reloads the
 * page while the form is open (switching apps) does not lose the link.
 */
export function takeSecret(scope: string): string | null {
	let secret: string | null;
	try {
		secret = decodeURIComponent(location.hash.replace(/^#/, '')).trim();
	} catch {
		secret = null;
	}
	if (location.hash) {
		history.replaceState(history.state, '', location.pathname + location.search);
	}
	const store = session();
	if (secret && secret.length <= 128) {
		try {
			store?.setItem(held(scope), secret);
		} catch {
			// Private mode: the secret lives in memory only.
		}
		return secret;
	}
	try {
		return store?.getItem(held(scope)) ?? null;
	} catch {
		return null;
	}
}

/** Forgets a held secret (it was used, or it does not work). */
export function releaseSecret(scope: string): void {
	try {
		session()?.removeItem(held(scope));
	} catch {
		// Nothing held.
	}
}

const key = (groupId: string) => `kipina:links:${groupId}`;

export type KnownLinks = Partial<Record<LinkKind, string>>;

export function knownLinks(groupId: string): KnownLinks {
	try {
		const value = JSON.parse(readItem(key(groupId)) ?? '{}') as Record<string, unknown>;
		const out: KnownLinks = {};
		for (const kind of ['facilitator', 'invite'] as const) {
			if (typeof value[kind] === 'string') out[kind] = value[kind];
		}
		return out;
	} catch {
		return {};
	}
}

export function rememberLinks(groupId: string, links: KnownLinks): void {
	writeItem(key(groupId), JSON.stringify({ ...knownLinks(groupId), ...links }));
}

export function forgetLinks(groupId: string): void {
	writeItem(key(groupId), null);
}

/** An absolute URL for a path the server returned (for copying and QR codes). */
export function absolute(path: string): string {
	return new URL(path, location.origin).href;
}
