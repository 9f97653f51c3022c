/**
 * Server-side operations on sessions: starting an evening and joining it.
 * Document edits go through the room pipeline (`Room.serverEdit`), so they
 * are stored and broadcast exactly like participants' updates.
 */
import {
	SCHEMA_VERSION,
	boardMaps,
	createBoardDoc,
	randomId,
	type Participant,
	type Role
} from '@kipina/board';
import * as Y from 'yjs';
import { hashToken, newToken } from './identity.js';
import type { ParticipantRecord, SessionRecord, Storage } from './storage/Storage.js';
import type { RoomManager } from './sync/RoomManager.js';
import { SERVER_PARTICIPANT } from './sync/Room.js';

export interface Profile {
	name: string;
	industry: string;
}

export interface Joined {
	participant: ParticipantRecord;
	token: string;
}

function toDocParticipant(p: ParticipantRecord): Participant {
	return { id: p.id, name: p.name, industry: p.industry, role: p.role, joinedAt: p.joinedAt };
}

function newParticipant(sessionId: string, profile: Profile, role: Role): ParticipantRecord {
	return {
		id: randomId(12),
		sessionId,
		name: profile.name,
		industry: profile.industry,
		role,
		joinedAt: Date.now()
	};
}

export class Sessions {
	constructor(
		private readonly storage: Storage,
		private readonly rooms: RoomManager
	) {}

	/** Starts an evening; its creator becomes the facilitator. */
	async create(title: string, facilitator: Profile): Promise<Joined & { session: SessionRecord }> {
		const session: SessionRecord = { id: randomId(10), title, createdAt: Date.now() };
		const participant = newParticipant(session.id, facilitator, 'facilitator');
		const token = newToken();

		// The document's first state is written once, here, and stored as the
		// first log entry: a room is never seeded again when it is loaded.
		const doc = createBoardDoc();
		doc.transact(() => {
			const { meta, participants } = boardMaps(doc);
			meta.set('schemaVersion', SCHEMA_VERSION);
			meta.set('title', title);
			meta.set('createdAt', session.createdAt);
			participants.set(participant.id, toDocParticipant(participant));
		});
		const initial = Y.encodeStateAsUpdate(doc);
		await this.storage.createSession(
			session,
			participant,
			hashToken(token),
			{ data: initial, participantId: SERVER_PARTICIPANT },
			doc.clientID
		);
		doc.destroy();
		return { session, participant, token };
	}

	/** Adds a participant; undefined when the session does not exist. */
	async join(sessionId: string, profile: Profile): Promise<Joined | undefined> {
		if (!(await this.storage.getSession(sessionId))) return undefined;
		const participant = newParticipant(sessionId, profile, 'participant');
		const token = newToken();
		await this.storage.addParticipant(participant, hashToken(token));
		const room = await this.rooms.acquire(sessionId);
		try {
			await room.serverEdit('join', (doc) =>
				boardMaps(doc).participants.set(participant.id, toDocParticipant(participant))
			);
		} finally {
			this.rooms.release(room);
		}
		return { participant, token };
	}
}
