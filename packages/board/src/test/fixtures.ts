/**
 * A small cast and a server for tests: a session document seeded the way the
 * server seeds it, replicas joined to it, and helpers that capture the exact
 * update a replica would send and run it through the server's gate.
 */
import * as Y from 'yjs';
import type { Author } from '../commands.js';
import { boardMaps, createBoardDoc } from '../doc.js';
import { UpdateRefusal, inspectUpdate } from '../inspect.js';
import { checkUpdate, type Actor } from '../policy.js';
import { SCHEMA_VERSION, type Participant } from '../schema.js';

export const FIONA: Actor = { participantId: 'fiona', role: 'facilitator', industry: 'Coaching' };
export const ALICE: Actor = { participantId: 'alice', role: 'participant', industry: 'Bakery' };
export const BOB: Actor = {
	participantId: 'bob',
	role: 'participant',
	industry: 'Reindeer safaris'
};
/** A participant who hand-crafts updates to do what the policy forbids. */
export const MALLORY: Actor = {
	participantId: 'mallory',
	role: 'participant',
	industry: 'Web design'
};
export const CAST = [FIONA, ALICE, BOB, MALLORY] as const;

export const SERVER_ORIGIN = { source: 'server', reason: 'test' } as const;
export const SESSION_CREATED_AT = 1_700_000_000_000;

export function authorOf(actor: Actor): Author {
	return { participantId: actor.participantId, industry: actor.industry };
}

export function participantOf(actor: Actor, joinedAt = SESSION_CREATED_AT): Participant {
	return {
		id: actor.participantId,
		name: actor.participantId[0]!.toUpperCase() + actor.participantId.slice(1),
		industry: actor.industry,
		role: actor.role,
		joinedAt
	};
}

/**
 * The server's document as the server creates it: meta and the cast's
 * profiles. A fixed `clientID` makes randomised runs replayable.
 */
export function createServer(options?: { gc?: boolean; clientID?: number }): Y.Doc {
	const doc = createBoardDoc(options);
	if (options?.clientID !== undefined) doc.clientID = options.clientID;
	const { meta, participants } = boardMaps(doc);
	doc.transact(() => {
		meta.set('schemaVersion', SCHEMA_VERSION);
		meta.set('createdAt', SESSION_CREATED_AT);
		meta.set('title', 'Core group, March');
		for (const actor of CAST) participants.set(actor.participantId, participantOf(actor));
	}, SERVER_ORIGIN);
	return doc;
}

/** A replica that has caught up with `source`. */
export function replicaOf(source: Y.Doc, options?: { gc?: boolean }): Y.Doc {
	const doc = createBoardDoc(options);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
	return doc;
}

/** Runs `change` on `doc` and returns everything it emitted, as one update. */
export function capture(doc: Y.Doc, change: () => void): Uint8Array {
	const updates: Uint8Array[] = [];
	const onUpdate = (update: Uint8Array) => updates.push(update);
	doc.on('update', onUpdate);
	try {
		change();
	} finally {
		doc.off('update', onUpdate);
	}
	return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

/** What a replica would send on reconnecting: all it has that `server` lacks. */
export function syncStep2(replica: Y.Doc, server: Y.Doc): Uint8Array {
	return Y.encodeStateAsUpdate(replica, Y.encodeStateVector(server));
}

/** The server's decision: 'ok', a refusal code, or 'policy' (with the reason). */
export type Judgement = 'ok' | 'malformed' | 'gap' | 'shape' | 'policy';

export function judge(server: Y.Doc, actor: Actor, update: Uint8Array): Judgement {
	try {
		const verdict = checkUpdate(server, actor, inspectUpdate(server, update));
		return verdict.ok ? 'ok' : 'policy';
	} catch (error) {
		if (error instanceof UpdateRefusal) return error.code;
		throw error;
	}
}

/** Judges `update` and applies it when allowed, like the server does. */
export function submit(server: Y.Doc, actor: Actor, update: Uint8Array): Judgement {
	const judgement = judge(server, actor, update);
	if (judgement === 'ok') Y.applyUpdate(server, update, actor);
	return judgement;
}
