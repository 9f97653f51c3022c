/**
 * When a room's pipeline runs: one run at a time, each taking whatever work
 * has queued up as one batch.
 *
 * A run starts at the end of the event-loop turn (`setImmediate`), taking
 * everything that arrived in the turn as one batch. A client's message to a
 * room that has been idle for `QUIET_START_MS` starts it at once, in the
 * message's own turn: then it is almost surely alone, and the hop to the end
 * of the turn cost ~90 µs before its first send (the rest of the turn's I/O
 * callbacks run first; docs/performance.md, item 26). Under a flood runs
 * follow each other closer than that, and batches stay whole. With a batch
 * window, runs start at most that often.
 */

/** A room idle for this long starts a client's message at once. */
export const QUIET_START_MS = 5;

export class Runs {
	private scheduled = false;
	private running: Promise<void> | null = null;
	private lastRunAt = -Infinity;
	private lastRunEnd = -Infinity;

	constructor(
		/** Handles the queued work, batch by batch, until none is left. */
		private readonly run: () => Promise<void>,
		/** Whether work is queued. */
		private readonly queued: () => boolean,
		private readonly batchWindowMs: number
	) {}

	/** A run is in progress or about to start. */
	get busy(): boolean {
		return this.scheduled || this.running !== null;
	}

	/** Starts a run for newly queued work, unless one is in progress or scheduled. */
	schedule(fromClient = false): void {
		if (this.busy) return;
		const now = performance.now();
		const wait = this.lastRunAt + this.batchWindowMs - now;
		if (wait > 0) {
			this.scheduled = true;
			setTimeout(this.start, wait);
		} else if (fromClient && now - this.lastRunEnd >= QUIET_START_MS) {
			this.start();
		} else {
			this.scheduled = true;
			setImmediate(this.start);
		}
	}

	/** Resolves when every queued job has been handled. */
	async idle(): Promise<void> {
		while (this.busy || this.queued()) {
			if (this.running) await this.running;
			else await new Promise((resolve) => setImmediate(resolve));
		}
	}

	private start = (): void => {
		this.lastRunAt = performance.now();
		// Nothing else starts while the run's first, synchronous part runs (it may close sockets).
		this.scheduled = true;
		const run = this.run();
		this.scheduled = false;
		this.running = run.finally(() => {
			this.running = null;
			this.lastRunEnd = performance.now();
			if (this.queued()) this.schedule();
		});
	};
}
