import { describe, expect, it } from 'vitest';
import {
	choiceTarget,
	edgeScrollSpeed,
	parseDropTarget,
	resolveDrop,
	sameTarget
} from './dragdrop';

const placement: Record<string, string | null> = { a: null, b: null, c: 'k1', d: 'k1', e: 'k2' };
const clusterOf = (id: string) => placement[id] ?? null;

describe('resolveDrop', () => {
	it('groups two loose ideas into a new theme', () => {
		expect(resolveDrop('a', { kind: 'idea', ideaId: 'b' }, clusterOf)).toEqual({
			kind: 'group',
			ideaId: 'a',
			targetId: 'b'
		});
	});

	it('joins the theme of the idea it is dropped on', () => {
		expect(resolveDrop('a', { kind: 'idea', ideaId: 'c' }, clusterOf)).toEqual({
			kind: 'group',
			ideaId: 'a',
			targetId: 'c'
		});
		expect(resolveDrop('e', { kind: 'idea', ideaId: 'c' }, clusterOf)?.kind).toBe('group');
	});

	it('does nothing on itself or on an idea of its own theme', () => {
		expect(resolveDrop('a', { kind: 'idea', ideaId: 'a' }, clusterOf)).toBeNull();
		expect(resolveDrop('c', { kind: 'idea', ideaId: 'd' }, clusterOf)).toBeNull();
	});

	it('moves into a theme, but not into the one it is in', () => {
		expect(resolveDrop('a', { kind: 'cluster', clusterId: 'k2' }, clusterOf)).toEqual({
			kind: 'move',
			ideaId: 'a',
			clusterId: 'k2'
		});
		expect(resolveDrop('c', { kind: 'cluster', clusterId: 'k1' }, clusterOf)).toBeNull();
	});

	it('ungroups onto the loose area, only when grouped', () => {
		expect(resolveDrop('c', { kind: 'loose' }, clusterOf)).toEqual({
			kind: 'move',
			ideaId: 'c',
			clusterId: null
		});
		expect(resolveDrop('a', { kind: 'loose' }, clusterOf)).toBeNull();
	});

	it('starts a new theme, and ignores drops on nothing', () => {
		expect(resolveDrop('c', { kind: 'new' }, clusterOf)).toEqual({ kind: 'new', ideaId: 'c' });
		expect(resolveDrop('c', null, clusterOf)).toBeNull();
	});
});

describe('parseDropTarget', () => {
	it('reads the data attributes of drop zones', () => {
		expect(parseDropTarget({ drop: 'idea', dropId: 'x' })).toEqual({ kind: 'idea', ideaId: 'x' });
		expect(parseDropTarget({ drop: 'cluster', dropId: 'k' })).toEqual({
			kind: 'cluster',
			clusterId: 'k'
		});
		expect(parseDropTarget({ drop: 'loose' })).toEqual({ kind: 'loose' });
		expect(parseDropTarget({ drop: 'new' })).toEqual({ kind: 'new' });
	});

	it('refuses incomplete or unknown zones', () => {
		expect(parseDropTarget(undefined)).toBeNull();
		expect(parseDropTarget({})).toBeNull();
		expect(parseDropTarget({ drop: 'idea' })).toBeNull();
		expect(parseDropTarget({ drop: 'trash', dropId: 'x' })).toBeNull();
	});
});

describe('sameTarget', () => {
	it('compares by kind and id', () => {
		expect(sameTarget(null, null)).toBe(true);
		expect(sameTarget({ kind: 'loose' }, { kind: 'loose' })).toBe(true);
		expect(sameTarget({ kind: 'idea', ideaId: 'a' }, { kind: 'idea', ideaId: 'a' })).toBe(true);
		expect(sameTarget({ kind: 'idea', ideaId: 'a' }, { kind: 'idea', ideaId: 'b' })).toBe(false);
		expect(sameTarget({ kind: 'cluster', clusterId: 'a' }, { kind: 'loose' })).toBe(false);
		expect(sameTarget(null, { kind: 'loose' })).toBe(false);
	});
});

describe('edgeScrollSpeed', () => {
	it('scrolls up near the top, down near the bottom, not in between', () => {
		expect(edgeScrollSpeed(0, 800)).toBe(-18);
		expect(edgeScrollSpeed(32, 800)).toBeLessThan(0);
		expect(edgeScrollSpeed(400, 800)).toBe(0);
		expect(edgeScrollSpeed(790, 800)).toBeGreaterThan(0);
		expect(edgeScrollSpeed(800, 800)).toBe(18);
	});
});

describe('choiceTarget', () => {
	it('turns menu choices into drops', () => {
		expect(resolveDrop('a', choiceTarget('new'), clusterOf)).toEqual({ kind: 'new', ideaId: 'a' });
		expect(resolveDrop('c', choiceTarget(null), clusterOf)).toEqual({
			kind: 'move',
			ideaId: 'c',
			clusterId: null
		});
		expect(resolveDrop('a', choiceTarget('k1'), clusterOf)).toEqual({
			kind: 'move',
			ideaId: 'a',
			clusterId: 'k1'
		});
	});
});
