/**
 * The B1 workload as a reusable load: N writers in one room, each posting an
 * idea every `periodMs` and voting every `voteMs`, latency measured per
 * delivery in windows. Shared by the slow-consumer (B7) and soak (B9)
 * scenarios.
 */
import type { ServerKind } from '../servers/types.js';
import { ThinClient, openAll, withTimeout, type Seat } from './clients.js';
import { Histogram, collectGarbage, sleep } from './stats.js';

/** Kipinä caps a session at 5,000 ideas: past this many per client, writes rewrite an own idea. */
const IDEA_BUDGET = 4000;

export interface B1Options {
	periodMs: number;
	voteMs: number;
	/** Characters added to every idea and vote (the board takes 500 in all). */
	pad?: number;
	/**
	 * Ideas each writer posts before its idea timer rewrites its own ideas
	 * instead (default and most: Kipinä's session cap shared by all).
	 */
	ideas?: number;
}

/** Latency of the writes sent between `start` and `end` (by their send time). */
export interface LatencyWindow {
	start: number;
	end: number;
	hist: Histogram;
	writes: number;
	/** Deliveries owed to the other writers. */
	expected: number;
	delivered: number;
}

/**
 * The B1 writers of one room (as in fanout.ts): each posts an idea every
 * `periodMs` and "votes" every `voteMs` (both with a random phase), and
 * records the latency of every other writer's write it receives.
 */
export class B1Load {
	readonly clients: ThinClient[] = [];
	private readonly windows: LatencyWindow[] = [];
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly rewriteAt: number[] = [];
	private readonly note: string;
	private readonly budget: number;
	private writing = false;

	private constructor(
		private readonly opts: B1Options,
		private readonly n: number
	) {
		this.note = opts.pad ? ` ${'x'.repeat(opts.pad - 1)}` : '';
		this.budget = Math.max(1, Math.min(opts.ideas ?? Infinity, Math.floor(IDEA_BUDGET / n)));
	}

	/** Connects the writers (seats[i] is writer i) and waits until they are synced. */
	static async open(kind: ServerKind, seats: Seat[], opts: B1Options): Promise<B1Load> {
		const load = new B1Load(opts, seats.length);
		try {
			const made = await withTimeout(
				openAll((i) => {
					const c = new ThinClient(seats[i]!, i, {
						// The relay answers no sync step 1 (peers would answer each other: N² frames).
						noStep1: kind === 'relay',
						onMarker: (sender, t, at) => load.onMarker(i, sender, t, at)
					});
					load.clients.push(c);
					return c;
				}, seats.length),
				120_000,
				`${kind}: connecting ${seats.length} writers`
			);
			if (kind !== 'relay') {
				await withTimeout(
					Promise.all(made.map((c) => c.synced)),
					60_000,
					`${kind}: writers synced`
				);
			}
		} catch (error) {
			load.close();
			throw error;
		}
		return load;
	}

	private windowAt(t: number): LatencyWindow | undefined {
		for (const w of this.windows) if (t >= w.start && t < w.end) return w;
		return undefined;
	}

	private onMarker(receiver: number, sender: number, t: number, at: number): void {
		if (sender === receiver || sender >= this.n) return;
		const w = this.windowAt(t);
		if (!w) return;
		w.delivered += 1;
		w.hist.add(at - t);
	}

	private write(c: ThinClient, vote: boolean): void {
		if (!this.writing) return;
		if (!vote && c.ideasPosted < this.budget) c.postIdea(this.note);
		else {
			const k = (this.rewriteAt[c.index] = (this.rewriteAt[c.index] ?? 0) + 1);
			if (!c.rewriteIdea(vote ? undefined : k % c.ideasPosted, this.note)) return;
		}
		const w = this.windowAt(performance.now());
		if (w) {
			w.writes += 1;
			w.expected += this.n - 1;
		}
	}

	/** Starts everyone's write timers. */
	start(): void {
		collectGarbage();
		this.writing = true;
		for (const c of this.clients) {
			const every = (ms: number, vote: boolean) =>
				this.timers.push(
					setTimeout(() => {
						this.write(c, vote);
						this.timers.push(setInterval(() => this.write(c, vote), ms));
					}, Math.random() * ms)
				);
			every(this.opts.periodMs, false);
			every(this.opts.voteMs, true);
		}
	}

	stop(): void {
		this.writing = false;
		for (const t of this.timers) clearTimeout(t);
		this.timers.length = 0;
	}

	/** Opens a latency window now (closing the open one). */
	openWindow(): LatencyWindow {
		const now = performance.now();
		for (const w of this.windows) if (w.end === Infinity) w.end = now;
		const w: LatencyWindow = {
			start: now,
			end: Infinity,
			hist: new Histogram(),
			writes: 0,
			expected: 0,
			delivered: 0
		};
		this.windows.push(w);
		return w;
	}

	closeWindow(w: LatencyWindow): void {
		if (w.end === Infinity) w.end = performance.now();
	}

	/** Waits (at most `ms`) until every window's writes have reached every other writer. */
	async drain(ms: number): Promise<void> {
		const until = performance.now() + ms;
		while (this.windows.some((w) => w.delivered < w.expected) && performance.now() < until) {
			await sleep(20);
		}
	}

	/** Ideas posted by all writers (a full replica must end up with exactly these). */
	ideasPosted(): number {
		return this.clients.reduce((a, c) => a + c.ideasPosted, 0);
	}

	close(): void {
		this.stop();
		for (const c of this.clients) c.close();
	}
}

/**
 * Sends this client's presence now and every 15 s, as a real client's
 * awareness does (y-protocols renews the local state every 15 s). A client
 * that sends nothing is dropped by Hocuspocus 4 after 60–120 s.
 */
export function keepAlive(c: ThinClient): NodeJS.Timeout {
	const state = { name: `P${c.index}`, cursor: null };
	c.sendPresence(state);
	return setInterval(() => c.sendPresence(state), 15_000);
}
