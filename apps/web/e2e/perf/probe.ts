/**
 * In-page instruments for the UI load measurement (perf.spec.ts), installed
 * with `page.addInitScript` before the app loads:
 * - a MutationObserver that notes when each marker `⟦<seq>@<sentAt>⟧` first
 *   appears in the DOM (text of an idea posted from Node at `sentAt`, epoch ms);
 * - a PerformanceObserver for long tasks (> 50 ms on the main thread);
 * - a requestAnimationFrame loop for frame times.
 * Everything is recorded from `__perf.start()` until `__perf.stop()`.
 */

export interface ProbeResult {
	/** Marker sequence number → [sentAt, seenAt] (epoch ms). */
	seen: Record<string, [number, number]>;
	longTasks: number[];
	frames: number[];
}

declare global {
	interface Window {
		__perf: {
			start(): void;
			stop(): ProbeResult;
			count(): number;
		};
	}
}

/** Runs in the page (serialised by Playwright): keep it self-contained. */
export function installProbe(): void {
	const MARK = /⟦(\d+)@(\d+)⟧/g;
	const seen: Record<string, [number, number]> = {};
	const longTasks: number[] = [];
	const frames: number[] = [];
	let recording = false;
	const now = () => performance.timeOrigin + performance.now();

	const scan = (text: string | null, at: number) => {
		if (!text || !text.includes('⟦')) return;
		for (const match of text.matchAll(MARK)) {
			const seq = match[1]!;
			if (!(seq in seen)) seen[seq] = [Number(match[2]), at];
		}
	};
	const observer = new MutationObserver((records) => {
		const at = now();
		for (const record of records) {
			if (record.type === 'characterData') scan(record.target.textContent, at);
			for (const node of record.addedNodes) scan(node.textContent, at);
		}
	});
	const observe = () =>
		observer.observe(document.documentElement, {
			childList: true,
			subtree: true,
			characterData: true
		});
	if (document.documentElement) observe();
	else document.addEventListener('DOMContentLoaded', observe);

	new PerformanceObserver((list) => {
		if (!recording) return;
		for (const entry of list.getEntries()) longTasks.push(entry.duration);
	}).observe({ type: 'longtask', buffered: false });

	let last = 0;
	const frame = (t: number) => {
		if (recording && last > 0) frames.push(t - last);
		last = t;
		requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);

	window.__perf = {
		start() {
			recording = true;
			last = 0;
		},
		stop() {
			recording = false;
			return { seen, longTasks: [...longTasks], frames: [...frames] };
		},
		count() {
			return Object.keys(seen).length;
		}
	};
}
