/**
 * Convergence harness, after Yjs' `tests/testHelper.js`: replicas joined by a
 * connector that holds, reorders, duplicates and drops messages, driven by a
 * seeded PRNG so that a failing run can be replayed (`SEED=… pnpm test`).
 */
import * as Y from 'yjs';
import { expect, vi } from 'vitest';
import { createBoardDoc } from '../doc.js';
import { ROOTS } from '../schema.js';
import { getSessionInfo, listIdeas, listParticipants } from '../views.js';

/** mulberry32: tiny, fast and good enough to drive random tests. */
export class Prng {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	int(max: number): number {
		return Math.floor(this.next() * max);
	}

	bool(probability = 0.5): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T | undefined {
		return items.length === 0 ? undefined : items[this.int(items.length)];
	}

	/** A short random text, sometimes with whitespace a user might paste around it. */
	text(): string {
		const words = ['kahvila', 'verkkosivu', 'yhteistyö', 'safari', 'kirjanpito', 'leipä', 'idea'];
		let text = Array.from({ length: 1 + this.int(5) }, () => this.pick(words)).join(' ');
		if (this.bool(0.2)) text = `  ${text}\n`;
		return text;
	}
}

/**
 * Seeds for randomised tests: `SEED=n` replays one run; otherwise a fixed set
 * plus one fresh seed per run (it shows up in the test name).
 */
export function testSeeds(fixed: readonly number[]): number[] {
	const replay = process.env.SEED;
	if (replay) return [Number(replay)];
	return [...fixed, Date.now() % 2 ** 31];
}

/**
 * Runs `body` with a PRNG for `seed` and prefixes any failure with the seed.
 * `crypto.getRandomValues` draws from the same seed meanwhile, so that idea
 * ids and Yjs client ids (which decide conflicts) replay too.
 */
export function withSeed(seed: number, body: (prng: Prng) => void): void {
	const prng = new Prng(seed);
	const ids = new Prng(seed ^ 0x5eed);
	const spy = vi
		.spyOn(crypto, 'getRandomValues')
		.mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
			if (array) {
				const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
				for (let i = 0; i < bytes.length; i++) bytes[i] = ids.int(256);
			}
			return array;
		});
	try {
		body(prng);
	} catch (error) {
		if (error instanceof Error) error.message = `[replay with SEED=${seed}] ${error.message}`;
		throw error;
	} finally {
		spy.mockRestore();
	}
}

const ROOT_NAMES = Object.values(ROOTS);

/** The whole content of a replica, as plain data. */
export function snapshotOf(doc: Y.Doc) {
	return {
		ideas: listIdeas(doc),
		participants: listParticipants(doc),
		session: getSessionInfo(doc),
		roots: Object.fromEntries(ROOT_NAMES.map((name) => [name, doc.getMap(name).toJSON()]))
	};
}

/**
 * Asserts that all replicas converged: nothing pending, equal views, equal
 * state vectors and equal delete sets.
 */
export function compare(docs: readonly Y.Doc[]): void {
	docs.forEach((doc, i) => {
		expect(doc.store.pendingStructs, `replica ${i} has pending structs`).toBeNull();
		expect(doc.store.pendingDs, `replica ${i} has a pending delete set`).toBeNull();
	});
	const [first, ...rest] = docs;
	if (!first) return;
	const expected = snapshotOf(first);
	const expectedVector = Y.encodeStateVector(first);
	const expectedDeletes = Y.createDeleteSetFromStructStore(first.store);
	rest.forEach((doc, i) => {
		expect(snapshotOf(doc), `replica ${i + 1} differs from replica 0`).toEqual(expected);
		expect(Y.encodeStateVector(doc), `state vector of replica ${i + 1}`).toEqual(expectedVector);
		const deletes = Y.createDeleteSetFromStructStore(doc.store);
		expect(Y.equalDeleteSets(deletes, expectedDeletes), `delete set of replica ${i + 1}`).toBe(
			true
		);
	});
}

/** A client id drawn from `prng`, unique per `index`: client ids decide Yjs conflicts. */
export function replayableClientId(prng: Prng, index: number): number {
	return prng.int(1_000_000) * 100 + index;
}

/** Transaction origin of updates that arrive from the network. */
export const NETWORK = Symbol('network');

interface Message {
	from: number;
	to: number;
	update: Uint8Array;
}

/**
 * Replicas that broadcast their own changes to each other. Messages wait in
 * one queue until delivered, in random order; a delivered message may stay
 * queued to be delivered again. A replica that goes offline misses what is
 * sent meanwhile and catches up on reconnect through state vectors, as the
 * y-protocols sync steps do.
 */
export class Mesh {
	readonly docs: Y.Doc[] = [];
	readonly online: boolean[] = [];
	private queue: Message[] = [];
	/** Probability that a delivered message stays queued, to be delivered again. */
	private duplicate: number;
	delivered = 0;

	constructor(
		private readonly prng: Prng,
		count: number,
		options: { gc?: (index: number) => boolean; duplicate?: number } = {}
	) {
		this.duplicate = options.duplicate ?? 0.1;
		for (let i = 0; i < count; i++) {
			const doc = createBoardDoc({ gc: options.gc?.(i) ?? true });
			doc.clientID = replayableClientId(prng, i);
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== NETWORK) this.broadcast(i, update);
			});
			this.docs.push(doc);
			this.online.push(true);
		}
	}

	get pending(): number {
		return this.queue.length;
	}

	private broadcast(from: number, update: Uint8Array): void {
		if (!this.online[from]) return;
		this.docs.forEach((_, to) => {
			if (to !== from && this.online[to]) this.queue.push({ from, to, update });
		});
	}

	/** Delivers one queued message, chosen at random; returns false when none is queued. */
	deliverOne(): boolean {
		if (this.queue.length === 0) return false;
		const index = this.prng.int(this.queue.length);
		const message = this.queue[index]!;
		if (!this.prng.bool(this.duplicate)) this.queue.splice(index, 1);
		Y.applyUpdate(this.docs[message.to]!, message.update, NETWORK);
		this.delivered++;
		return true;
	}

	disconnect(index: number): void {
		this.online[index] = false;
		this.queue = this.queue.filter((message) => message.to !== index);
	}

	/** Comes back online and exchanges sync step 2 with every online replica. */
	reconnect(index: number): void {
		if (this.online[index]) return;
		this.online[index] = true;
		const doc = this.docs[index]!;
		this.docs.forEach((other, j) => {
			if (j === index || !this.online[j]) return;
			const toOther = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other));
			const toSelf = Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc));
			this.queue.push(
				{ from: index, to: j, update: toOther },
				{ from: j, to: index, update: toSelf }
			);
		});
	}

	/** Brings everyone online and delivers every message (no more duplicates). */
	flush(): void {
		this.duplicate = 0;
		this.docs.forEach((_, i) => this.reconnect(i));
		while (this.deliverOne());
	}
}
