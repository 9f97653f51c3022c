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

/**
 * A room's update log since its last snapshot, and when to replace it by a
 * new one: `due`, `urgent`, and the wait for a quiet moment in between.
 */
export class LogSince {
	private quietTimer: NodeJS.Timeout | null = null;
	private stopped = false;

	constructor(
		private readonly policy: CompactionPolicy,
		private entries: number,
		private bytes: number,
		private snapshotBytes: number
	) {}

	get empty(): boolean {
		return this.entries === 0;
	}

	/** Counts updates appended to the log. */
	logged(updates: readonly { data: Uint8Array }[]): void {
		this.entries += updates.length;
		for (const u of updates) this.bytes += u.data.length;
	}

	/** The log was replaced by a snapshot of `snapshotBytes`. */
	compacted(snapshotBytes: number): void {
		this.entries = 0;
		this.bytes = 0;
		this.snapshotBytes = snapshotBytes;
	}

	due(): boolean {
		return compactionDue(this.policy, this.entries, this.bytes, this.snapshotBytes);
	}

	urgent(): boolean {
		return compactionUrgent(this.policy, this.entries, this.bytes, this.snapshotBytes);
	}

	/** (Re)starts the wait: `onQuiet` runs once `quietMs` pass without another call. */
	waitForQuiet(onQuiet: () => void): void {
		if (this.stopped) return;
		if (this.quietTimer) {
			this.quietTimer.refresh();
			return;
		}
		this.quietTimer = setTimeout(() => {
			this.quietTimer = null;
			if (!this.stopped) onQuiet();
		}, this.policy.quietMs);
		this.quietTimer.unref();
	}

	/** No more waits (the room is unloading). */
	stop(): void {
		this.stopped = true;
		if (this.quietTimer) clearTimeout(this.quietTimer);
		this.quietTimer = null;
	}
}
