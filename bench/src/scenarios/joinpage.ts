/**
 * B5 join page (Kipinä only; the peers ship no web app). Served by Kipinä
 * itself from the SvelteKit build (apps/web/build, built by the web app's
 * own `build`; this scenario never builds it). A participant who has joined
 * (cookie set by POST /api/sessions/:id/participants) opens /s/<id> in
 * headless Debian Chromium (playwright-core, never a downloaded browser).
 *
 * - Bundle: gzip -9 sizes of the JS and CSS files the page actually loaded.
 * - Usable board: from navigation start to the first frame in which the idea
 *   textarea is present and enabled, the connection indicator is no longer
 *   "connecting"/"offline", and (big board) the whole board has arrived (the
 *   idea grid counts all its ideas) and its first cards are drawn. The web
 *   app draws a big board a few screenfuls first and the rest in later tasks,
 *   so "all cards drawn" is also reported: every card in the DOM, the board's
 *   last idea (a sentinel) among them. Empty board and big board, unthrottled
 *   and with CDP CPU throttling 4×; the big board once with its room unloaded
 *   before every visit (read from storage first) and once with someone
 *   already connected (the room in memory, as when joining an evening).
 * - The early start (app.html starts the API reads and the board's socket
 *   before the app's scripts load): the big board with its room unloaded
 *   also with the early start kept from running (an init script), and both
 *   ways with an emulated 80 ms round trip (CDP network conditions), the
 *   figure a phone on venue Wi-Fi or 4G sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { SENTINEL } from '../lib/board.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { BENCH_DIR, spawnServer, type ServerHandle } from '../lib/proc.js';
import { median, percentileOf } from '../lib/stats.js';
import { ThinClient } from '../lib/clients.js';
import { portOf, seed } from './coldload.js';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';

function webBuildDir(): string | null {
	const dir = path.resolve(
		process.env.BENCH_WEB_BUILD ?? path.join(BENCH_DIR, '../apps/web/build')
	);
	return fs.existsSync(path.join(dir, 'handler.js')) ? dir : null;
}

async function joinCookie(
	server: ServerHandle,
	sessionId: string
): Promise<{ name: string; value: string }> {
	const res = await fetch(
		`http://127.0.0.1:${server.port}/api/sessions/${sessionId}/participants`,
		{
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Browser', industry: 'bench' })
		}
	);
	if (res.status !== 201) throw new Error(`join: ${res.status}`);
	const header = res.headers.getSetCookie().find((c) => c.startsWith('kp_'));
	if (!header) throw new Error('no session cookie');
	const [pair] = header.split(';');
	const at = pair!.indexOf('=');
	return { name: pair!.slice(0, at), value: pair!.slice(at + 1) };
}

interface Visit {
	usableMs: number;
	/** Every card of the board in the DOM (big board; equal to usableMs otherwise). */
	allCardsMs: number;
	jsGzip: number;
	cssGzip: number;
	files: number;
}

interface Conditions {
	/** CDP CPU throttling rate (1 = none). */
	throttle: number;
	/** Emulated network round trip added to every request, ms (0 = loopback). */
	latencyMs: number;
	/** Keep the page's early start (app.html's inline script) from running. */
	noEarlyStart: boolean;
}

/**
 * Runs before the page's own scripts: the early start's two reads fail and its
 * socket cannot be constructed (it catches both), and it cannot publish
 * anything; the app then makes its own requests, as before the early start.
 */
function disableEarlyStart(): void {
	const realFetch = window.fetch;
	let early = 2;
	window.fetch = ((...args: Parameters<typeof fetch>) =>
		early-- > 0
			? Promise.reject(new Error('early start off'))
			: realFetch(...args)) as typeof fetch;
	// Methods, not arrows: tsx wraps named arrows in a `__name` helper the page does not have.
	Object.defineProperty(window, '__kipinaEarly', {
		set() {},
		get() {
			return undefined;
		}
	});
	const RealWebSocket = window.WebSocket;
	let first = true;
	window.WebSocket = new Proxy(RealWebSocket, {
		construct(_target, args: ConstructorParameters<typeof WebSocket>) {
			if (first) {
				first = false;
				throw new Error('early start off');
			}
			return new RealWebSocket(...args);
		}
	});
}

async function visit(
	browser: Browser,
	server: ServerHandle,
	sessionId: string,
	ideas: number,
	conditions: Conditions,
	clientDir: string
): Promise<Visit> {
	const { throttle, latencyMs, noEarlyStart } = conditions;
	const cookie = await joinCookie(server, sessionId);
	const context = await browser.newContext();
	await context.addCookies([{ ...cookie, domain: '127.0.0.1', path: '/' }]);
	const page = await context.newPage();
	const loaded = new Set<string>();
	page.on('response', (r) => {
		const u = new URL(r.url());
		if (/\.(js|css)$/.test(u.pathname)) loaded.add(u.pathname);
	});
	if (noEarlyStart) await page.addInitScript(disableEarlyStart);
	if (throttle > 1 || latencyMs > 0) {
		const cdp = await context.newCDPSession(page);
		if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
		if (latencyMs > 0) {
			await cdp.send('Network.enable');
			await cdp.send('Network.emulateNetworkConditions', {
				offline: false,
				latency: latencyMs,
				downloadThroughput: -1,
				uploadThroughput: -1
			});
		}
	}
	await page.goto(`http://127.0.0.1:${server.port}/s/${sessionId}`, { waitUntil: 'commit' });
	// Checked every frame, so kept cheap: the sentinel is looked for once the grid says all is drawn.
	const waitFor = async (allCards: boolean) =>
		(await (
			await page.waitForFunction(
				({ ideas, sentinel, allCards }) => {
					const input = document.querySelector('textarea');
					const state = document
						.querySelector('[data-testid="connection"]')
						?.getAttribute('data-state');
					if (!input || input.disabled || !state || state === 'connecting' || state === 'offline')
						return false;
					if (ideas === 0) return performance.now();
					const grid = document.querySelector('ul[data-ideas]');
					if (!grid || Number(grid.getAttribute('data-ideas')) < ideas) return false;
					if (!allCards) return grid.firstElementChild ? performance.now() : false;
					return grid.getAttribute('data-rendered') === grid.getAttribute('data-ideas') &&
						(grid.textContent ?? '').includes(sentinel)
						? performance.now()
						: false;
				},
				{ ideas, sentinel: SENTINEL, allCards },
				{ polling: 'raf', timeout: 30_000 }
			)
		).jsonValue()) as number;
	const ms = await waitFor(false);
	const allCardsMs = ideas === 0 ? ms : await waitFor(true);
	let jsGzip = 0;
	let cssGzip = 0;
	for (const p of loaded) {
		const file = path.join(clientDir, p);
		if (!fs.existsSync(file)) continue;
		const gz = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).byteLength;
		if (p.endsWith('.js')) jsGzip += gz;
		else cssGzip += gz;
	}
	await context.close();
	return { usableMs: ms, allCardsMs, jsGzip, cssGzip, files: loaded.size };
}

export async function joinpage(ctx: Ctx): Promise<ScenarioResult> {
	const web = webBuildDir();
	if (!web) {
		return {
			markdown:
				'### Join page\n\nNot measured: no web build (apps/web/build/handler.js) present.\n',
			json: { skipped: 'no web build' }
		};
	}
	if (!ctx.servers.includes('kipina')) return { markdown: '', json: {} };
	const runs = ctx.smoke ? 1 : Number(process.env.BENCH_PAGE_RUNS ?? 7);
	const seeded = await seed('kipina', ctx.smoke);
	const server = await spawnServer('kipina', { dataDir: seeded.dataDir, webBuildDir: web });
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--no-first-run'
		]
	});
	const rows: string[] = [];
	const json: Record<string, unknown> = {};
	try {
		const created = await fetch(`http://127.0.0.1:${server.port}/api/sessions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'Empty', name: 'Facilitator', industry: 'bench' })
		});
		const empty = ((await created.json()) as { id: string }).id;
		const clientDir = path.join(web, 'client');
		for (const [label, sessionId, ideas, warm] of [
			['empty board', empty, 0, false],
			['big board, room unloaded', seeded.docName, seeded.ideas, false],
			['big board, room loaded', seeded.docName, seeded.ideas, true]
		] as const) {
			// Loaded: someone is already in the evening (a thin client stays connected), so the
			// server has the document in memory. Unloaded: each visit comes after the room was
			// dropped (grace 1 s), so the server reads it from storage first (scenario 4).
			const keeper = warm ? new ThinClient(await portOf(seeded.seat, server), 0) : null;
			await keeper?.synced;
			const plain = { latencyMs: 0, noEarlyStart: false };
			const variants: (Conditions & { suffix: string })[] = ctx.smoke
				? [{ throttle: 1, ...plain, suffix: '' }]
				: [
						{ throttle: 1, ...plain, suffix: '' },
						{ throttle: 4, ...plain, suffix: '' },
						// What the early start (app.html) buys, on loopback and on a slow network.
						...(ideas > 0 && !warm
							? [
									{ throttle: 1, latencyMs: 0, noEarlyStart: true, suffix: ', early start off' },
									{ throttle: 1, latencyMs: 80, noEarlyStart: false, suffix: ', 80 ms RTT' },
									{
										throttle: 1,
										latencyMs: 80,
										noEarlyStart: true,
										suffix: ', 80 ms RTT, early start off'
									}
								]
							: [])
					];
			for (const conditions of variants) {
				const visits: Visit[] = [];
				if (!ctx.smoke) await visit(browser, server, sessionId, ideas, conditions, clientDir); // warm-up
				for (let r = 0; r < runs; r++) {
					visits.push(await visit(browser, server, sessionId, ideas, conditions, clientDir));
				}
				const ms = visits.map((v) => v.usableMs);
				const all = visits.map((v) => v.allCardsMs);
				const key = `${label}, CPU ${conditions.throttle}×${conditions.suffix}`;
				json[key] = visits;
				ctx.log(
					`joinpage ${key}: usable ${median(ms).toFixed(0)} ms, all cards ${median(all).toFixed(0)} ms`
				);
				rows.push(
					`| ${key} | ${median(ms).toFixed(0)} | ${percentileOf(ms, 90).toFixed(0)} | ${ideas === 0 ? '–' : median(all).toFixed(0)} | ${(visits[0]!.jsGzip / 1024).toFixed(1)} | ${(visits[0]!.cssGzip / 1024).toFixed(1)} | ${visits[0]!.files} |`
				);
			}
			keeper?.close();
		}
	} finally {
		await browser.close();
		await server.stop();
		fs.rmSync(seeded.dataDir, { recursive: true, force: true });
	}
	const markdown = [
		`### Join page (participant route /s/<id>, Kipinä only; ${runs} runs each after one warm-up)`,
		'',
		'| board | usable median, ms | p90, ms | all cards drawn, median ms | JS loaded, KB gz | CSS loaded, KB gz | files |',
		'|---|---|---|---|---|---|---|',
		...rows,
		''
	].join('\n');
	return { markdown, json };
}
