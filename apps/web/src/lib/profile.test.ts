import { describe, expect, it } from 'vitest';
import { parseProfile } from './profile';

describe('parseProfile', () => {
	it('reads a stored profile', () => {
		expect(parseProfile('{"name":"Aino","industry":"matkailu"}')).toEqual({
			name: 'Aino',
			industry: 'matkailu'
		});
	});

	it('survives missing, broken or odd data', () => {
		expect(parseProfile(null)).toEqual({ name: '', industry: '' });
		expect(parseProfile('{not json')).toEqual({ name: '', industry: '' });
		expect(parseProfile('{"name":3,"industry":["x"]}')).toEqual({ name: '', industry: '' });
	});

	it('cuts overlong values to the limits', () => {
		expect(parseProfile(JSON.stringify({ name: 'x'.repeat(200), industry: '' })).name).toHaveLength(
			60
		);
	});
});
