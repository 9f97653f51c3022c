/**
 * Hand-crafted Yjs updates (format V1) for tests that need what no honest
 * replica produces: cyclic origins, repeated client sections, zero-length
 * structs, nested types, refs to missing items. Honest updates come from real
 * replicas; use this only when a test is about a hostile or broken sender.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export type Content = Y.Item['content'];

export interface CraftItem {
	content: Content;
	/** Left origin; when neither origin is given, `parent` (and `key`) are written instead. */
	origin?: Y.ID;
	rightOrigin?: Y.ID;
	/** Root name, or the id of a parent item (a nested type). */
	parent?: string | Y.ID;
	key?: string;
}

export type CraftStruct = CraftItem | { gc: number } | { skip: number };

export interface CraftSection {
	client: number;
	clock: number;
	structs: CraftStruct[];
}

export interface CraftDelete {
	client: number;
	clock: number;
	len: number;
}

/** Encodes the given sections, in the given order (repeats allowed), and delete set. */
export function craftUpdate(sections: CraftSection[], deletes: CraftDelete[] = []): Uint8Array {
	const encoder = new Y.UpdateEncoderV1();
	encoding.writeVarUint(encoder.restEncoder, sections.length);
	for (const { client, clock: start, structs } of sections) {
		encoding.writeVarUint(encoder.restEncoder, structs.length);
		encoder.writeClient(client);
		encoding.writeVarUint(encoder.restEncoder, start);
		let clock = start;
		for (const struct of structs) {
			if ('gc' in struct) {
				encoder.writeInfo(0);
				encoder.writeLen(struct.gc);
				clock += struct.gc;
			} else if ('skip' in struct) {
				encoder.writeInfo(10);
				encoding.writeVarUint(encoder.restEncoder, struct.skip);
				clock += struct.skip;
			} else {
				const item = new Y.Item(
					Y.createID(client, clock),
					null,
					struct.origin ?? null,
					null,
					struct.rightOrigin ?? null,
					// Item.write accepts a root name here; the typings do not say so.
					(struct.parent ?? null) as Y.ID | null,
					struct.key ?? null,
					struct.content
				);
				item.write(encoder, 0);
				clock += item.length;
			}
		}
	}
	const byClient = new Map<number, CraftDelete[]>();
	for (const d of deletes) byClient.set(d.client, [...(byClient.get(d.client) ?? []), d]);
	encoding.writeVarUint(encoder.restEncoder, byClient.size);
	for (const [client, ranges] of byClient) {
		encoding.writeVarUint(encoder.restEncoder, client);
		encoding.writeVarUint(encoder.restEncoder, ranges.length);
		for (const { clock, len } of ranges) {
			encoder.writeDsClock(clock);
			encoder.writeDsLen(len);
		}
	}
	return encoder.toUint8Array();
}

/** A JSON value for `craftUpdate`. */
export const any = (value: unknown): Content => new Y.ContentAny([value]);
