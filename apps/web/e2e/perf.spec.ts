/**
 * The UI under a full evening's load, measured (not asserted):
 *   pnpm --filter @kipina/web perf        (KIPINA_PERF=1 playwright test --grep @perf)
 *
 * 40 participants from Node (stock y-websocket providers, board commands)
 * post 300 ideas. Each page — the projector at 1920×1080, a participant's
 * board at 1920×1080 and at 360×780 — is opened alone in Chromium, first in
 * the ideate phase, then again with the ideas in 8 themes and 200 dots given
 * in the vote phase. While it is open, 60 more ideas arrive from Node, one
 * every 250 ms (and in the vote phase a dot moves every 100 ms). Reported
 * per page: time from a remote post to its card in the DOM, long tasks,
 * frame times, and navigation to a usable board. See docs/performance-ui.md.
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { createCluster, deleteIdea, listIdeas, votesOf, votingProgress, vote } from '@kipina/board';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { IDEAS_FI } from './ideas.fi';
import { installProbe, type ProbeResult } from './perf/probe';
import { Remote, crowd, joinAs, startEveningIn } from './seed';

const PEOPLE = 40;
const IDEAS = 300;
const THEMES = 8;
const POSTS = 60;
const POST_EVERY_MS = 250;
const VOTE_EVERY_MS = 100;

const pct = (values: number[], p: number) => {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 10) / 10;

const PROFILE = process.env.KIPINA_PERF_PROFILE === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The load while a page is watched: POSTS ideas from Node, one every
 * POST_EVERY_MS, each carrying `⟦<seq>@<sent at>⟧`; in the vote phase a dot
 * also moves every VOTE_EVERY_MS (taken back from one idea, given to another).
 */
async function underLoad(
	remotes: Remote[],
	ids: string[],
	nextSeq: () => number,
	moveDots: boolean
) {
	let churning = moveDots;
	const churn = (async () => {
		let n = 0;
		while (churning) {
			const remote = remotes[n % remotes.length]!;
			const me = remote.seat.participant.id;
			const mine = Object.keys(votesOf(remote.doc, me));
			const from = mine[n % Math.max(1, mine.length)];
			if (from) {
				vote(remote.doc, me, from, -1);
				vote(remote.doc, me, ids[(n * 31) % ids.length]!, 1);
			}
			n++;
			await sleep(VOTE_EVERY_MS);
		}
		return n;
	})();
	const posted: string[] = [];
	for (let i = 0; i < POSTS; i++) {
		const seq = nextSeq();
		posted.push(
			remotes[(seq * 7) % remotes.length]!.post(`Perf idea ${seq} ⟦${seq}@${Date.now()}⟧`)
		);
		await sleep(POST_EVERY_MS);
	}
	churning = false;
	return { voteChanges: await churn, posted };
}

interface CpuProfile {
	nodes: {
		id: number;
		callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
		hitCount?: number;
	}[];
	samples: number[];
	timeDeltas: number[];
}

/** The functions with the most self time in a CPU profile, as "ms  name  file:line". */
function topSelfTime(profile: CpuProfile, n: number): string[] {
	const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<string, number>();
	profile.samples.forEach((id, i) => {
		const frame = byNode.get(id)?.callFrame;
		if (!frame) return;
		const file = frame.url.split('/').pop() ?? '';
		const key = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
		self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
	});
	return [...self.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([key, ms]) => `${ms.toFixed(0).padStart(6)} ms  ${key}`);
}

interface View {
	name: string;
	kind: 'projector' | 'board';
	viewport: { width: number; height: number };
}

const VIEWS: View[] = [
	{ name: 'projector 1920×1080', kind: 'projector', viewport: { width: 1920, height: 1080 } },
	{ name: 'board 1920×1080', kind: 'board', viewport: { width: 1920, height: 1080 } },
	{ name: 'board 360×780', kind: 'board', viewport: { width: 360, height: 780 } }
];

interface Measured {
	name: string;
	loadMs: number;
	probe: ProbeResult;
	voteChanges: number;
	profile: string[];
}

/** Opens `url` and measures navigation start → all `count` ideas rendered. */
async function openMeasured(page: Page, url: string, ideaSelector: string, count: number) {
	await page.goto(url);
	return page.waitForFunction(
		([selector, n]) => {
			if (document.querySelectorAll(selector as string).length < (n as number)) return null;
			return performance.now();
		},
		[ideaSelector, count] as const,
		{ polling: 20, timeout: 60_000 }
	);
}

async function participantBoard(
	browser: Browser,
	evening: string,
	viewport: { width: number; height: number },
	person: { name: string; industry: string }
) {
	const context = await browser.newContext({
		baseURL: process.env.KIPINA_BASE_URL,
		locale: 'en-US',
		viewport,
		isMobile: viewport.width < 500,
		hasTouch: viewport.width < 500
	});
	const page = await context.newPage();
	await page.addInitScript(installProbe);
	await page.goto(`/s/${evening}`);
	await page.getByLabel('Your name').fill(person.name);
	await page.getByLabel('Your industry').fill(person.industry);
	await page.getByRole('button', { name: 'Join', exact: true }).click();
	await expect(page.locator('[id^="idea-"]').first()).toBeVisible({ timeout: 60_000 });
	return { context, page };
}

test('@perf the board and the projector with 300 ideas, 40 people and 200 dots', async ({
	browser
}) => {
	test.setTimeout(900_000);
	const started = Date.now();
	const log = (what: string) =>
		console.log(`[perf +${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);

	// --- Seed: the facilitator's browser, 40 participants from Node -------------------------
	const hostContext = await browser.newContext({
		baseURL: process.env.KIPINA_BASE_URL,
		locale: 'en-US',
		viewport: { width: 1920, height: 1080 }
	});
	const evening = await startEveningIn(hostContext, 'Load evening', {
		name: 'Host',
		industry: 'facilitation'
	});
	const facilitator = await Remote.connect(evening.id, evening);
	const seats = [];
	for (const person of crowd(PEOPLE)) seats.push(await joinAs(evening.id, person));
	const remotes = await Promise.all(seats.map((seat) => Remote.connect(evening.id, seat)));
	log(`${PEOPLE} participants connected`);

	for (let i = 0; i < IDEAS; i++) {
		remotes[i % PEOPLE]!.post(`${IDEAS_FI[i % IDEAS_FI.length]!} (${i + 1})`);
	}
	await facilitator.until((doc) => listIdeas(doc).length === IDEAS, 60_000);
	log(`${IDEAS} ideas on the board`);
	const ids = facilitator.run(listIdeas).map((idea) => idea.id);

	const measured: Measured[] = [];
	let seq = 0;
	const only = process.env.KIPINA_PERF_ONLY;
	/** Opens one page alone (2 vCPUs cannot host three busy pages without skewing all of them). */
	const measure = async (view: View, phase: 'ideate' | 'vote') => {
		const name = `${view.name}, ${phase}`;
		if (only && !name.includes(only)) return;
		let page: Page;
		let close: () => Promise<void>;
		if (view.kind === 'projector') {
			page = await hostContext.newPage();
			await page.addInitScript(installProbe);
			close = () => page.close();
		} else {
			const phone = view.viewport.width < 500;
			const board = await participantBoard(browser, evening.id, view.viewport, {
				name: `${phone ? 'Phone' : 'Laptop'} Viewer ${measured.length + 1}`,
				industry: phone ? 'crafts' : 'design'
			});
			page = board.page;
			close = () => board.context.close();
		}
		const path = view.kind === 'projector' ? `/s/${evening.id}/screen` : `/s/${evening.id}`;
		const selector = view.kind === 'projector' ? '[data-idea]' : '[id^="idea-"]';
		const loadMs = Number(await (await openMeasured(page, path, selector, IDEAS)).jsonValue());
		log(`${name}: usable in ${loadMs.toFixed(0)} ms`);

		const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
		if (cdp) {
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
			await cdp.send('Profiler.start');
		}
		await page.evaluate(() => window.__perf.start());
		const first = seq;
		const { voteChanges, posted } = await underLoad(remotes, ids, () => seq++, phase === 'vote');
		// A fresh page sees only this window's markers; one it misses within 30 s is reported.
		await page
			.waitForFunction((n) => window.__perf.count() >= n, POSTS, { timeout: 30_000 })
			.catch(() => undefined);
		const probe = (await page.evaluate(() => window.__perf.stop())) as ProbeResult;
		probe.seen = Object.fromEntries(
			Object.entries(probe.seen).filter(([key]) => Number(key) >= first)
		);
		let profile: string[] = [];
		if (cdp) {
			const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
			profile = topSelfTime(cpu, 25);
		}
		measured.push({ name, loadMs, probe, voteChanges, profile });
		await close();
		// Back to the same number of ideas for the next page.
		for (const id of posted) facilitator.run((doc) => deleteIdea(doc, id));
		await facilitator.until((doc) => listIdeas(doc).length === IDEAS, 60_000);
	};

	// --- Ideate: cards on every screen, remote posts ------------------------------------------
	for (const view of VIEWS) await measure(view, 'ideate');

	// --- Vote: 8 themes, 200 dots, dots moving while ideas keep coming (late ideas on) ----------
	const perTheme = Math.floor((IDEAS * 0.8) / THEMES);
	for (let t = 0; t < THEMES; t++) {
		const members = ids.slice(t * perTheme, (t + 1) * perTheme);
		facilitator.run((doc) => createCluster(doc, evening.participant.id, members, `Theme ${t + 1}`));
	}
	facilitator.phase('vote');
	for (const [p, remote] of remotes.entries()) {
		await remote.until((doc) => doc.getMap('meta').get('phase') === 'vote');
		for (let d = 0; d < 5; d++) remote.vote(ids[(p * 13 + d * 37) % IDEAS]!);
	}
	await facilitator.until((doc) => votingProgress(doc).dotsSpent === PEOPLE * 5, 60_000);
	facilitator.setting('lateIdeas', true);
	log(`${PEOPLE * 5} dots given`);
	for (const view of VIEWS) await measure(view, 'vote');

	// --- Report --------------------------------------------------------------------------------
	const rows = measured.map(({ name, loadMs, probe, voteChanges }) => {
		const latencies = Object.values(probe.seen).map(([sent, seen]) => seen - sent);
		return {
			page: name,
			loadToUsableMs: round(loadMs),
			posts: latencies.length,
			postToDomP50: round(pct(latencies, 50)),
			postToDomP95: round(pct(latencies, 95)),
			postToDomMax: round(Math.max(...latencies)),
			longTasks: probe.longTasks.length,
			longTaskMaxMs: round(Math.max(0, ...probe.longTasks)),
			longTaskTotalMs: round(probe.longTasks.reduce((a, b) => a + b, 0)),
			frameP50: round(pct(probe.frames, 50)),
			frameP95: round(pct(probe.frames, 95)),
			frameP99: round(pct(probe.frames, 99)),
			framesOver50ms: probe.frames.filter((f) => f > 50).length,
			frames: probe.frames.length,
			voteChanges
		};
	});
	const report = {
		date: new Date().toISOString(),
		machine: {
			cpus: cpus().length,
			cpu: cpus()[0]?.model ?? 'unknown',
			node: process.version,
			chromium: browser.version()
		},
		load: { people: PEOPLE, ideas: IDEAS, themes: THEMES, dots: PEOPLE * 5 },
		during: { posts: POSTS, postEveryMs: POST_EVERY_MS, voteEveryMs: VOTE_EVERY_MS },
		rows,
		profiles: Object.fromEntries(measured.map((m) => [m.name, m.profile]))
	};
	console.log(JSON.stringify(report, null, 2));
	writeFileSync(
		process.env.KIPINA_PERF_OUT ?? '/tmp/kipina-perf-ui.json',
		JSON.stringify(report, null, 2)
	);
	for (const row of rows) expect.soft(row.posts, row.page).toBe(POSTS);

	for (const remote of remotes) remote.close();
	facilitator.close();
	await hostContext.close();
});
