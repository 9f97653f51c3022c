/**
 * What the connection indicator says, derived from plain facts about the
 * provider and the replica. Pure, so every combination is unit-tested.
 */

export type ConnectionState = 'connecting' | 'offline' | 'saving' | 'saved';

export type SocketStatus = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionFacts {
	socket: SocketStatus;
	/** The current connection has finished the initial sync exchange. */
	synced: boolean;
	/** This replica has completed a sync with the server at least once. */
	everSynced: boolean;
	/** Connection attempts that failed since the last successful sync. */
	failedAttempts: number;
	/** `navigator.onLine`; `false` is reliable, `true` is only a hint. */
	browserOnline: boolean;
	/** Next clock of this replica's own client id (`Y.getState`). */
	localClock: number;
	/** Clock up to which the server has confirmed storing this client's changes. */
	savedClock: number;
}

/**
 * Before the first successful sync, a few failures in a row mean "offline"
 * rather than "still connecting" (the provider backs off up to 2.5 s each).
 */
export const OFFLINE_AFTER_FAILED_ATTEMPTS = 3;

/** Local changes the server has not confirmed as stored. */
export function hasUnsavedChanges(facts: Pick<ConnectionFacts, 'localClock' | 'savedClock'>) {
	return facts.localClock > facts.savedClock;
}

export function deriveConnectionState(facts: ConnectionFacts): ConnectionState {
	const unsaved = hasUnsavedChanges(facts);
	// A socket can look open for a while after the network is gone; the browser knows sooner.
	if (!facts.browserOnline) return 'offline';
	if (facts.socket === 'connected') {
		if (unsaved) return 'saving';
		return facts.synced ? 'saved' : 'connecting';
	}
	if (facts.everSynced || facts.failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS) return 'offline';
	return 'connecting';
}
