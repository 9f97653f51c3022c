/**
 * Long fuzz run against a live in-process server (the CI test runs 3,000
 * frames). Usage, from apps/server:
 *
 *   FRAMES=100000 SEED=1234 npx tsx --conditions=source scripts/fuzz.ts
 *
 * Exits non-zero if the server logged an error, an unhandled rejection
 * occurred, a healthy room differs from its ledger, or the fuzzed room holds
 * anything the policy forbids.
 */
import { runFuzz } from '../test/fuzz/run.js';

const frames = Number(process.env.FRAMES ?? 50_000);
const seed = process.env.SEED ? Number(process.env.SEED) : undefined;
const started = Date.now();
const report = await runFuzz(frames, seed);
console.log(
	JSON.stringify(
		{ ...report, errorLogs: report.errorLogs.slice(0, 5), seconds: (Date.now() - started) / 1000 },
		null,
		2
	)
);
const ok =
	report.errorLogs.length === 0 &&
	report.unhandled.length === 0 &&
	report.healthy &&
	report.healthyRoomsEqualControl &&
	report.fuzzedRoomHasOnlyAllowed;
process.exit(ok ? 0 : 1);
