import { describe, expect, it } from 'vitest';
import { formatJoinCode, joinCodeProblem, joinLink, normalizeJoinCode } from './joinCode';

describe('normalizeJoinCode', () => {
	it('forgives case, spaces and dashes', () => {
		expect(normalizeJoinCode('k7p 2qx')).toBe('K7P2QX');
		expect(normalizeJoinCode(' K7P-2QX ')).toBe('K7P2QX');
		expect(normalizeJoinCode('k7p–2qx.')).toBe('K7P2QX');
		expect(normalizeJoinCode('K 7 P 2 Q X')).toBe('K7P2QX');
	});

	it('takes the code out of a pasted join link', () => {
		expect(normalizeJoinCode('https://kipina.fi/join?code=k7p2qx')).toBe('K7P2QX');
		expect(normalizeJoinCode('kipina.fi/join?x=1&code=K7P%202QX#top')).toBe('K7P2QX');
	});

	it('drops letters outside A–Z', () => {
		expect(normalizeJoinCode('äK7P2QX')).toBe('K7P2QX');
	});
});

describe('formatJoinCode', () => {
	it('groups six characters in threes', () => {
		expect(formatJoinCode('K7P2QX')).toBe('K7P 2QX');
		expect(formatJoinCode('k7p-2qx')).toBe('K7P 2QX');
	});

	it('leaves partial codes readable while typing', () => {
		expect(formatJoinCode('k7')).toBe('K7');
		expect(formatJoinCode('k7p2')).toBe('K7P 2');
		expect(formatJoinCode('')).toBe('');
	});
});

describe('joinCodeProblem', () => {
	it('accepts a complete code in any spelling', () => {
		expect(joinCodeProblem('k7p 2qx')).toBeNull();
	});

	it('names what is wrong', () => {
		expect(joinCodeProblem('  ')).toBe('empty');
		expect(joinCodeProblem('K7P2')).toBe('short');
		expect(joinCodeProblem('K7P2QXA')).toBe('long');
		expect(joinCodeProblem('K0P2QX')).toBe('characters');
		expect(joinCodeProblem('KIP2QX')).toBe('characters');
	});
});

describe('joinLink', () => {
	it('is the origin plus /join, with the code to prefill', () => {
		expect(joinLink('https://kipina.fi')).toBe('https://kipina.fi/join');
		expect(joinLink('https://kipina.fi/', 'k7p 2qx')).toBe('https://kipina.fi/join?code=K7P2QX');
	});
});
