import type { ServerKind } from '../servers/types.js';
import type { Row } from './report.js';
import { medianOf } from './stats.js';

export interface Ctx {
	servers: ServerKind[];
	/** Repetitions per configuration (medians are reported). */
	reps: number;
	/** CI smoke: tiny sizes, short windows, no timing assertions. */
	smoke: boolean;
	log(message: string): void;
}

export interface ScenarioResult {
	markdown: string;
	json: unknown;
}

export type Scenario = (ctx: Ctx) => Promise<ScenarioResult>;

/**
 * Runs `run` for every server, `ctx.reps` times round-robin (slow drifts of
 * a shared machine touch every server alike); a failed run is logged and
 * kept as `{ error }`. Returns each server's rows and their medians.
 */
export async function roundRobin(
	ctx: Ctx,
	servers: ServerKind[],
	label: string,
	run: (kind: ServerKind) => Promise<Row>,
	describe: (row: Row) => string
): Promise<{ raw: Record<string, Row[]>; medians: Record<string, Row> }> {
	const raw: Record<string, Row[]> = Object.fromEntries(servers.map((k) => [k, []]));
	for (let r = 0; r < ctx.reps; r++) {
		for (const kind of servers) {
			ctx.log(`${label}: ${kind} rep ${r + 1}/${ctx.reps}`);
			try {
				const row = await run(kind);
				ctx.log(`  ${describe(row)}`);
				raw[kind]!.push(row);
			} catch (error) {
				ctx.log(`  failed: ${(error as Error).message}`);
				raw[kind]!.push({ error: (error as Error).message });
			}
		}
	}
	const medians = Object.fromEntries(
		servers.map((k) => [k, medianOf(raw[k]!.filter((row) => row.error === undefined))])
	);
	return { raw, medians };
}
