/**
 * Room policies: a session's board is judged by the board policy; a
 * participant's private desk by the desk policy, against the session's
 * current settings, and every stored desk change refreshes the session's
 * count of private ideas (the only trace of them others may see).
 *
 * A closed session is read-only: every change to its board or to a desk of
 * it is refused with close code 4410 (not 4403: the client did nothing
 * wrong, the evening is over).
 */
import {
	CLOSE,
	boardMaps,
	checkDeskUpdate,
	checkUpdate,
	closedAt,
	deskMaps,
	privateStatKey,
	type Verdict
} from '@kipina/board';
import type * as Y from 'yjs';
import type { Connection } from './Connection.js';
import type { Room, RoomPolicy } from './Room.js';

const CLOSED_REASON = 'This evening is closed; it can no longer be changed.';

/**
 * Refuses any change to a closed session. The connection is closed here with
 * 4410; the room's own refusal (4403) that follows finds it closed already.
 */
function refuseIfClosed(session: Y.Doc, conn: Connection): Verdict | null {
	if (closedAt(session) === null) return null;
	conn.close(CLOSE.sessionClosed, CLOSED_REASON);
	return { ok: false, reason: CLOSED_REASON };
}

export const sessionPolicy: RoomPolicy = {
	check: (room, conn, summary) =>
		refuseIfClosed(room.doc, conn) ?? checkUpdate(room.doc, conn.actor, summary)
};

export function deskPolicy(session: Room, ownerId: string): RoomPolicy {
	let published: number | null = null;
	return {
		check: (room, conn, summary) =>
			refuseIfClosed(session.doc, conn) ??
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
