/**
 * Server-side operations on sessions: starting an evening and joining it.
 * Document edits go through the room pipeline (`Room.serverEdit`), so they
 * are stored and broadcast exactly like participants' updates.
 */
import {
	SCHEMA_VERSION,
	boardMaps,
	createBoardDoc,
	deskMaps,
	randomId,
	type Participant,
	type Role
} from '@kipina/board';
import crypto from 'node:crypto';
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

export function toDocParticipant(p: ParticipantRecord): Participant {
	return {
		id: p.id,
		name: p.name,
		industry: p.industry,
		role: p.role,
		joinedAt: p.joinedAt,
		...(p.proxy ? { proxy: true } : {})
	};
}

export function newParticipant(
	sessionId: string,
	profile: Profile,
	role: Role,
	proxy = false
): ParticipantRecord {
	return {
		id: randomId(12),
		sessionId,
		name: profile.name,
		industry: profile.industry,
		role,
		joinedAt: Date.now(),
		proxy
	};
}

/** Join codes avoid look-alike characters (no I, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

function newJoinCode(): string {
	const bytes = crypto.randomBytes(JOIN_CODE_LENGTH);
	return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

/** Normalises what a person typed (`k7p-2qx ` → `K7P2QX`). */
export function normalizeJoinCode(input: string): string {
	return input.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export interface CreateOptions {
	/** The session's id, when the caller registered it first (a group session). */
	id?: string;
	/** Writes more of the first state (carried-over or imported records) in the same transaction. */
	seed?: (doc: Y.Doc, facilitator: ParticipantRecord) => void;
}

export class Sessions {
	constructor(
		private readonly storage: Storage,
		private readonly rooms: RoomManager
	) {}

	/** Starts an evening; its creator becomes the facilitator. */
	async create(
		title: string,
		facilitator: Profile,
		options: CreateOptions = {}
	): Promise<Joined & { session: SessionRecord }> {
		let code = newJoinCode();
		while (await this.storage.getSessionByCode(code)) code = newJoinCode();
		const session: SessionRecord = {
			id: options.id ?? randomId(10),
			title,
			code,
			createdAt: Date.now()
		};
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
			options.seed?.(doc, participant);
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

	/**
	 * Adds a participant (or, with `proxy`, a person without a device whom the
	 * facilitator acts for); undefined when the session does not exist.
	 */
	async join(sessionId: string, profile: Profile, proxy = false): Promise<Joined | undefined> {
		if (!(await this.storage.getSession(sessionId))) return undefined;
		const participant = newParticipant(sessionId, profile, 'participant', proxy);
		const token = newToken();
		await this.storage.addParticipant(participant, hashToken(token));
		const room = await this.rooms.acquire(sessionId);
		try {
			await room.serverEdit(proxy ? 'proxy' : 'join', (doc) =>
				boardMaps(doc).participants.set(participant.id, toDocParticipant(participant))
			);
		} finally {
			this.rooms.release(room);
		}
		return { participant, token };
	}

	/**
	 * Moves every private idea of the session into the shared board, keeping
	 * its author, industry and time. Idempotent: an idea copied before a crash
	 * but not yet removed from its desk is copied again under the same id.
	 */
	async reveal(sessionId: string): Promise<number> {
		const desks = (await this.storage.listDocuments(sessionId)).filter((id) => id !== sessionId);
		const session = await this.rooms.acquire(sessionId);
		let moved = 0;
		try {
			for (const deskId of desks) {
				const desk = await this.rooms.acquire(deskId);
				try {
					const ideas = [...deskMaps(desk.doc).ideas.values()];
					if (ideas.length === 0) continue;
					await session.serverEdit('reveal', (doc) => {
						const shared = boardMaps(doc).ideas;
						for (const idea of ideas) shared.set(idea.id, idea);
					});
					await desk.serverEdit('reveal', (doc) => {
						const own = deskMaps(doc).ideas;
						for (const idea of ideas) own.delete(idea.id);
					});
					moved += ideas.length;
				} finally {
					this.rooms.release(desk);
				}
			}
		} finally {
			this.rooms.release(session);
		}
		return moved;
	}
}
