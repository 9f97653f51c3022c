import type { Idea } from '@kipina/board';
import { describe, expect, it } from 'vitest';
import { NO_IDS, diffIdeas } from './arrivals';

const idea = (id: string): Idea => ({ id, text: id, authorId: 'a', industry: '', createdAt: 1 });

describe('diffIdeas', () => {
	it('finds ideas not seen before and remembers the current ones', () => {
		const first = diffIdeas(NO_IDS, [idea('a'), idea('b')]);
		expect(first.added.map((i) => i.id)).toEqual(['a', 'b']);
		const second = diffIdeas(first.known, [idea('b'), idea('c')]);
		expect(second.added.map((i) => i.id)).toEqual(['c']);
		expect([...second.known].sort()).toEqual(['b', 'c']);
	});

	it('reports nothing when an idea is removed', () => {
		const { known } = diffIdeas(NO_IDS, [idea('a'), idea('b')]);
		expect(diffIdeas(known, [idea('a')]).added).toEqual([]);
	});
});
