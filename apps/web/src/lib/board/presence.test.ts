import { describe, expect, it } from 'vitest';
import { draggersByIdea } from './presence';

const state = (participantId: string, name: string, dragging?: unknown) => ({
	user: { participantId, name, industry: '' },
	...(dragging === undefined ? {} : { dragging })
});

describe('draggersByIdea', () => {
	it('lists who drags which idea, without me', () => {
		const map = draggersByIdea(
			[state('me', 'Me', 'i1'), state('p1', 'Aino', 'i1'), state('p2', 'Ville', 'i2')],
			'me'
		);
		expect(map.get('i1')).toEqual([{ participantId: 'p1', name: 'Aino' }]);
		expect(map.get('i2')).toEqual([{ participantId: 'p2', name: 'Ville' }]);
	});

	it('counts a person with two devices once, and ignores junk', () => {
		const map = draggersByIdea(
			[
				state('p1', 'Aino', 'i1'),
				state('p1', 'Aino', 'i1'),
				state('p2', 'Ville', null),
				state('p3', '', 'i1'),
				{ dragging: 'i1' },
				null,
				'x'
			],
			'me'
		);
		expect(map.get('i1')).toEqual([{ participantId: 'p1', name: 'Aino' }]);
		expect(map.size).toBe(1);
	});
});
