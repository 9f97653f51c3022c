/**
 * Binds awareness (presence) entries to the connection that sent them.
 *
 * y-protocols accepts any client id with a higher clock, so without a filter
 * anyone could overwrite or remove another person's presence. Here a client
 * id belongs to the first connection that used it; entries for ids owned by
 * another connection are dropped silently (the stock y-websocket provider
 * re-sends other clients' entries it has seen, so this is normal traffic,
 * not an attack). The `user` field is always overwritten with the server's
 * identity of the connection, and entry counts and sizes are capped.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Connection } from './Connection.js';
import { MalformedMessage } from './messages.js';

export const AWARENESS_LIMITS = {
	/** Entries one awareness message may carry. */
	entriesPerMessage: 64,
	/** Awareness client ids one connection may own. */
	clientsPerConnection: 4,
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

/**
 * Filters one incoming awareness payload from `conn`. Returns the re-encoded
 * update to apply, or null when nothing is left. `owners` maps awareness
 * client ids to their connection for the whole room.
 */
export function filterAwareness(
	payload: Uint8Array,
	conn: Connection,
	owners: Map<number, Connection>
): Uint8Array | null {
	const kept: Entry[] = [];
	for (const entry of decodeEntries(payload)) {
		if (entry.dropped) continue;
		const owner = owners.get(entry.clientId);
		if (owner === undefined) {
			if (conn.awarenessClients.size >= AWARENESS_LIMITS.clientsPerConnection) continue;
			owners.set(entry.clientId, conn);
			conn.awarenessClients.add(entry.clientId);
		} else if (owner !== conn) {
			continue;
		}
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
