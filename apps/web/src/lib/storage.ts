/**
 * localStorage that never throws: private modes and full disks must not break
 * the app, they only make it forget.
 */
export const KEYS = {
	locale: 'kipina:locale',
	profile: 'kipina:profile',
	draft: (sessionId: string) => `kipina:draft:${sessionId}`
} as const;

function store(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

export function readItem(key: string): string | null {
	try {
		return store()?.getItem(key) ?? null;
	} catch {
		return null;
	}
}

export function writeItem(key: string, value: string | null): void {
	try {
		const s = store();
		if (!s) return;
		if (value === null) s.removeItem(key);
		else s.setItem(key, value);
	} catch {
		// Quota or privacy settings: forgetting is acceptable.
	}
}
