/**
 * Dragging ideas with Pointer Events: mouse, pen and touch, no library.
 *
 * - Mouse and pen: press on a card and move a few pixels.
 * - Touch: press the card's drag handle (it has `touch-action: none`, so the
 *   finger drags at once), or rest a finger on the card for a moment
 *   (long press) — moving before that scrolls the page as usual.
 *
 * While dragging, a ghost follows the pointer and the drop zone under it is
 * found with `elementFromPoint` (`data-drop` attributes, see `dragdrop.ts`).
 * Nothing is written to the board until the drop; Escape cancels.
 */
import { createContext } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { on } from 'svelte/events';
import {
	LONG_PRESS_MS,
	MOUSE_DRAG_THRESHOLD,
	TOUCH_SLOP,
	edgeScrollSpeed,
	parseDropTarget,
	sameTarget,
	type DropTarget
} from './dragdrop';

export interface DragEvents {
	/** Whether dragging is allowed right now (phase, lock). */
	enabled: () => boolean;
	onstart: (ideaId: string) => void;
	/** The idea was let go over `target` (`null`: over nothing). Not called on cancel. */
	ondrop: (ideaId: string, target: DropTarget | null) => void;
	/** Always called when a drag ends: dropped or cancelled. */
	onend: (ideaId: string) => void;
}

export interface ActiveDrag {
	ideaId: string;
	label: string;
	x: number;
	y: number;
	/** Where in the card the pointer grabbed it, so the ghost does not jump. */
	offsetX: number;
	offsetY: number;
	width: number;
}

const INTERACTIVE = 'button, a, input, textarea, select, label, [contenteditable], [data-no-drag]';

export class DragController {
	#active = $state<ActiveDrag | null>(null);
	#target = $state.raw<DropTarget | null>(null);
	readonly #events: DragEvents;
	#cleanup: (() => void) | null = null;
	#scrollFrame = 0;

	constructor(events: DragEvents) {
		this.#events = events;
	}

	get active(): ActiveDrag | null {
		return this.#active;
	}

	/** The drop zone under the pointer now. */
	get target(): DropTarget | null {
		return this.#target;
	}

	isDragging(ideaId: string): boolean {
		return this.#active?.ideaId === ideaId;
	}

	isTarget(target: DropTarget): boolean {
		return this.#active !== null && sameTarget(this.#target, target);
	}

	/** Makes an element draggable as idea `ideaId`; `label` is shown on the ghost. */
	draggable(ideaId: string, label: string): Attachment<HTMLElement> {
		return (node) =>
			on(node, 'pointerdown', (event) => {
				if (!this.#events.enabled() || this.#active || this.#cleanup) return;
				if (event.pointerType === 'mouse' && event.button !== 0) return;
				const element = event.target as Element;
				const handle = element.closest('[data-drag-handle]');
				if (!handle && element.closest(INTERACTIVE)) return;
				this.#press(node, event, ideaId, label, handle !== null);
			});
	}

	/** Ends a drag without dropping (Escape, pointer cancelled, component going away). */
	cancel(): void {
		const active = this.#active;
		this.#finish();
		if (active) this.#events.onend(active.ideaId);
	}

	#press(node: HTMLElement, down: PointerEvent, ideaId: string, label: string, handle: boolean) {
		const touch = down.pointerType === 'touch';
		const startX = down.clientX;
		const startY = down.clientY;
		let started = false;
		let longPress: ReturnType<typeof setTimeout> | undefined;

		const begin = (x: number, y: number) => {
			started = true;
			clearTimeout(longPress);
			const box = node.getBoundingClientRect();
			this.#active = {
				ideaId,
				label,
				x,
				y,
				offsetX: Math.min(Math.max(startX - box.left, 0), box.width),
				offsetY: Math.min(Math.max(startY - box.top, 0), box.height),
				width: box.width
			};
			try {
				node.setPointerCapture(down.pointerId);
			} catch {
				// The pointer may already be gone; the window listeners still see it end.
			}
			this.#retarget(x, y);
			this.#startEdgeScroll();
			this.#events.onstart(ideaId);
		};

		if (touch && handle) begin(startX, startY);
		else if (touch) longPress = setTimeout(() => begin(startX, startY), LONG_PRESS_MS);

		const offs = [
			on(window, 'pointermove', (event) => {
				if (event.pointerId !== down.pointerId) return;
				if (!started) {
					const distance = Math.hypot(event.clientX - startX, event.clientY - startY);
					if (touch) {
						// Moving before the long press means scrolling: let the page have it.
						if (distance > TOUCH_SLOP) this.#finish();
						return;
					}
					if (distance < MOUSE_DRAG_THRESHOLD) return;
					begin(event.clientX, event.clientY);
				}
				event.preventDefault();
				this.#move(event.clientX, event.clientY);
			}),
			on(window, 'pointerup', (event) => {
				if (event.pointerId !== down.pointerId) return;
				if (started) this.#drop(event.clientX, event.clientY);
				else this.#finish();
			}),
			on(window, 'pointercancel', (event) => {
				if (event.pointerId === down.pointerId) this.cancel();
			}),
			on(window, 'keydown', (event) => {
				if (event.key === 'Escape' && started) {
					event.preventDefault();
					this.cancel();
				}
			}),
			// Once lifted, a finger must move the card, not the page.
			on(window, 'touchmove', (event) => started && event.preventDefault(), { passive: false }),
			// A long press must not open the phone's context menu or select text.
			on(node, 'contextmenu', (event) => touch && event.preventDefault()),
			on(node, 'selectstart', (event) => touch && event.preventDefault())
		];
		this.#cleanup = () => {
			clearTimeout(longPress);
			for (const off of offs) off();
		};
	}

	#move(x: number, y: number) {
		if (!this.#active) return;
		this.#active.x = x;
		this.#active.y = y;
		this.#retarget(x, y);
	}

	#retarget(x: number, y: number) {
		const zone = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-drop]');
		const target = parseDropTarget(zone?.dataset);
		if (!sameTarget(target, this.#target)) this.#target = target;
	}

	#drop(x: number, y: number) {
		const active = this.#active;
		this.#retarget(x, y);
		const target = this.#target;
		this.#finish();
		if (!active) return;
		// The click that follows the pointerup belongs to the drag, not to the card.
		const swallow = (event: Event) => {
			event.preventDefault();
			event.stopPropagation();
		};
		window.addEventListener('click', swallow, { capture: true });
		setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
		this.#events.ondrop(active.ideaId, target);
		this.#events.onend(active.ideaId);
	}

	#finish() {
		this.#cleanup?.();
		this.#cleanup = null;
		cancelAnimationFrame(this.#scrollFrame);
		this.#active = null;
		this.#target = null;
	}

	/** Scrolls the page while the pointer rests near its top or bottom edge. */
	#startEdgeScroll() {
		const step = () => {
			const active = this.#active;
			if (!active) return;
			const speed = edgeScrollSpeed(active.y, window.innerHeight);
			if (speed !== 0) {
				window.scrollBy(0, speed);
				this.#retarget(active.x, active.y);
			}
			this.#scrollFrame = requestAnimationFrame(step);
		};
		this.#scrollFrame = requestAnimationFrame(step);
	}
}

const [getDrag, setDrag] = createContext<DragController>();

export { getDrag, setDrag };
