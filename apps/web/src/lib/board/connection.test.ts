import { describe, expect, it } from 'vitest';
import {
	OFFLINE_AFTER_FAILED_ATTEMPTS,
	deriveConnectionState,
	hasUnsavedChanges,
	type ConnectionFacts
} from './connection';

const facts = (over: Partial<ConnectionFacts> = {}): ConnectionFacts => ({
	socket: 'connected',
	synced: true,
	everSynced: true,
	failedAttempts: 0,
	browserOnline: true,
	localClock: 0,
	savedClock: 0,
	...over
});

describe('deriveConnectionState', () => {
	it('is connecting on first load', () => {
		expect(
			deriveConnectionState(facts({ socket: 'connecting', synced: false, everSynced: false }))
		).toBe('connecting');
	});

	it('is still connecting while the handshake runs', () => {
		expect(deriveConnectionState(facts({ synced: false, everSynced: false }))).toBe('connecting');
	});

	it('is saved when synced and everything is confirmed', () => {
		expect(deriveConnectionState(facts({ localClock: 3, savedClock: 3 }))).toBe('saved');
	});

	it('is saving while local changes wait for confirmation', () => {
		expect(deriveConnectionState(facts({ localClock: 4, savedClock: 3 }))).toBe('saving');
	});

	it('is saving when reconnected with offline edits not yet confirmed', () => {
		expect(deriveConnectionState(facts({ synced: false, localClock: 5, savedClock: 2 }))).toBe(
			'saving'
		);
	});

	it('is offline once the connection is lost after a sync', () => {
		for (const socket of ['connecting', 'disconnected'] as const) {
			expect(deriveConnectionState(facts({ socket, synced: false, localClock: 2 }))).toBe(
				'offline'
			);
		}
	});

	it('is offline when the browser says so, even before the first sync', () => {
		expect(
			deriveConnectionState(
				facts({ socket: 'connecting', synced: false, everSynced: false, browserOnline: false })
			)
		).toBe('offline');
	});

	it('is offline when the browser says so although the socket still looks open', () => {
		expect(deriveConnectionState(facts({ browserOnline: false }))).toBe('offline');
	});

	it('turns from connecting to offline after repeated failures', () => {
		const first = facts({ socket: 'connecting', synced: false, everSynced: false });
		expect(
			deriveConnectionState({ ...first, failedAttempts: OFFLINE_AFTER_FAILED_ATTEMPTS - 1 })
		).toBe('connecting');
		expect(deriveConnectionState({ ...first, failedAttempts: OFFLINE_AFTER_FAILED_ATTEMPTS })).toBe(
			'offline'
		);
	});

	it('never claims saved while not connected', () => {
		for (const socket of ['connecting', 'disconnected'] as const) {
			for (const everSynced of [true, false]) {
				const state = deriveConnectionState(facts({ socket, synced: false, everSynced }));
				expect(state).not.toBe('saved');
			}
		}
	});
});

describe('hasUnsavedChanges', () => {
	it('compares the local clock with the confirmed one', () => {
		expect(hasUnsavedChanges({ localClock: 0, savedClock: 0 })).toBe(false);
		expect(hasUnsavedChanges({ localClock: 2, savedClock: 1 })).toBe(true);
		expect(hasUnsavedChanges({ localClock: 2, savedClock: 2 })).toBe(false);
		expect(hasUnsavedChanges({ localClock: 2, savedClock: 5 })).toBe(false);
	});
});
