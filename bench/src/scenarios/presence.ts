/**
 * B6 presence storm. The B1 workload at N = 200 (an idea every 3 s each,
 * a vote every 10 s), once as it is and once while 50 of the participants
 * also move a "cursor" through awareness at 20 Hz (1,000 presence changes a
 * second; unbatched that is 200,000 frames/s to 200 receivers, above a
 * core's frame ceiling on this box). Reported: the ideas' latency with and
 * without the storm, presence frames each receiver gets per second, server
 * CPU. The plain relay is left out: it has no presence to coalesce.
 */
import { roundRobin, type Ctx, type ScenarioResult } from '../lib/context.js';
import { sideBySide } from '../lib/report.js';
import type { ServerKind } from '../servers/types.js';
import { fanoutRun, type FanoutConfig } from './fanout.js';

const METRICS = [
	{ key: 'p50Base', label: 'idea p50 ms, no storm' },
	{ key: 'p99Base', label: 'idea p99 ms, no storm' },
	{ key: 'p50', label: 'idea p50 ms, storm' },
	{ key: 'p99', label: 'idea p99 ms, storm' },
	{ key: 'p99Delta', label: 'idea p99 growth, ms' },
	{ key: 'deliveryRatio', label: 'idea delivery ratio, storm' },
	{ key: 'presenceFramesPerReceiver', label: 'presence frames/s per receiver' },
	{ key: 'framesOutPerSec', label: 'frames/s received (all kinds)' },
	{ key: 'serverCpuBase', label: 'server CPU, no storm (cores)' },
	{ key: 'serverCpu', label: 'server CPU, storm (cores)' },
	{ key: 'generatorCpu', label: 'generator CPU, storm (cores)' },
	{ key: 'otherCpu', label: 'other processes CPU (cores)' },
	{ key: 'closedClients', label: 'clients closed by server' },
	{ key: 'serverUnresponsive', label: 'reps where the server did not answer stats in 15 s' }
];

export async function presence(ctx: Ctx): Promise<ScenarioResult> {
	const cfg: FanoutConfig = ctx.smoke
		? {
				n: 10,
				periodMs: 1000,
				voteMs: 2000,
				warmMs: 500,
				measureMs: 1500,
				drainMs: 2000,
				probes: 0
			}
		: {
				n: 200,
				periodMs: 3000,
				voteMs: 10_000,
				warmMs: 3000,
				measureMs: Number(process.env.BENCH_MEASURE_MS ?? 8000),
				drainMs: 5000,
				probes: 0
			};
	const storm = ctx.smoke ? { clients: 3, hz: 20 } : { clients: 50, hz: 20 };
	const servers = ctx.servers.filter((k): k is ServerKind => k !== 'relay');
	const { raw, medians } = await roundRobin(
		ctx,
		servers,
		'presence',
		async (kind) => {
			const base = await fanoutRun(kind, cfg);
			const stormy = await fanoutRun(kind, { ...cfg, presence: storm });
			return {
				...stormy,
				p50Base: base.p50,
				p99Base: base.p99,
				p99Delta: Number(stormy.p99) - Number(base.p99),
				serverCpuBase: base.serverCpu
			};
		},
		(row) =>
			`p99 ${Number(row.p99Base).toFixed(1)} → ${Number(row.p99).toFixed(1)} ms, presence ${Number(row.presenceFramesPerReceiver).toFixed(1)}/s per receiver, cpu ${Number(row.serverCpu).toFixed(2)}`
	);
	for (const k of servers) {
		medians[k] = {
			...medians[k],
			serverUnresponsive: raw[k]!.filter((r) => r.serverUnresponsive === 1).length
		};
	}
	const title = `Presence storm: N=${cfg.n}, ${storm.clients} moving a cursor at ${storm.hz} Hz (median of ${ctx.reps})`;
	return {
		markdown: sideBySide(title, medians, METRICS) + '\n',
		json: { config: { ...cfg, storm }, medians, reps: raw }
	};
}
