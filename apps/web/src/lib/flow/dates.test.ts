import { describe, expect, it } from 'vitest';
import { formatDay } from './dates';

describe('formatDay', () => {
	it('shows the stored day in either language, without shifting it', () => {
		expect(formatDay('2026-12-05', 'fi')).toBe('5.12.2026');
		expect(formatDay('2026-12-05', 'en')).toBe('Dec 5, 2026');
		expect(formatDay('2026-01-01', 'en')).toBe('Jan 1, 2026');
	});

	it('leaves anything else as it is', () => {
		expect(formatDay('soon', 'fi')).toBe('soon');
	});
});
