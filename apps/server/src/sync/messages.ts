/**
 * Encoding and decoding of the y-websocket wire protocol (y-protocols sync
 * and awareness messages) plus Kipinä's `saved` message. Decoding is strict:
 * anything that is not exactly one well-formed message throws.
 */
import { MESSAGE } from '@kipina/board';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export class MalformedMessage extends Error {
	override name = 'MalformedMessage';
}

export type IncomingMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; payload: Uint8Array }
	| { type: 'query-awareness' };

function ensureFullyRead(decoder: decoding.Decoder): void {
	if (decoding.hasContent(decoder)) throw new MalformedMessage('Trailing bytes after the message.');
}

export function decodeMessage(data: Uint8Array): IncomingMessage {
	try {
		const decoder = decoding.createDecoder(data);
		const type = decoding.readVarUint(decoder);
		let message: IncomingMessage;
		switch (type) {
			case MESSAGE.sync: {
				const sub = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (sub === SYNC_STEP1) {
					Y.decodeStateVector(payload); // validates
					message = { type: 'sync-step1', stateVector: payload };
				} else if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) {
					message = { type: 'update', update: payload };
				} else {
					throw new MalformedMessage(`Unknown sync message type ${sub}.`);
				}
				break;
			}
			case MESSAGE.awareness:
				message = { type: 'awareness', payload: decoding.readVarUint8Array(decoder) };
				break;
			case MESSAGE.queryAwareness:
				message = { type: 'query-awareness' };
				break;
			default:
				throw new MalformedMessage(`Unknown message type ${type}.`);
		}
		ensureFullyRead(decoder);
		return message;
	} catch (error) {
		if (error instanceof MalformedMessage) throw error;
		throw new MalformedMessage('The message could not be decoded.');
	}
}

function withType(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, type);
	write(encoder);
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	return withType(MESSAGE.sync, (e) => {
		encoding.writeVarUint(e, SYNC_STEP1);
		encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
	});
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
	return withType(MESSAGE.sync, (e) => {
		encoding.writeVarUint(e, SYNC_STEP2);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
	return withType(MESSAGE.sync, (e) => {
		encoding.writeVarUint(e, SYNC_UPDATE);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
	return withType(MESSAGE.awareness, (e) => encoding.writeVarUint8Array(e, update));
}

/** `saved`: the clock up to which each listed client's updates are stored. */
export function encodeSaved(clocks: Map<number, number>): Uint8Array {
	return withType(MESSAGE.saved, (e) =>
		encoding.writeVarUint8Array(e, Y.encodeStateVector(clocks))
	);
}
