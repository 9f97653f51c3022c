/**
 * Room policies: a session's board is judged by the board policy; a
 * participant's private desk by the desk policy, against the session's
 * current settings, and every stored desk change refreshes the session's
 * count of private ideas (the only trace of them others may see).
 */
import { boardMaps, checkDeskUpdate, checkUpdate, deskMaps, privateStatKey } from '@kipina/board';
import type { Room, RoomPolicy } from './Room.js';

export const sessionPolicy: RoomPolicy = {
	check: (room, conn, summary) => checkUpdate(room.doc, conn.actor, summary)
};

export function deskPolicy(session: Room, ownerId: string): RoomPolicy {
	let published: number | null = null;
	return {
		check: (room, conn, summary) =>
			checkDeskUpdate(room.doc, session.doc, conn.actor, ownerId, summary),
		afterCommit(room) {
			const count = deskMaps(room.doc).ideas.size;
			const stats = boardMaps(session.doc).stats;
			if (count === published && stats.get(privateStatKey(ownerId)) === count) return;
			published = count;
			void session
				.serverEdit('private-count', (doc) => {
					const key = privateStatKey(ownerId);
					if (count === 0) boardMaps(doc).stats.delete(key);
					else boardMaps(doc).stats.set(key, count);
				})
				.catch(() => {
					published = null; // retried after the next stored change
				});
		}
	};
}
