/**
 * Typed transaction origins. Every transaction on a session document carries
 * one, so observers (persistence, broadcast, UI) can tell a local command from
 * a remote update, a load from storage or a server-side edit.
 */
export type BoardOrigin =
	| { readonly source: 'command'; readonly command: string }
	| { readonly source: 'server'; readonly reason: string }
	| { readonly source: 'storage' };

export function commandOrigin(command: string): BoardOrigin {
	return { source: 'command', command };
}

export function isCommandOrigin(
	origin: unknown
): origin is Extract<BoardOrigin, { source: 'command' }> {
	return (
		typeof origin === 'object' &&
		origin !== null &&
		(origin as { source?: unknown }).source === 'command'
	);
}
