/**
 * Rate limits. A whole venue often shares one IP address, so limits that
 * matter are per connection and per participant; the per-IP limits only stop
 * floods and are generous enough for 40 laptops reconnecting at once.
 * Values are documented in docs/security.md.
 */

/** A token bucket: `capacity` tokens, refilled at `perSecond`. */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number,
		private readonly now: () => number = Date.now
	) {
		this.tokens = capacity;
		this.last = now();
	}

	/** Takes `cost` tokens if available. */
	take(cost = 1): boolean {
		const t = this.now();
		this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
		this.last = t;
		if (this.tokens < cost) return false;
		this.tokens -= cost;
		return true;
	}

	/** True when the bucket is full again (the key can be forgotten). */
	get idle(): boolean {
		const t = this.now();
		return this.tokens + ((t - this.last) / 1000) * this.perSecond >= this.capacity;
	}
}

/**
 * A connection's two budgets, messages and bytes, as one object: both are
 * always taken together, so they share one clock reading. Same behaviour as
 * two `TokenBucket`s (a frame must fit both).
 */
export class FrameBudget {
	private messages: number;
	private bytes: number;
	private last: number;

	constructor(
		private readonly messageSpec: BucketSpec,
		private readonly byteSpec: BucketSpec,
		private readonly now: () => number = Date.now
	) {
		this.messages = messageSpec.capacity;
		this.bytes = byteSpec.capacity;
		this.last = now();
	}

	/** Takes one message and `byteLength` bytes if both are available. */
	take(byteLength: number): boolean {
		const t = this.now();
		const seconds = (t - this.last) / 1000;
		this.last = t;
		const { messageSpec: m, byteSpec: b } = this;
		this.messages = Math.min(m.capacity, this.messages + seconds * m.perSecond);
		this.bytes = Math.min(b.capacity, this.bytes + seconds * b.perSecond);
		if (this.messages < 1 || this.bytes < byteLength) return false;
		this.messages -= 1;
		this.bytes -= byteLength;
		return true;
	}

	/** True when both budgets are full again (the budget can be forgotten). */
	get idle(): boolean {
		const seconds = (this.now() - this.last) / 1000;
		return (
			this.messages + seconds * this.messageSpec.perSecond >= this.messageSpec.capacity &&
			this.bytes + seconds * this.byteSpec.perSecond >= this.byteSpec.capacity
		);
	}
}

export interface BucketSpec {
	capacity: number;
	perSecond: number;
}

export type RateLimits = Record<
	'messages' | 'bytes' | 'ideas' | 'connections' | 'httpWrites' | 'joinCodes',
	BucketSpec
>;

/** Defaults; `Config.rateLimits` may override them (tests, benchmarks). */
export const RATE_LIMITS: RateLimits = {
	/** Websocket messages per connection. */
	messages: { capacity: 300, perSecond: 50 },
	/** Websocket bytes per connection. */
	bytes: { capacity: 8 * 1024 * 1024, perSecond: 1024 * 1024 },
	/** New ideas per participant (all their devices together). */
	ideas: { capacity: 60, perSecond: 2 },
	/** Websocket connection attempts per IP address. */
	connections: { capacity: 200, perSecond: 5 },
	/** State-changing HTTP requests per IP address. */
	httpWrites: { capacity: 100, perSecond: 2 },
	/** Join-code lookups and guest admissions by code, per IP address (codes are short). */
	joinCodes: { capacity: 30, perSecond: 0.5 }
};

/** Most ideas one session may hold. */
export const MAX_IDEAS_PER_SESSION = 5000;

/** Token buckets by key (an IP, a participant), forgotten once full again. */
export class KeyedLimiter {
	private readonly buckets = new Map<string, TokenBucket>();
	private sweeps = 0;

	constructor(
		private readonly spec: BucketSpec,
		private readonly now: () => number = Date.now
	) {}

	take(key: string, cost = 1): boolean {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = new TokenBucket(this.spec.capacity, this.spec.perSecond, this.now);
			this.buckets.set(key, bucket);
		}
		if (++this.sweeps % 1000 === 0) this.sweep();
		return bucket.take(cost);
	}

	private sweep(): void {
		for (const [key, bucket] of this.buckets) if (bucket.idle) this.buckets.delete(key);
	}

	get size(): number {
		return this.buckets.size;
	}
}
