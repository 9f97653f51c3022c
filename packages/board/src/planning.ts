/** Actions: next steps with owners, target dates, and offers of help. */
import type * as Y from 'yjs';
import { CommandError } from './commands.js';
import { boardMaps } from './doc.js';
import { randomId } from './ids.js';
import { commandOrigin } from './origins.js';
import { ActionSchema, offerKey, type Action } from './records.js';
import { LIMITS, cleanText } from './schema.js';

export interface ActionDraft {
	text: string;
	source?: Action['source'];
	ownerIds?: string[];
	due?: string | null;
}

function checkText(raw: string): string {
	const text = cleanText(raw);
	if (!text) throw new CommandError('empty', 'An action needs a description.');
	if (text.length > LIMITS.actionText) {
		throw new CommandError(
			'too-long',
			`An action can have at most ${LIMITS.actionText} characters.`
		);
	}
	return text;
}

export function createAction(
	doc: Y.Doc,
	createdBy: string,
	draft: ActionDraft,
	now = Date.now()
): string {
	const action: Action = {
		id: randomId(),
		text: checkText(draft.text),
		source: draft.source ?? null,
		ownerIds: [...new Set(draft.ownerIds ?? [])],
		due: draft.due ?? null,
		status: 'open',
		createdBy,
		createdAt: Math.floor(now)
	};
	if (!ActionSchema.safeParse(action).success) throw new CommandError('invalid', 'Invalid action.');
	doc.transact(() => boardMaps(doc).actions.set(action.id, action), commandOrigin('createAction'));
	return action.id;
}

export function updateAction(
	doc: Y.Doc,
	actionId: string,
	change: Partial<Pick<Action, 'text' | 'ownerIds' | 'due' | 'status'>>
): void {
	const { actions } = boardMaps(doc);
	const current = actions.get(actionId);
	if (!current) throw new CommandError('not-found', 'That action no longer exists.');
	const next: Action = {
		...current,
		...change,
		text: change.text === undefined ? current.text : checkText(change.text),
		ownerIds: change.ownerIds ? [...new Set(change.ownerIds)] : current.ownerIds
	};
	if (!ActionSchema.safeParse(next).success) throw new CommandError('invalid', 'Invalid action.');
	doc.transact(() => actions.set(actionId, next), commandOrigin('updateAction'));
}

export function deleteAction(doc: Y.Doc, actionId: string): void {
	const { actions, offers } = boardMaps(doc);
	doc.transact(() => {
		actions.delete(actionId);
		for (const [key, offer] of [...offers.entries()]) {
			if (offer.actionId === actionId) offers.delete(key);
		}
	}, commandOrigin('deleteAction'));
}

/** "I can help" (or take it back). */
export function offerHelp(
	doc: Y.Doc,
	actionId: string,
	participantId: string,
	helping: boolean,
	now = Date.now()
): void {
	const { actions, offers } = boardMaps(doc);
	if (!actions.has(actionId)) throw new CommandError('not-found', 'That action no longer exists.');
	const key = offerKey(actionId, participantId);
	if (helping === offers.has(key)) return;
	doc.transact(() => {
		if (helping) offers.set(key, { actionId, participantId, at: Math.floor(now) });
		else offers.delete(key);
	}, commandOrigin('offerHelp'));
}

export interface ActionView extends Action {
	helperIds: string[];
}

export function listActions(doc: Y.Doc): ActionView[] {
	const { actions, offers } = boardMaps(doc);
	const helpers = new Map<string, string[]>();
	for (const offer of offers.values()) {
		const list = helpers.get(offer.actionId) ?? [];
		list.push(offer.participantId);
		helpers.set(offer.actionId, list);
	}
	return [...actions.values()]
		.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
		.map((a) => ({ ...a, helperIds: (helpers.get(a.id) ?? []).sort() }));
}
