/**
 * The policy's rules for the meeting-night flow (phases, proxies, clusters,
 * placements, votes, actions, offers, counters), judged on real replica
 * updates; private desks are in policy.desk.test.ts. As in policy.test.ts, every forbidden change has an allowed
 * twin, so that a policy refusing everything fails.
 */
import * as Y from 'yjs';
import { describe, expect, test } from 'vitest';
import { createCluster, deleteCluster, moveIdea, renameCluster } from './clustering.js';
import { addIdea, deleteIdea, setMeta } from './commands.js';
import { boardMaps } from './doc.js';
import { setPhase } from './facilitation.js';
import { inspectUpdate } from './inspect.js';
import { createAction, deleteAction, offerHelp, updateAction } from './planning.js';
import { checkUpdate, type Actor } from './policy.js';
import { offerKey } from './records.js';
import type { Settings } from './schema.js';
import { ALICE, BOB, FIONA, MALLORY, authorOf, capture, replicaOf } from './test/fixtures.js';
import {
	ACTION,
	ACTIONS,
	BOBS_OFFER,
	CLUSTER,
	CLUSTERING,
	IDEATE,
	VOTING,
	session,
	type Change
} from './test/flowSession.js';
import { clearVotes, vote } from './voting.js';

type Case = [settings: Partial<Settings>, actor: Actor, change: Change];

function verdictOf([settings, actor, change]: Case) {
	const server = session(settings);
	const replica = replicaOf(server);
	const update = capture(replica, () => change(replica));
	expect(update.length, 'the change produced no update').toBeGreaterThan(2);
	return checkUpdate(server, actor, inspectUpdate(server, update));
}

const maps = boardMaps;

interface Rule {
	rule: string;
	forbidden: [...Case, RegExp];
	allowed: Case;
}

const RULES: Rule[] = [
	// Ideas and phases
	{
		rule: 'participants post ideas while ideating',
		forbidden: [VOTING, ALICE, (d) => addIdea(d, authorOf(ALICE), 'Late', 9), /phase/],
		allowed: [IDEATE, ALICE, (d) => addIdea(d, authorOf(ALICE), 'In time', 9)]
	},
	{
		rule: 'late ideas when the facilitator allows them',
		forbidden: [CLUSTERING, ALICE, (d) => addIdea(d, authorOf(ALICE), 'Late', 9), /phase/],
		allowed: [
			{ ...CLUSTERING, lateIdeas: true },
			ALICE,
			(d) => addIdea(d, authorOf(ALICE), 'Late', 9)
		]
	},
	{
		rule: 'a locked board takes no ideas from participants',
		forbidden: [
			{ ...IDEATE, locked: true },
			ALICE,
			(d) => addIdea(d, authorOf(ALICE), 'x', 9),
			/phase/
		],
		allowed: [{ ...IDEATE, locked: true }, FIONA, (d) => addIdea(d, authorOf(FIONA), 'x', 9)]
	},
	{
		rule: 'participants delete their ideas only while posting is open',
		forbidden: [VOTING, ALICE, (d) => deleteIdea(d, 'ideaA'), /phase/],
		allowed: [IDEATE, ALICE, (d) => deleteIdea(d, 'ideaA')]
	},
	{
		rule: 'the facilitator posts in any phase',
		forbidden: [{ phase: 'results' }, ALICE, (d) => addIdea(d, authorOf(ALICE), 'x', 9), /phase/],
		allowed: [{ phase: 'results' }, FIONA, (d) => addIdea(d, authorOf(FIONA), 'x', 9)]
	},
	// Proxies
	{
		rule: 'the facilitator posts for a proxy participant, not for others',
		forbidden: [IDEATE, FIONA, (d) => addIdea(d, authorOf(ALICE), 'For Alice', 9), /own name/],
		allowed: [
			IDEATE,
			FIONA,
			(d) => addIdea(d, { participantId: 'pekka', industry: 'Fishing' }, 'x', 9)
		]
	},
	{
		rule: 'a proxy’s idea carries the proxy’s industry',
		forbidden: [
			IDEATE,
			FIONA,
			(d) => addIdea(d, { participantId: 'pekka', industry: 'Coaching' }, 'x', 9),
			/industry/
		],
		allowed: [
			IDEATE,
			FIONA,
			(d) => addIdea(d, { participantId: 'pekka', industry: 'Fishing' }, 'x', 9)
		]
	},
	// Clusters and placements
	{
		rule: 'participants cluster in the cluster phase',
		forbidden: [IDEATE, ALICE, (d) => createCluster(d, 'alice', ['ideaA'], 'Mine', 9), /not open/],
		allowed: [CLUSTERING, ALICE, (d) => createCluster(d, 'alice', ['ideaA'], 'Mine', 9)]
	},
	{
		rule: 'clusters are created in your own name',
		forbidden: [CLUSTERING, ALICE, (d) => createCluster(d, 'bob', [], 'Bob’s?', 9), /own name/],
		allowed: [CLUSTERING, ALICE, (d) => createCluster(d, 'alice', [], 'Mine', 9)]
	},
	{
		rule: 'anyone renames a cluster, but its creator cannot change',
		forbidden: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).clusters.set(CLUSTER.id, { ...CLUSTER, createdBy: 'alice' }),
			/cannot change/
		],
		allowed: [CLUSTERING, ALICE, (d) => renameCluster(d, CLUSTER.id, 'Vans')]
	},
	{
		rule: 'a cluster must match its schema',
		forbidden: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).clusters.set(CLUSTER.id, { ...CLUSTER, color: 'neon' as never }),
			/Invalid cluster/
		],
		allowed: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).clusters.set(CLUSTER.id, { ...CLUSTER, color: 'berry' })
		]
	},
	{
		rule: 'dissolving a cluster needs the cluster phase',
		forbidden: [VOTING, ALICE, (d) => deleteCluster(d, CLUSTER.id), /not open/],
		allowed: [CLUSTERING, ALICE, (d) => deleteCluster(d, CLUSTER.id)]
	},
	{
		rule: 'moving ideas needs the cluster phase',
		forbidden: [IDEATE, ALICE, (d) => moveIdea(d, 'ideaA', CLUSTER.id), /not open/],
		allowed: [CLUSTERING, ALICE, (d) => moveIdea(d, 'ideaA', CLUSTER.id)]
	},
	{
		rule: 'a placement must match its schema',
		forbidden: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).placements.set('ideaA', { clusterId: CLUSTER.id, order: 'not valid!' }),
			/Invalid placement/
		],
		allowed: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).placements.set('ideaA', { clusterId: CLUSTER.id, order: 'Zz' })
		]
	},
	{
		rule: 'placements are keyed by idea id',
		forbidden: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).placements.set('not an id!', { clusterId: CLUSTER.id, order: 'a1' }),
			/placement key/
		],
		allowed: [
			CLUSTERING,
			ALICE,
			(d) => maps(d).placements.set('ideaA', { clusterId: CLUSTER.id, order: 'a1' })
		]
	},
	// Votes
	{
		rule: 'you vote with your own dots',
		forbidden: [VOTING, ALICE, (d) => maps(d).votes.set('bob', { ideaA: 1 }), /own dots/],
		allowed: [VOTING, ALICE, (d) => vote(d, 'alice', 'ideaB', 1)]
	},
	{
		rule: 'voting needs the vote phase',
		forbidden: [CLUSTERING, ALICE, (d) => vote(d, 'alice', 'ideaB', 1), /not open/],
		allowed: [VOTING, ALICE, (d) => vote(d, 'alice', 'ideaB', 1)]
	},
	{
		rule: 'the vote budget holds',
		forbidden: [
			VOTING,
			ALICE,
			(d) => maps(d).votes.set('alice', { ideaA: 3, ideaB: 3 }),
			/No dots left/
		],
		allowed: [VOTING, ALICE, (d) => maps(d).votes.set('alice', { ideaA: 3, ideaB: 2 })]
	},
	{
		rule: 'at most maxVotesPerIdea dots on one idea',
		forbidden: [VOTING, ALICE, (d) => maps(d).votes.set('alice', { ideaA: 4 }), /At most 3/],
		allowed: [VOTING, ALICE, (d) => maps(d).votes.set('alice', { ideaA: 3 })]
	},
	{
		rule: 'dots go on existing ideas',
		forbidden: [VOTING, ALICE, (d) => maps(d).votes.set('alice', { ghost: 1 }), /existing ideas/],
		allowed: [VOTING, ALICE, (d) => maps(d).votes.set('alice', { ideaB: 1 })]
	},
	{
		rule: 'taking dots back is allowed even above a budget lowered meanwhile',
		forbidden: [
			{ ...VOTING, voteBudget: 1 },
			BOB,
			(d) => maps(d).votes.set('bob', { ideaB: 2, ideaA: 1 }),
			/No dots left/
		],
		allowed: [{ ...VOTING, voteBudget: 1 }, BOB, (d) => maps(d).votes.set('bob', { ideaB: 1 })]
	},
	{
		rule: 'you take back only your own dots',
		forbidden: [VOTING, ALICE, (d) => maps(d).votes.delete('bob'), /own dots/],
		allowed: [VOTING, ALICE, (d) => clearVotes(d, 'alice')]
	},
	{
		rule: 'the facilitator votes for a proxy, not for others',
		forbidden: [VOTING, FIONA, (d) => vote(d, 'alice', 'ideaB', 1), /own dots/],
		allowed: [VOTING, FIONA, (d) => vote(d, 'pekka', 'ideaB', 1)]
	},
	// Actions and offers
	{
		rule: 'participants plan actions in the actions phase',
		forbidden: [VOTING, ALICE, (d) => createAction(d, 'alice', { text: 'Call' }, 9), /not open/],
		allowed: [ACTIONS, ALICE, (d) => createAction(d, 'alice', { text: 'Call' }, 9)]
	},
	{
		rule: 'actions are created in your own name',
		forbidden: [ACTIONS, ALICE, (d) => createAction(d, 'bob', { text: 'Call' }, 9), /own name/],
		allowed: [ACTIONS, ALICE, (d) => createAction(d, 'alice', { text: 'Call' }, 9)]
	},
	{
		rule: 'an action is changed by its creator, its owners or the facilitator',
		forbidden: [
			ACTIONS,
			MALLORY,
			(d) => updateAction(d, ACTION.id, { status: 'done' }),
			/Only its/
		],
		allowed: [ACTIONS, ALICE, (d) => updateAction(d, ACTION.id, { status: 'done' })]
	},
	{
		rule: 'an action’s creator cannot change',
		forbidden: [
			ACTIONS,
			ALICE,
			(d) => maps(d).actions.set(ACTION.id, { ...ACTION, createdBy: 'alice' }),
			/cannot change/
		],
		allowed: [ACTIONS, ALICE, (d) => updateAction(d, ACTION.id, { text: 'Try the electric van' })]
	},
	{
		rule: 'an action must match its schema',
		forbidden: [
			ACTIONS,
			BOB,
			(d) => maps(d).actions.set(ACTION.id, { ...ACTION, due: 'next week' }),
			/Invalid action/
		],
		allowed: [ACTIONS, BOB, (d) => maps(d).actions.set(ACTION.id, { ...ACTION, due: '2026-04-01' })]
	},
	{
		rule: 'an action is deleted by its creator or the facilitator, not by an owner',
		forbidden: [ACTIONS, ALICE, (d) => deleteAction(d, ACTION.id), /creator or the facilitator/],
		allowed: [ACTIONS, BOB, (d) => deleteAction(d, ACTION.id)]
	},
	{
		rule: 'you offer only your own help',
		forbidden: [
			ACTIONS,
			ALICE,
			(d) =>
				maps(d).offers.set(offerKey(ACTION.id, 'mallory'), {
					actionId: ACTION.id,
					participantId: 'mallory',
					at: 9
				}),
			/own help/
		],
		allowed: [ACTIONS, ALICE, (d) => offerHelp(d, ACTION.id, 'alice', true, 9)]
	},
	{
		rule: 'offers need the actions phase',
		forbidden: [VOTING, ALICE, (d) => offerHelp(d, ACTION.id, 'alice', true, 9), /not open/],
		allowed: [ACTIONS, ALICE, (d) => offerHelp(d, ACTION.id, 'alice', true, 9)]
	},
	{
		rule: 'an offer must match its key',
		forbidden: [
			ACTIONS,
			ALICE,
			(d) =>
				maps(d).offers.set(offerKey(ACTION.id, 'alice'), {
					actionId: 'otherAction',
					participantId: 'alice',
					at: 9
				}),
			/Invalid offer/
		],
		allowed: [
			ACTIONS,
			ALICE,
			(d) =>
				maps(d).offers.set(offerKey(ACTION.id, 'alice'), {
					actionId: ACTION.id,
					participantId: 'alice',
					at: 9
				})
		]
	},
	{
		rule: 'an offer is withdrawn by its giver or the facilitator',
		forbidden: [ACTIONS, ALICE, (d) => maps(d).offers.delete(BOBS_OFFER), /own offer/],
		allowed: [ACTIONS, BOB, (d) => offerHelp(d, ACTION.id, 'bob', false)]
	},
	// Settings and counters
	{
		rule: 'the phase is the facilitator’s',
		forbidden: [IDEATE, ALICE, (d) => setPhase(d, 'vote'), /facilitator/],
		allowed: [IDEATE, FIONA, (d) => setPhase(d, 'vote')]
	},
	{
		rule: 'settings must match their schema',
		forbidden: [IDEATE, FIONA, (d) => maps(d).meta.set('phase', 'party'), /Invalid value/],
		allowed: [IDEATE, FIONA, (d) => setMeta(d, 'voteBudget', 7)]
	},
	{
		rule: 'counters are the server’s',
		forbidden: [IDEATE, FIONA, (d) => maps(d).stats.set('private.alice', 0), /server/],
		allowed: [IDEATE, FIONA, (d) => setMeta(d, 'locked', true)]
	}
];

describe.each(RULES)('$rule', ({ forbidden, allowed }) => {
	test('forbidden', () => {
		const [settings, actor, change, reason] = forbidden;
		const verdict = verdictOf([settings, actor, change]);
		expect(verdict.ok).toBe(false);
		expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
	});

	test('allowed', () => {
		expect(verdictOf(allowed)).toEqual({ ok: true });
	});
});

describe('honest changes that raced another one (known limits)', () => {
	test('a dot on an idea the facilitator deleted meanwhile is refused', () => {
		const server = session(VOTING);
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		const dot = capture(alice, () => vote(alice, 'alice', 'ideaB', 1));
		expect(checkUpdate(server, ALICE, inspectUpdate(server, dot))).toEqual({ ok: true });
		const deletion = capture(fiona, () => deleteIdea(fiona, 'ideaB'));
		Y.applyUpdate(server, deletion);
		expect(checkUpdate(server, ALICE, inspectUpdate(server, dot))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/existing ideas/)
		});
	});

	test('ideas written offline are refused once the facilitator has moved on', () => {
		const server = session(IDEATE);
		const alice = replicaOf(server);
		const fiona = replicaOf(server);
		const offline = capture(alice, () => addIdea(alice, authorOf(ALICE), 'Written on the bus', 9));
		expect(checkUpdate(server, ALICE, inspectUpdate(server, offline))).toEqual({ ok: true });
		Y.applyUpdate(
			server,
			capture(fiona, () => setPhase(fiona, 'cluster'))
		);
		expect(checkUpdate(server, ALICE, inspectUpdate(server, offline)).ok).toBe(false);
	});
});
