/**
 * When the update log is replaced by a snapshot. A snapshot rewrites the
 * whole document, so compacting after a fixed number of small updates
 * writes the board over and over (a 800 KB board every 1,000 updates of
 * ~150 B is 5× the updates' own bytes, twice with SQLite's WAL). Waiting
 * until the log has grown to `ratio` × the last snapshot bounds that to
 * 2 / ratio bytes per logged byte, and the log a load replays to `ratio` ×
 * the snapshot. `maxEntries` caps the replay by count.
 */
export interface CompactionPolicy {
	ratio: number;
	/** Logs below this many bytes are never compacted (except when a room is evicted). */
	minBytes: number;
	maxEntries: number;
	/**
	 * A due compaction waits until the room has had no changes for this long:
	 * encoding and storing a big board stalls the room for tens of
	 * milliseconds, which is better spent in a pause than in the middle of a
	 * burst of posts. 0 compacts as soon as it is due.
	 */
	quietMs: number;
	/** …unless the log grows to this many times its due size (or `maxEntries`): then at once. */
	urgentFactor: number;
}

/** Whether a log of `entries` updates and `logBytes` bytes after a `snapshotBytes` snapshot is due. */
export function compactionDue(
	policy: CompactionPolicy,
	entries: number,
	logBytes: number,
	snapshotBytes: number
): boolean {
	return entries >= policy.maxEntries || logBytes >= dueBytes(policy, snapshotBytes);
}

/** The log size at which a compaction falls due. */
function dueBytes(policy: CompactionPolicy, snapshotBytes: number): number {
	return Math.max(policy.minBytes, policy.ratio * snapshotBytes);
}

/** Whether a due compaction must not wait for a quiet moment any longer. */
export function compactionUrgent(
	policy: CompactionPolicy,
	entries: number,
	logBytes: number,
	snapshotBytes: number
): boolean {
	return (
		policy.quietMs === 0 ||
		entries >= policy.maxEntries ||
		logBytes >= policy.urgentFactor * dueBytes(policy, snapshotBytes)
	);
}
