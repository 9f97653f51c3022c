/**
 * Actions: next steps with owners, a target date, a status, and people who
 * say "I can help".
 */
import {
	boardMaps,
	canPlanActions,
	createAction,
	deleteAction,
	getSettings,
	listActions,
	listParticipants,
	offerHelp,
	updateAction,
	type Action,
	type ActionDraft,
	type ActionView,
	type Participant
} from '@kipina/board';
import type { FlowHost } from './host';

type Change = Parameters<typeof updateAction>[2];

export class Planning {
	readonly #host: FlowHost;

	constructor(host: FlowHost) {
		this.#host = host;
	}

	get allowed(): boolean {
		return !this.#host.isClosed && canPlanActions(this.#host.actor, this.#host.view(getSettings));
	}

	get actions(): ActionView[] {
		return this.#host.view(listActions);
	}

	/** Everyone who joined, in the order they joined: the people who can own an action. */
	get people(): Participant[] {
		return this.#host.view(listParticipants);
	}

	/** What an action grew from, in words: the idea's text or the theme's name (`''`: unnamed). */
	sourceText(source: Action['source']): string | null {
		if (!source) return null;
		return this.#host.view((doc) => {
			const { ideas, clusters } = boardMaps(doc);
			return source.kind === 'idea'
				? (ideas.get(source.id)?.text ?? null)
				: (clusters.get(source.id)?.title ?? null);
		});
	}

	/** The policy's rule: the facilitator, the action's creator and its owners may change it. */
	mayEdit(action: ActionView): boolean {
		const me = this.#host.me.id;
		return (
			this.allowed &&
			(this.#host.isFacilitator || action.createdBy === me || action.ownerIds.includes(me))
		);
	}

	mayDelete(action: ActionView): boolean {
		return this.allowed && (this.#host.isFacilitator || action.createdBy === this.#host.me.id);
	}

	/** Whether the participant this device enters for has offered help. */
	helping(action: ActionView): boolean {
		return action.helperIds.includes(this.#host.actingAs.id);
	}

	create(draft: ActionDraft): string {
		return this.#host.run((doc) => createAction(doc, this.#host.me.id, draft));
	}

	update(actionId: string, change: Change): void {
		this.#host.run((doc) => updateAction(doc, actionId, change));
	}

	remove(actionId: string): void {
		this.#host.run((doc) => deleteAction(doc, actionId));
	}

	offerHelp(actionId: string, helping: boolean): void {
		const id = this.#host.actingAs.id;
		this.#host.run((doc) => offerHelp(doc, actionId, id, helping));
	}
}
