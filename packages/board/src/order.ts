/**
 * Ordering by fractional index keys (the Excalidraw/Figma way): an item moves
 * by getting a new key between its new neighbours, never by moving entries in
 * an array. Two replicas placing items between the same neighbours at once
 * can produce equal keys; comparisons then fall back to the id, so every
 * replica still shows the same order.
 */
import { generateKeyBetween } from 'fractional-indexing';

/** A key that sorts between `before` and `after` (either may be null for an open end). */
export function keyBetween(before: string | null, after: string | null): string {
	if (before !== null && after !== null && before >= after) {
		// Concurrent moves left equal (or crossed) neighbours: place just after `before`.
		return generateKeyBetween(before, null);
	}
	return generateKeyBetween(before, after);
}

/** Sorts by key, then id. */
export function byOrder<T extends { order: string; id: string }>(a: T, b: T): number {
	return a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
