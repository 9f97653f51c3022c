/**
 * A session with one record of each kind already in it, for the policy's
 * flow tests (policy.flow.test.ts, policy.desk.test.ts).
 */
import type * as Y from 'yjs';
import { boardMaps } from '../doc.js';
import type { Actor } from '../policy.js';
import { offerKey, type Action, type Cluster } from '../records.js';
import type { Idea, Participant, Settings } from '../schema.js';
import { ALICE, BOB, SERVER_ORIGIN, createServer } from './fixtures.js';

/** Someone without a device; the facilitator acts for them. */
export const PEKKA: Participant = {
	id: 'pekka',
	name: 'Pekka',
	industry: 'Fishing',
	role: 'participant',
	joinedAt: 1,
	proxy: true
};

export const idea = (id: string, actor: Actor): Idea => ({
	id,
	text: `${actor.participantId}’s idea`,
	authorId: actor.participantId,
	industry: actor.industry,
	createdAt: 5
});
export const CLUSTER: Cluster = {
	id: 'clusterB',
	title: 'Bob’s group',
	order: 'a0',
	color: 'sea',
	createdBy: 'bob',
	createdAt: 6
};
/** Bob's action, taken on by Alice. */
export const ACTION: Action = {
	id: 'actionB',
	text: 'Try the van',
	source: null,
	ownerIds: ['alice'],
	due: null,
	status: 'open',
	createdBy: 'bob',
	createdAt: 7
};
export const BOBS_OFFER = offerKey('actionB', 'bob');

/** A session in the given settings, with a record of each kind already in it. */
export function session(settings: Partial<Settings>): Y.Doc {
	const server = createServer();
	const maps = boardMaps(server);
	server.transact(() => {
		maps.participants.set(PEKKA.id, PEKKA);
		maps.ideas.set('ideaA', idea('ideaA', ALICE));
		maps.ideas.set('ideaB', idea('ideaB', BOB));
		maps.clusters.set(CLUSTER.id, CLUSTER);
		maps.placements.set('ideaB', { clusterId: CLUSTER.id, order: 'a0' });
		maps.votes.set('alice', { ideaA: 1 });
		maps.votes.set('bob', { ideaB: 2 });
		maps.actions.set(ACTION.id, ACTION);
		maps.offers.set(BOBS_OFFER, { actionId: 'actionB', participantId: 'bob', at: 8 });
		for (const [key, value] of Object.entries(settings)) maps.meta.set(key, value);
	}, SERVER_ORIGIN);
	return server;
}

export type Change = (doc: Y.Doc) => void;

export const IDEATE = { phase: 'ideate' } as const;
export const CLUSTERING = { phase: 'cluster' } as const;
export const VOTING = { phase: 'vote', voteBudget: 5, maxVotesPerIdea: 3 } as const;
export const ACTIONS = { phase: 'actions' } as const;
