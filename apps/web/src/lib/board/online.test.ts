import { describe, expect, it } from 'vitest';
import { onlineUsers } from './online';

const state = (participantId: string, name: string, industry = '') => ({
	user: { participantId, name, industry }
});

describe('onlineUsers', () => {
	it('lists one entry per participant, yourself first, then by name', () => {
		const users = onlineUsers(
			[
				state('p2', 'Ville', 'IT'),
				state('me', 'Aino', 'matkailu'),
				state('p3', 'Ähtäri Eeva'),
				state('p2', 'Ville', 'IT'),
				state('p4', 'Bertta', 'leipomo')
			],
			'me'
		);
		expect(users.map((u) => u.name)).toEqual(['Aino', 'Bertta', 'Ville', 'Ähtäri Eeva']);
		expect(users[0]?.isMe).toBe(true);
		expect(users.filter((u) => u.isMe)).toHaveLength(1);
	});

	it('skips states without a usable user', () => {
		const users = onlineUsers(
			[null, {}, { user: null }, { user: { name: 'No id' } }, { user: { participantId: 'x' } }],
			'me'
		);
		expect(users).toEqual([]);
	});

	it('tolerates a missing industry', () => {
		expect(onlineUsers([{ user: { participantId: 'a', name: 'A' } }], 'me')).toEqual([
			{ participantId: 'a', name: 'A', industry: '', isMe: false }
		]);
	});
});
