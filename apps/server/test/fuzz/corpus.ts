/**
 * Hostile frames for fuzzing the sync endpoint: random bytes, mutated real
 * messages, varint bombs, unknown types, awareness garbage and spoofing,
 * well-formed but forbidden or gapped updates, oversized and text frames.
 * Deterministic for a seed.
 */
import { addIdea, boardMaps, createBoardDoc, editIdea, listIdeas } from '@kipina/board';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface Target {
	/** The fuzzed room's current state (from the server), to craft plausible updates. */
	state: Uint8Array;
	participantId: string;
	industry: string;
	maxPayload: number;
}

export type Frame = { data: Uint8Array | string; category: string };

const message = (type: number, write: (e: encoding.Encoder) => void): Uint8Array => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	write(e);
	return encoding.toUint8Array(e);
};
const syncUpdate = (update: Uint8Array) =>
	message(0, (e) => {
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, update);
	});

export function makeFrame(rand: () => number, target: Target): Frame {
	const int = (n: number) => Math.floor(rand() * n);
	const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
	const replica = () => {
		const doc = createBoardDoc();
		Y.applyUpdate(doc, target.state);
		return doc;
	};
	const ideaUpdate = () => {
		const doc = replica();
		const sv = Y.encodeStateVector(doc);
		addIdea(doc, target, `fuzz ${int(1e9)}`);
		return Y.encodeStateAsUpdate(doc, sv);
	};

	switch (int(10)) {
		case 0:
			return { category: 'random bytes', data: bytes(int(2048)) };
		case 1: {
			const msg = syncUpdate(ideaUpdate());
			return { category: 'truncated update', data: msg.subarray(0, int(msg.length)) };
		}
		case 2: {
			const msg = syncUpdate(ideaUpdate());
			for (let i = 0, n = 1 + int(8); i < n; i++) {
				const at = int(msg.length);
				msg[at] = msg[at]! ^ (1 << int(8));
			}
			return { category: 'bit-flipped update', data: msg };
		}
		case 3:
			return {
				category: 'varint bomb',
				data: Uint8Array.from([int(3), ...Array(5 + int(20)).fill(0xff)])
			};
		case 4:
			return { category: 'unknown type', data: Uint8Array.from([4 + int(96), ...bytes(int(64))]) };
		case 5: {
			const e = encoding.createEncoder();
			const n = int(100);
			encoding.writeVarUint(e, n);
			for (let i = 0; i < n; i++) {
				encoding.writeVarUint(e, int(2 ** 32));
				encoding.writeVarUint(e, int(1000));
				const roll = int(4);
				encoding.writeVarString(
					e,
					roll === 0
						? 'not json'
						: roll === 1
							? JSON.stringify({ user: { name: 'x'.repeat(int(10_000)) } })
							: roll === 2
								? 'null'
								: JSON.stringify({ user: { name: 'Mallory', participantId: 'someone' } })
				);
			}
			return {
				category: 'awareness garbage',
				data: message(1, (w) => encoding.writeVarUint8Array(w, encoding.toUint8Array(e)))
			};
		}
		case 6: {
			const doc = replica();
			const sv = Y.encodeStateVector(doc);
			const others = listIdeas(doc).filter((i) => i.authorId !== target.participantId);
			const roll = int(4);
			if (roll === 0 && others.length > 0)
				editIdea(doc, others[int(others.length)]!.id, 'hijacked');
			else if (roll === 1) boardMaps(doc).meta.set('title', 'hijacked');
			else if (roll === 2) doc.getArray('extra').insert(0, [1, 2, 3]);
			else addIdea(doc, { participantId: 'someone-else', industry: 'x' }, 'forged');
			return { category: 'forbidden update', data: syncUpdate(Y.encodeStateAsUpdate(doc, sv)) };
		}
		case 7: {
			const doc = replica();
			addIdea(doc, target, 'never sent');
			const sv = Y.encodeStateVector(doc);
			addIdea(doc, target, 'depends on it');
			return { category: 'gapped update', data: syncUpdate(Y.encodeStateAsUpdate(doc, sv)) };
		}
		case 8:
			return int(2) === 0
				? { category: 'oversized', data: new Uint8Array(target.maxPayload + 1 + int(1000)) }
				: { category: 'text frame', data: 'x'.repeat(int(100)) };
		default:
			return {
				category: 'sync step 1 garbage',
				data: message(0, (e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint8Array(e, bytes(int(64)));
				})
			};
	}
}
