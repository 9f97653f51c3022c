/**
 * Where a dragged idea lands, and what that means for the board. Pure, so
 * the rules are unit-tested without a browser: the pointer code only finds
 * the element under the finger and asks `resolveDrop` what to do.
 */

/** Something an idea can be dropped on. */
export type DropTarget =
	| { kind: 'idea'; ideaId: string }
	| { kind: 'cluster'; clusterId: string }
	/** The "not grouped" area. */
	| { kind: 'loose' }
	/** The "drop here for a new theme" area. */
	| { kind: 'new' };

/** A choice in the "Move" menu: a theme id, `null` for no theme, `'new'` for a new theme. */
export type MoveChoice = string | null | 'new';

/** The drop a menu choice stands for. */
export function choiceTarget(choice: MoveChoice): DropTarget {
	if (choice === 'new') return { kind: 'new' };
	if (choice === null) return { kind: 'loose' };
	return { kind: 'cluster', clusterId: choice };
}

/** The board command a drop stands for; `null` when the drop changes nothing. */
export type DropCommand =
	| { kind: 'group'; ideaId: string; targetId: string }
	| { kind: 'move'; ideaId: string; clusterId: string | null }
	| { kind: 'new'; ideaId: string };

/**
 * @param clusterOf the cluster an idea sits in now (`null`: not grouped).
 */
export function resolveDrop(
	ideaId: string,
	target: DropTarget | null,
	clusterOf: (ideaId: string) => string | null
): DropCommand | null {
	if (!target) return null;
	const current = clusterOf(ideaId);
	switch (target.kind) {
		case 'idea': {
			if (target.ideaId === ideaId) return null;
			const targetCluster = clusterOf(target.ideaId);
			// Already together: nothing to do (order within a theme is not meaningful here).
			if (targetCluster !== null && targetCluster === current) return null;
			return { kind: 'group', ideaId, targetId: target.ideaId };
		}
		case 'cluster':
			return target.clusterId === current
				? null
				: { kind: 'move', ideaId, clusterId: target.clusterId };
		case 'loose':
			return current === null ? null : { kind: 'move', ideaId, clusterId: null };
		case 'new':
			return { kind: 'new', ideaId };
	}
}

/** The attributes drop zones carry (`data-drop`, `data-drop-id`). */
export interface DropData {
	drop?: string;
	dropId?: string;
}

/** Reads a drop target from an element's dataset; `null` for anything else. */
export function parseDropTarget(data: DropData | undefined): DropTarget | null {
	if (!data?.drop) return null;
	switch (data.drop) {
		case 'idea':
			return data.dropId ? { kind: 'idea', ideaId: data.dropId } : null;
		case 'cluster':
			return data.dropId ? { kind: 'cluster', clusterId: data.dropId } : null;
		case 'loose':
			return { kind: 'loose' };
		case 'new':
			return { kind: 'new' };
		default:
			return null;
	}
}

export function sameTarget(a: DropTarget | null, b: DropTarget | null): boolean {
	if (a === null || b === null) return a === b;
	if (a.kind !== b.kind) return false;
	if (a.kind === 'idea') return a.ideaId === (b as typeof a).ideaId;
	if (a.kind === 'cluster') return a.clusterId === (b as typeof a).clusterId;
	return true;
}

/** Movement (px) after which a pressed mouse button becomes a drag rather than a click. */
export const MOUSE_DRAG_THRESHOLD = 6;
/** Finger movement (px) that means "scrolling", which cancels a pending long press. */
export const TOUCH_SLOP = 10;
/** How long a finger rests on a card before it lifts for dragging. */
export const LONG_PRESS_MS = 420;

/**
 * Speed (px per frame) to scroll the page while dragging near its top or
 * bottom edge: zero outside the edge band, faster the closer to the edge.
 */
export function edgeScrollSpeed(y: number, viewportHeight: number, band = 64, max = 18): number {
	if (viewportHeight <= 0) return 0;
	if (y < band) return -Math.ceil(max * (1 - Math.max(0, y) / band));
	const fromBottom = viewportHeight - y;
	if (fromBottom < band) return Math.ceil(max * (1 - Math.max(0, fromBottom) / band));
	return 0;
}
