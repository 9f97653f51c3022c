/**
 * How many new ideas an update may bring: a session holds at most
 * `MAX_IDEAS_PER_SESSION`, and each participant posts at the rate of a
 * token bucket.
 */
import { CLOSE, ROOTS, type UpdateSummary } from '@kipina/board';
import type * as Y from 'yjs';
import { KeyedLimiter, MAX_IDEAS_PER_SESSION, type BucketSpec } from '../limits.js';

/** Refusal when a participant posts ideas faster than the limit allows. */
const TOO_FAST = 'Too many new ideas at once; wait a moment.';

export class IdeaBudget {
	/** Ideas on the board, kept by an observer: `Y.Map#size` walks every entry, per update. */
	private count = 0;
	private readonly limiter: KeyedLimiter;

	/** Counts `doc`'s ideas from now on: made before anything is applied to it. */
	constructor(
		private readonly doc: Y.Doc,
		private readonly spec: BucketSpec
	) {
		this.limiter = new KeyedLimiter(spec);
		doc.getMap(ROOTS.ideas).observe((event) => {
			for (const { action } of event.changes.keys.values()) {
				if (action === 'add') this.count += 1;
				else if (action === 'delete') this.count -= 1;
			}
		});
	}

	/** Why the ideas `summary` creates are refused, or null when they fit (and are counted). */
	check(participantId: string, summary: UpdateSummary): { code: number; reason: string } | null {
		const ideas = this.doc.getMap(ROOTS.ideas);
		const created = new Set(
			summary.writes
				.filter((w) => w.root === ROOTS.ideas && w.hasValue && !ideas.has(w.key))
				.map((w) => w.key)
		).size;
		if (created === 0) return null;
		if (this.count + created > MAX_IDEAS_PER_SESSION) {
			return { code: CLOSE.refused, reason: 'This board is full.' };
		}
		// Refused, not dropped: the client keeps the ideas and resends them when it reconnects.
		if (!this.limiter.take(participantId, Math.min(created, this.spec.capacity))) {
			return { code: CLOSE.rateLimited, reason: TOO_FAST };
		}
		return null;
	}
}
