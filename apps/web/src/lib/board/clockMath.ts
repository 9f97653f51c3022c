/**
 * The maths behind the server clock (`serverClock.svelte.ts`), kept pure so
 * it can be tested without a browser or a server.
 */

/** One request to `GET /api/time`: local times around it, and what the server said. */
export interface ClockSample {
	/** Local clock when the request was sent (ms). */
	sentAt: number;
	/** Local clock when the answer arrived (ms). */
	receivedAt: number;
	/** The server's `now` in the answer (ms since the epoch). */
	serverNow: number;
}

export interface ClockEstimate {
	/** Server time minus local time (ms): `serverNow ≈ localNow + offset`. */
	offset: number;
	/** Round trip of the sample the estimate came from (ms); the error is at most half of it. */
	rtt: number;
}

/**
 * Estimates the offset from a few samples (Cristian's algorithm): the server
 * read its clock somewhere during the round trip, most likely near the
 * middle, so the sample with the shortest round trip bounds the error best.
 * Samples with a negative round trip (the local clock jumped) are ignored.
 */
export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate | null {
	let best: ClockEstimate | null = null;
	for (const { sentAt, receivedAt, serverNow } of samples) {
		const rtt = receivedAt - sentAt;
		if (!Number.isFinite(rtt) || rtt < 0 || !Number.isFinite(serverNow)) continue;
		if (best && rtt >= best.rtt) continue;
		best = { offset: Math.round(serverNow - (sentAt + rtt / 2)), rtt };
	}
	return best;
}

/**
 * Milliseconds from `now` to the next multiple of `periodMs` (never 0), so
 * that ticks land just after whole seconds of server time and every device
 * turns the display over at the same moment.
 */
export function delayToNextBoundary(now: number, periodMs: number): number {
	const into = ((now % periodMs) + periodMs) % periodMs;
	return periodMs - into;
}
