/**
 * B0 calibration: this box's floors. Loopback ws RTT (sequential echo), the
 * plain relay's fan-out ceiling (B1 workload at N=500, 1 idea/s each), and
 * Yjs parse/encode of the big board.
 */
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { bigBoard, boardCounts } from '../lib/board.js';
import type { Ctx, ScenarioResult } from '../lib/context.js';
import { spawnServer } from '../lib/proc.js';
import { Histogram, median } from '../lib/stats.js';
import { fanoutRun } from './fanout.js';

function time<T>(fn: () => T): [number, T] {
	const t0 = performance.now();
	const out = fn();
	return [performance.now() - t0, out];
}

async function echoRtt(count: number): Promise<ReturnType<Histogram['summary']>> {
	const server = await spawnServer('relay');
	try {
		const ws = new WebSocket(`ws://127.0.0.1:${server.port}/echo`, { perMessageDeflate: false });
		await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
		const hist = new Histogram();
		const payload = Buffer.alloc(64, 7);
		for (let i = 0; i < count; i++) {
			const t0 = performance.now();
			await new Promise<void>((resolve) => {
				ws.once('message', () => resolve());
				ws.send(payload);
			});
			if (i >= count / 10) hist.add(performance.now() - t0); // first 10 %: warm-up
		}
		ws.terminate();
		return hist.summary();
	} finally {
		await server.stop();
	}
}

function yjsMicro(small: boolean): Record<string, number> {
	const board = bigBoard(small);
	const reps = small ? 1 : 5;
	const parse: number[] = [];
	const encodeFirst: number[] = [];
	const encodeWarm: number[] = [];
	let doc = new Y.Doc();
	for (let r = 0; r < reps; r++) {
		doc.destroy();
		doc = new Y.Doc();
		parse.push(time(() => Y.applyUpdate(doc, board.snapshot))[0]);
		encodeFirst.push(time(() => Y.encodeStateAsUpdate(doc))[0]);
		encodeWarm.push(time(() => Y.encodeStateAsUpdate(doc))[0]);
	}
	const counts = boardCounts(doc);
	const sv = Y.encodeStateVector(doc);
	const [diffMs] = time(() => Y.encodeStateAsUpdate(doc, sv));
	const [svMs] = time(() => Y.encodeStateVector(doc));
	const v2 = Y.encodeStateAsUpdateV2(doc);
	const logDoc = new Y.Doc();
	const [logApplyMs] = time(() =>
		logDoc.transact(() => {
			for (const u of board.log) Y.applyUpdate(logDoc, u);
		})
	);
	const subset = board.log.slice(0, Math.min(2200, board.log.length));
	const [mergeSubsetMs] = time(() => Y.mergeUpdates(subset));
	const logBytes = board.log.reduce((a, u) => a + u.byteLength, 0);
	logDoc.destroy();
	doc.destroy();
	return {
		ideas: counts.ideas,
		votes: counts.votes,
		updates: board.log.length,
		logBytes,
		snapshotV1Bytes: board.snapshot.byteLength,
		snapshotV2Bytes: v2.byteLength,
		stateVectorBytes: sv.byteLength,
		applySnapshotMs: median(parse),
		encodeFullFirstMs: median(encodeFirst),
		encodeFullWarmMs: median(encodeWarm),
		encodeDiffUpToDateMs: diffMs,
		encodeStateVectorMs: svMs,
		applyLogOneTransactionMs: logApplyMs,
		mergeUpdates2200Ms: mergeSubsetMs
	};
}

export async function calibration(ctx: Ctx): Promise<ScenarioResult> {
	ctx.log('calibration: echo RTT');
	const rtt = await echoRtt(ctx.smoke ? 200 : 5000);
	ctx.log('calibration: Yjs micro-benchmarks on the big board');
	const yjs = yjsMicro(ctx.smoke);
	ctx.log('calibration: plain relay ceiling');
	const n = ctx.smoke ? 20 : 500;
	const relay = await fanoutRun('relay', {
		n,
		periodMs: ctx.smoke ? 500 : 1000,
		voteMs: ctx.smoke ? 2000 : 10_000,
		warmMs: ctx.smoke ? 500 : 3000,
		measureMs: ctx.smoke ? 1500 : 8000,
		drainMs: 3000,
		probes: 0
	});
	const md = [
		'### Loopback WebSocket RTT (ws 8, 64 B sequential echo through a server child on core 0)',
		'',
		'| p50 ms | p90 ms | p99 ms | max ms | samples |',
		'|---|---|---|---|---|',
		`| ${rtt.p50.toFixed(3)} | ${rtt.p90.toFixed(3)} | ${rtt.p99.toFixed(3)} | ${rtt.max.toFixed(2)} | ${rtt.count} |`,
		'',
		`### Plain relay ceiling (N=${n}, 1 idea/s each + votes; no Yjs, no batching)`,
		'',
		'| writes/s | frames/s received | p50 ms | p99 ms | delivery | relay CPU | generator CPU | other CPU |',
		'|---|---|---|---|---|---|---|---|',
		`| ${Number(relay.writesPerSec).toFixed(0)} | ${Number(relay.framesOutPerSec).toFixed(0)} | ${Number(relay.p50).toFixed(2)} | ${Number(relay.p99).toFixed(2)} | ${Number(relay.deliveryRatio).toFixed(3)} | ${Number(relay.serverCpu).toFixed(2)} | ${Number(relay.generatorCpu).toFixed(2)} | ${Number(relay.otherCpu).toFixed(2)} |`,
		'',
		`### Yjs 13.6 on the big board (${yjs.ideas} ideas, ${yjs.votes} votes; generator core)`,
		'',
		'| quantity | value |',
		'|---|---|',
		...Object.entries(yjs).map(([k, v]) => `| ${k} | ${Number.isInteger(v) ? v : v.toFixed(2)} |`),
		''
	].join('\n');
	return { markdown: md, json: { rtt, relay, yjs } };
}
