import { describe, expect, it } from 'vitest';
import { collapse, triage, unconfirmed, type PendingChange } from './pending';

const change = (over: Partial<PendingChange>): PendingChange => ({
	kind: 'add',
	ideaId: 'a',
	text: 'text',
	createdAt: 100,
	clock: 1,
	attempt: 0,
	...over
});

describe('unconfirmed', () => {
	it('keeps changes past the confirmed clock', () => {
		const pending = [change({ ideaId: 'a', clock: 1 }), change({ ideaId: 'b', clock: 2 })];
		expect(unconfirmed(pending, 0).map((c) => c.ideaId)).toEqual(['a', 'b']);
		expect(unconfirmed(pending, 1).map((c) => c.ideaId)).toEqual(['b']);
		expect(unconfirmed(pending, 2)).toEqual([]);
	});
});

describe('collapse', () => {
	it('replays an added-then-edited idea as one addition with the latest text', () => {
		const collapsed = collapse([
			change({ kind: 'add', text: 'first', createdAt: 100, clock: 1 }),
			change({ kind: 'edit', text: 'second', createdAt: 0, clock: 2 })
		]);
		expect(collapsed).toEqual([change({ kind: 'add', text: 'second', createdAt: 100, clock: 2 })]);
	});

	it('keeps edits of ideas that were saved before as edits, latest text wins', () => {
		const collapsed = collapse([
			change({ kind: 'edit', ideaId: 'x', text: 'one', clock: 3 }),
			change({ kind: 'edit', ideaId: 'x', text: 'two', clock: 4 }),
			change({ kind: 'add', ideaId: 'y', text: 'new', clock: 5 })
		]);
		expect(collapsed.map((c) => [c.kind, c.ideaId, c.text])).toEqual([
			['edit', 'x', 'two'],
			['add', 'y', 'new']
		]);
	});
});

describe('triage', () => {
	it('replays a change once, then gives it back to the user', () => {
		const { replay, giveBack } = triage([
			change({ ideaId: 'fresh', attempt: 0 }),
			change({ ideaId: 'again', attempt: 1 })
		]);
		expect(replay.map((c) => c.ideaId)).toEqual(['fresh']);
		expect(giveBack.map((c) => c.ideaId)).toEqual(['again']);
	});
});
