/**
 * What does checking an update cost? Times `inspectUpdate` + `checkUpdate`
 * (what the server runs before applying any update) against a session with
 * 300 and with 3,000 ideas, for typical updates, next to the cost of
 * `Y.applyUpdate` itself. Usage, from apps/server:
 *
 *   npx tsx --conditions=source scripts/check-cost.ts
 */
import {
	addIdea,
	checkUpdate,
	createBoardDoc,
	deleteIdea,
	editIdea,
	inspectUpdate,
	listIdeas,
	type Actor
} from '@kipina/board';
import * as Y from 'yjs';

const ITERATIONS = 2000;

function boardWith(ideas: number, people = 40): { doc: Y.Doc; actors: Actor[] } {
	const actors: Actor[] = Array.from({ length: people }, (_, i) => ({
		participantId: `p${i}`,
		role: i === 0 ? 'facilitator' : 'participant',
		industry: `ala ${i % 12}`
	}));
	const doc = createBoardDoc();
	// Each participant writes from their own replica, as in a real evening.
	const replicas = actors.map(() => createBoardDoc());
	for (let i = 0; i < ideas; i++) {
		const a = i % people;
		const replica = replicas[a]!;
		const before = Y.encodeStateVector(replica);
		const id = addIdea(
			replica,
			actors[a]!,
			`Idea number ${i} with a realistic amount of text in it`
		);
		if (i % 5 === 0) editIdea(replica, id, `Idea number ${i}, edited once`);
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, before));
	}
	return { doc, actors };
}

type Make = (doc: Y.Doc, actor: Actor) => Uint8Array;

/** The update a live replica sends for `change` (what the provider puts on the wire). */
const from =
	(change: (replica: Y.Doc, actor: Actor) => void): Make =>
	(doc, actor) => {
		const replica = createBoardDoc();
		Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
		const updates: Uint8Array[] = [];
		replica.on('update', (u: Uint8Array) => updates.push(u));
		change(replica, actor);
		return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
	};

const scenarios: [string, Make][] = [
	['add an idea', from((r, a) => addIdea(r, a, 'A new idea from the floor'))],
	[
		'edit own idea',
		from((r, a) =>
			editIdea(r, listIdeas(r).find((i) => i.authorId === a.participantId)!.id, 'Edited')
		)
	],
	[
		'delete own idea',
		from((r, a) => deleteIdea(r, listIdeas(r).find((i) => i.authorId === a.participantId)!.id))
	],
	[
		'sync step 2 with 20 offline ideas',
		from((r, a) => {
			for (let i = 0; i < 20; i++) addIdea(r, a, `Offline idea ${i}`);
		})
	],
	[
		'sync step 2 of an up-to-date replica (whole delete set)',
		(doc) => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc))
	]
];

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function time(fn: () => void): number[] {
	for (let i = 0; i < 200; i++) fn(); // warm-up
	const samples: number[] = [];
	for (let i = 0; i < ITERATIONS; i++) {
		const t = process.hrtime.bigint();
		fn();
		samples.push(Number(process.hrtime.bigint() - t) / 1e6);
	}
	return samples.sort((a, b) => a - b);
}

const rows: string[] = [];
for (const size of [300, 3000]) {
	const { doc, actors } = boardWith(size);
	const actor = actors[7]!;
	for (const [name, make] of scenarios) {
		const update = make(doc, actor);
		const check = time(() => {
			const summary = inspectUpdate(doc, update);
			const verdict = checkUpdate(doc, actor, summary);
			if (!verdict.ok) throw new Error(`${name}: ${verdict.reason}`);
		});
		const apply = time(() => {
			const scratch = new Y.Doc();
			Y.applyUpdate(scratch, update);
		});
		rows.push(
			`| ${size} | ${name} | ${update.byteLength} | ${percentile(check, 0.5).toFixed(3)} | ${percentile(check, 0.99).toFixed(3)} | ${percentile(apply, 0.5).toFixed(3)} |`
		);
	}
}
console.log(`Node ${process.version}, ${ITERATIONS} iterations per row after 200 warm-up runs`);
console.log('| ideas | update | bytes | check p50 ms | check p99 ms | apply to empty doc p50 ms |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
