import { readFileSync } from 'node:fs';
/** Latency histogram (10 µs buckets up to 60 s) and small statistics helpers. */

const RESOLUTION = 100; // buckets per millisecond
const MAX_MS = 60_000;

export class Histogram {
	private readonly buckets = new Uint32Array(MAX_MS * RESOLUTION + 1);
	count = 0;
	max = 0;
	sum = 0;

	add(ms: number): void {
		const v = ms < 0 ? 0 : ms;
		const i = Math.min(this.buckets.length - 1, Math.round(v * RESOLUTION));
		this.buckets[i]! += 1;
		this.count += 1;
		this.sum += v;
		if (v > this.max) this.max = v;
	}

	percentile(p: number): number {
		if (this.count === 0) return NaN;
		const target = Math.ceil((p / 100) * this.count);
		let seen = 0;
		for (let i = 0; i < this.buckets.length; i++) {
			seen += this.buckets[i]!;
			if (seen >= target) return i / RESOLUTION;
		}
		return this.max;
	}

	summary(): LatencySummary {
		return {
			count: this.count,
			p50: this.percentile(50),
			p90: this.percentile(90),
			p99: this.percentile(99),
			max: this.max,
			mean: this.count ? this.sum / this.count : NaN
		};
	}
}

export interface LatencySummary {
	count: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
	mean: number;
}

export function median(values: number[]): number {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	const mid = v.length >> 1;
	return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export function percentileOf(values: number[], p: number): number {
	const v = [...values].sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)]!;
}

/** Median of each numeric field over repetitions (fields missing in a rep are skipped). */
export function medianOf<T extends Record<string, unknown>>(reps: T[]): Record<string, number> {
	const out: Record<string, number> = {};
	const keys = new Set(reps.flatMap((r) => Object.keys(r)));
	for (const k of keys) {
		const vals = reps.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
		if (vals.length > 0) out[k] = median(vals);
	}
	return out;
}

/**
 * A full collection in this process (it runs with --expose-gc; a no-op
 * without), so that garbage of earlier work is not collected inside a
 * measured window.
 */
export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** CPU meter for the current process: fraction of one core between start and stop. */
export function cpuMeter(): () => number {
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	return () => {
		const c = process.cpuUsage(c0);
		return (c.user + c.system) / 1000 / (performance.now() - t0);
	};
}

/** Busy and stolen CPU time of the whole machine so far, in seconds (from /proc/stat). */
export function machineCpuSeconds(): { busy: number; steal: number } {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
	const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
	return { busy: (user! + nice! + system! + irq! + softirq!) / 100, steal: (steal ?? 0) / 100 };
}
