/**
 * The server's clock as seen from this device. The shared timer's `endsAt`
 * is in server time, and phones' clocks are often seconds off, so every
 * device measures its offset with `GET /api/time` (a few samples, the one
 * with the shortest round trip wins) and counts down against `now()`.
 *
 * Reading `tick()` inside an effect or template re-runs it every second (or
 * quarter second) of server time; the interval runs only while something
 * reads it, so nothing leaks when the countdown leaves the page.
 */
import { createContext } from 'svelte';
import { on } from 'svelte/events';
import { createSubscriber } from 'svelte/reactivity';
import type { ConnectionState } from './connection';
import { delayToNextBoundary, estimateOffset, type ClockSample } from './clockMath';

export interface ServerClockOptions {
	/** Asks the server for its time (ms since the epoch). */
	fetchServerTime?: () => Promise<number>;
	/** The local clock. */
	localNow?: () => number;
	/** Requests per synchronisation. */
	samples?: number;
}

export type TickRate = 1 | 4;

async function fetchServerTime(): Promise<number> {
	const response = await fetch('/api/time', {
		cache: 'no-store',
		headers: { accept: 'application/json' }
	});
	if (!response.ok) throw new Error(`GET /api/time answered ${response.status}`);
	const { now } = (await response.json()) as { now?: unknown };
	if (typeof now !== 'number' || !Number.isFinite(now)) throw new Error('no time in the answer');
	return now;
}

/** A failed synchronisation is retried after this long (the offset stays as it was). */
const RETRY_MS = 15_000;

export class ServerClock {
	#offset = $state(0);
	#rtt = $state<number | null>(null);
	#syncing: Promise<void> | null = null;
	#retry: ReturnType<typeof setTimeout> | undefined;
	readonly #fetch: () => Promise<number>;
	readonly #localNow: () => number;
	readonly #samples: number;
	readonly #tickers: Record<TickRate, () => void>;

	constructor(options: ServerClockOptions = {}) {
		this.#fetch = options.fetchServerTime ?? fetchServerTime;
		this.#localNow = options.localNow ?? (() => Date.now());
		this.#samples = Math.max(1, options.samples ?? 3);
		this.#tickers = { 1: this.#ticker(1000), 4: this.#ticker(250) };
	}

	/** Server time minus local time (ms); 0 until the first synchronisation. */
	get offset(): number {
		return this.#offset;
	}

	/** Whether the offset has been measured at least once. */
	get synced(): boolean {
		return this.#rtt !== null;
	}

	/** Round trip of the best sample (ms): the offset is right within half of it. */
	get rtt(): number | null {
		return this.#rtt;
	}

	/** The current server time (ms since the epoch). Not reactive: use `tick()` to follow it. */
	now(): number {
		return this.#localNow() + this.#offset;
	}

	/**
	 * The current server time, re-read by the caller `rate` times a second
	 * (on whole seconds of server time, so devices turn over together).
	 */
	tick(rate: TickRate = 1): number {
		this.#tickers[rate]();
		// Tracks the offset too, so a fresh measurement shows at once.
		return this.#localNow() + this.#offset;
	}

	/**
	 * Measures the offset again (a few sequential requests). Concurrent calls
	 * share one measurement; failures keep the previous offset and retry later.
	 */
	sync(): Promise<void> {
		this.#syncing ??= this.#measure().finally(() => (this.#syncing = null));
		return this.#syncing;
	}

	/** Starts measuring if nobody has yet (cheap to call often). */
	ensureSynced(): void {
		if (!this.synced && !this.#syncing) void this.sync();
	}

	/**
	 * Re-measures when the board's connection comes back: a device that was
	 * offline or asleep may have a clock that jumped meanwhile.
	 */
	connectionChanged(previous: ConnectionState | null, current: ConnectionState): void {
		const wasDown = previous === null || previous === 'offline' || previous === 'connecting';
		const isUp = current === 'saved' || current === 'saving';
		if (wasDown && isUp) void this.sync();
	}

	async #measure(): Promise<void> {
		clearTimeout(this.#retry);
		const samples: ClockSample[] = [];
		for (let i = 0; i < this.#samples; i++) {
			const sentAt = this.#localNow();
			try {
				const serverNow = await this.#fetch();
				samples.push({ sentAt, receivedAt: this.#localNow(), serverNow });
			} catch {
				// One lost request is fine; all of them lost is retried below.
			}
		}
		const estimate = estimateOffset(samples);
		if (!estimate) {
			this.#retry = setTimeout(() => void this.sync(), RETRY_MS);
			return;
		}
		this.#offset = estimate.offset;
		this.#rtt = estimate.rtt;
	}

	#ticker(periodMs: number): () => void {
		return createSubscriber((update) => {
			this.ensureSynced();
			let timer: ReturnType<typeof setTimeout>;
			const schedule = () => {
				// A few ms past the boundary, so the reader sees the new second.
				timer = setTimeout(
					() => {
						update();
						schedule();
					},
					delayToNextBoundary(this.now(), periodMs) + 5
				);
			};
			schedule();
			// A phone that wakes up shows the right time at once (and checks its clock).
			const offVisible = on(document, 'visibilitychange', () => {
				if (document.visibilityState !== 'visible') return;
				update();
				void this.sync();
			});
			return () => {
				clearTimeout(timer);
				offVisible();
			};
		});
	}
}

/** One clock per page: there is one server. */
export const serverClock = new ServerClock();

const [getClockContext, setServerClock, hasClockContext] = createContext<ServerClock>();

/** The clock a parent set with `setServerClock`, else the page's. Call during component init. */
export function getServerClock(): ServerClock {
	return hasClockContext() ? getClockContext() : serverClock;
}

export { setServerClock };
