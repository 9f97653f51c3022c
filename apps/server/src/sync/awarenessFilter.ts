/**
 * Binds awareness (presence) entries to the connection that sent them.
 *
 * y-protocols accepts any client id with a higher clock, so without a filter
 * anyone could overwrite or remove another person's presence. A connection
 * claims one client id: the one in its first single-entry message with a
 * state (a y-websocket provider announces itself first thing after it
 * connects). Everything else it sends about other ids is dropped silently:
 * the stock provider re-sends other clients' entries it has seen, also
 * removals of people who just left, so this is normal traffic, not an attack,
 * and must never claim their ids. The `user` field is always overwritten with
 * the server's identity of the connection, and entry counts and sizes are
 * capped.
 *
 * When a client reconnects with the same id, peers still hold the removal
 * the server broadcast when it left (at a higher clock), and would ignore its
 * state for half a minute. So its clocks are shifted past that removal.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Connection } from './Connection.js';
import { MalformedMessage } from './messages.js';

export const AWARENESS_LIMITS = {
	/** Entries one awareness message may carry. */
	entriesPerMessage: 64,
	/** Awareness client ids one connection may own. */
	clientsPerConnection: 1,
	/** Length of one entry's JSON state. */
	stateChars: 4096
} as const;

interface Entry {
	clientId: number;
	clock: number;
	state: Record<string, unknown> | null;
	/** Oversized or not a JSON object: never applied. */
	dropped: boolean;
}

function decodeEntries(payload: Uint8Array): Entry[] {
	try {
		const decoder = decoding.createDecoder(payload);
		const count = decoding.readVarUint(decoder);
		if (count > AWARENESS_LIMITS.entriesPerMessage) {
			throw new MalformedMessage('Too many awareness entries in one message.');
		}
		const entries: Entry[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			if (json.length > AWARENESS_LIMITS.stateChars) {
				entries.push({ clientId, clock, state: null, dropped: true });
				continue;
			}
			const state: unknown = JSON.parse(json);
			const isObject = typeof state === 'object' && !Array.isArray(state);
			entries.push({
				clientId,
				clock,
				state: isObject ? (state as Record<string, unknown> | null) : null,
				dropped: !isObject
			});
		}
		if (decoding.hasContent(decoder)) throw new MalformedMessage('Trailing awareness bytes.');
		return entries;
	} catch (error) {
		if (error instanceof MalformedMessage) throw error;
		throw new MalformedMessage('The awareness message could not be decoded.');
	}
}

/** What the room knows about presence ids, across its connections. */
export interface AwarenessRegistry {
	/** Awareness client id → the connection that owns it. */
	owners: Map<number, Connection>;
	/** Clock of the removal broadcast when an id's connection closed. */
	removedAt: Map<number, number>;
	/** The participant whose document writes use this Yjs client id, if any. */
	writerOf(clientId: number): string | undefined;
}

/**
 * Filters one incoming awareness payload from `conn`. Returns the re-encoded
 * update to apply, or null when nothing is left.
 */
export function filterAwareness(
	payload: Uint8Array,
	conn: Connection,
	registry: AwarenessRegistry
): Uint8Array | null {
	const entries = decodeEntries(payload);
	const [first] = entries;
	if (
		entries.length === 1 &&
		first &&
		!first.dropped &&
		first.state !== null &&
		conn.awarenessClientCount < AWARENESS_LIMITS.clientsPerConnection &&
		!registry.owners.has(first.clientId) &&
		(registry.writerOf(first.clientId) ?? conn.participantId) === conn.participantId
	) {
		registry.owners.set(first.clientId, conn);
		const removed = registry.removedAt.get(first.clientId);
		conn.claimAwarenessClient(
			first.clientId,
			removed !== undefined && first.clock <= removed ? removed + 1 - first.clock : 0
		);
	}
	const kept: Entry[] = [];
	for (const entry of entries) {
		if (entry.dropped || registry.owners.get(entry.clientId) !== conn) continue;
		entry.clock += conn.awarenessClockShift(entry.clientId);
		const state =
			entry.state === null
				? null
				: {
						...entry.state,
						user: {
							participantId: conn.identity.participantId,
							name: conn.identity.name,
							industry: conn.identity.industry,
							role: conn.identity.role
						}
					};
		kept.push({ ...entry, state });
	}
	if (kept.length === 0) return null;
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kept.length);
	for (const entry of kept) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
}
