/**
 * The private desks this device has open: its participant's, and those of
 * people without a device the facilitator writes for. Each is a replica slot
 * of its own (a desk document at `/sync/<session>/desk/<owner>`), opened when
 * private writing needs it and kept open until the board goes away.
 */
import { getIdea, type Idea } from '@kipina/board';
import { SvelteMap } from 'svelte/reactivity';
import { hasUnsavedChanges } from './connection';
import type { Replica } from './replica.svelte';
import type { ReplicaSlot } from './ReplicaSlot.svelte';

export class Desks {
	readonly #slots = new SvelteMap<string, ReplicaSlot>();
	readonly #make: (ownerId: string) => ReplicaSlot;

	/** @param make creates the slot of `ownerId`'s desk. */
	constructor(make: (ownerId: string) => ReplicaSlot) {
		this.#make = make;
	}

	/** The desk of `ownerId`, opened now if it was not. */
	open(ownerId: string): ReplicaSlot {
		let slot = this.#slots.get(ownerId);
		if (!slot) {
			slot = this.#make(ownerId);
			this.#slots.set(ownerId, slot);
		}
		return slot;
	}

	get(ownerId: string): ReplicaSlot | undefined {
		return this.#slots.get(ownerId);
	}

	/** Ideas on `ownerId`'s desk, oldest first (none while it is not open); reactive. */
	ideasOf(ownerId: string): Idea[] {
		const desk = this.#slots.get(ownerId)?.current;
		if (!desk) return [];
		desk.subscribeDoc();
		return desk.ideas();
	}

	/** The desk replica holding an idea, if any does. */
	holding(ideaId: string): Replica | undefined {
		for (const slot of this.#slots.values()) {
			if (getIdea(slot.current.doc, ideaId)) return slot.current;
		}
		return undefined;
	}

	/** Some desk has changes the server has not confirmed; reactive. */
	get unsaved(): boolean {
		for (const slot of this.#slots.values()) {
			slot.current.subscribeStatus();
			if (hasUnsavedChanges(slot.current.facts())) return true;
		}
		return false;
	}

	destroy(): void {
		for (const slot of this.#slots.values()) slot.destroy();
	}
}
