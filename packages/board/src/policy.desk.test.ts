/**
 * The policy's rules for private desks (a participant's own document of
 * ideas not yet posted), judged on real replica updates. Every refusal has
 * an allowed twin, so that a policy refusing everything fails.
 */
import { describe, expect, test } from 'vitest';
import { createDeskDoc, deskMaps } from './doc.js';
import { inspectUpdate } from './inspect.js';
import { checkDeskUpdate, type Actor } from './policy.js';
import type { Participant, Settings } from './schema.js';
import { ALICE, BOB, FIONA, capture } from './test/fixtures.js';
import { IDEATE, PEKKA, VOTING, session, type Change } from './test/flowSession.js';

describe('private desks', () => {
	/** Judges a change to `owner`'s desk made by `actor`. */
	function deskVerdict(settings: Partial<Settings>, actor: Actor, owner: string, change: Change) {
		const server = session(settings);
		const serverDesk = createDeskDoc();
		const desk = createDeskDoc();
		const update = capture(desk, () => change(desk));
		return checkDeskUpdate(serverDesk, server, actor, owner, inspectUpdate(serverDesk, update));
	}
	const privateIdea = (author: Actor | Participant, key = 'p1'): Change => {
		const authorId = 'participantId' in author ? author.participantId : author.id;
		return (desk) =>
			deskMaps(desk).ideas.set(key, {
				id: key,
				text: 'Secret',
				authorId,
				industry: author.industry,
				createdAt: 9
			});
	};
	const pekkaActor: Actor = { participantId: 'pekka', role: 'participant', industry: 'Fishing' };

	test.each<[string, Partial<Settings>, Actor, string, Change, RegExp | null]>([
		['the owner writes their desk', IDEATE, ALICE, 'alice', privateIdea(ALICE), null],
		['nobody else does', IDEATE, BOB, 'alice', privateIdea(BOB), /someone else/],
		['not even the facilitator', IDEATE, FIONA, 'alice', privateIdea(ALICE), /someone else/],
		['the facilitator writes a proxy’s desk', IDEATE, FIONA, 'pekka', privateIdea(PEKKA), null],
		[
			'private ideas belong to the desk’s owner',
			IDEATE,
			FIONA,
			'pekka',
			privateIdea(FIONA),
			/belong to their author/
		],
		['posting must be open', VOTING, ALICE, 'alice', privateIdea(ALICE), /phase/],
		[
			'desk ideas follow the idea schema',
			IDEATE,
			ALICE,
			'alice',
			privateIdea(ALICE, 'x y'),
			/own id|schema/
		],
		[
			'a proxy with a device writes their own desk too',
			IDEATE,
			pekkaActor,
			'pekka',
			privateIdea(PEKKA),
			null
		]
	])('%s', (_name, settings, actor, owner, change, refusal) => {
		const verdict = deskVerdict(settings, actor, owner, change);
		if (refusal === null) expect(verdict).toEqual({ ok: true });
		else expect(verdict.ok ? '' : verdict.reason).toMatch(refusal);
	});
});
