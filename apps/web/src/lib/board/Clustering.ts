/**
 * Themes (clusters): the layout of ideas in themes, and the moves people
 * make. Every move is one board command, written on drop — never while the
 * pointer moves — so a drag costs one small update.
 */
import {
	boardLayout,
	boardMaps,
	canCluster,
	createCluster,
	deleteCluster,
	getSettings,
	groupIdeas,
	moveIdea,
	renameCluster,
	type Layout
} from '@kipina/board';
import type * as Y from 'yjs';
import type { DropCommand } from '$lib/flow/dragdrop';
import type { FlowHost } from './host';
import { DRAGGING_FIELD, draggersByIdea, type Dragger } from './presence';

/** Idea id → theme id, for ideas in a theme that still exists. */
function placementsOf(doc: Y.Doc): ReadonlyMap<string, string> {
	const { placements, clusters } = boardMaps(doc);
	const out = new Map<string, string>();
	for (const [ideaId, p] of placements.entries()) {
		if (clusters.has(p.clusterId)) out.set(ideaId, p.clusterId);
	}
	return out;
}

export class Clustering {
	readonly #host: FlowHost;
	readonly #draggers = (states: Iterable<unknown>) => draggersByIdea(states, this.#host.me.id);

	constructor(host: FlowHost) {
		this.#host = host;
	}

	/** Whether this device may make and change themes now. */
	get allowed(): boolean {
		return !this.#host.isClosed && canCluster(this.#host.actor, this.#host.view(getSettings));
	}

	get layout(): Layout {
		return this.#host.view(boardLayout);
	}

	/** The theme an idea is in, or `null`. */
	clusterOf(ideaId: string): string | null {
		return this.#host.view(placementsOf).get(ideaId) ?? null;
	}

	/** Who else is dragging which idea right now. */
	get draggers(): Map<string, Dragger[]> {
		return this.#host.presence(this.#draggers);
	}

	/** Tells the others what this device is dragging (`null` when it lets go). */
	setDragging(ideaId: string | null): void {
		this.#host.setPresence(DRAGGING_FIELD, ideaId);
	}

	/** Carries out a drop; returns the theme the idea ended in (`null`: none). */
	apply(command: DropCommand): string | null {
		switch (command.kind) {
			case 'group':
				return this.#host.run((doc) =>
					groupIdeas(doc, this.#host.me.id, command.ideaId, command.targetId)
				);
			case 'move':
				this.#host.run((doc) => moveIdea(doc, command.ideaId, command.clusterId));
				return command.clusterId;
			case 'new':
				return this.#host.run((doc) => createCluster(doc, this.#host.me.id, [command.ideaId]));
		}
	}

	rename(clusterId: string, title: string): void {
		this.#host.run((doc) => renameCluster(doc, clusterId, title));
	}

	/** Dissolves a theme; its ideas become ungrouped. */
	dissolve(clusterId: string): void {
		this.#host.run((doc) => deleteCluster(doc, clusterId));
	}
}
