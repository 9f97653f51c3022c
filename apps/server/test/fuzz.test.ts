import { expect, test } from 'vitest';
import { runFuzz } from './fuzz/run.js';

test('a few thousand hostile frames: server up, healthy rooms intact, nothing forbidden stored', async () => {
	const report = await runFuzz(3000);
	// The seed is printed so a failure can be replayed with scripts/fuzz.ts.
	console.log(
		JSON.stringify({ seed: report.seed, frames: report.frames, closeCodes: report.closeCodes })
	);
	expect(report.errorLogs).toEqual([]);
	expect(report.unhandled).toEqual([]);
	expect(report.healthy).toBe(true);
	expect(report.healthyRoomsEqualControl).toBe(true);
	expect(report.fuzzedRoomHasOnlyAllowed).toBe(true);
	expect(Object.keys(report.byCategory).length).toBeGreaterThanOrEqual(10);
}, 120_000);
