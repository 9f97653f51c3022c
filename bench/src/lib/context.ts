import type { ServerKind } from '../servers/types.js';

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
