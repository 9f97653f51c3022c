/**
 * One place a replica lives: the board, or a participant's private desk.
 * When the server refuses the replica (RESET_CODES, other 44xx), the slot
 * drops it and starts a fresh one from the server's state; the text the old
 * one had not got confirmed is handed to `replay` once the fresh replica has
 * synced (see pending.ts), and text that was replayed before goes back to
 * the user. Resets in a row are spaced out, in case a server keeps refusing.
 */
import { triage, type PendingChange } from './pending';
import type { Replica } from './replica.svelte';

export interface SlotHooks {
	/** Makes a replica; `onFirstSync` must run when it first holds the server's state. */
	create: (onFirstSync: () => void) => Replica;
	/** Writes unconfirmed changes of a replaced replica again, on the fresh one. */
	replay: (replica: Replica, changes: readonly PendingChange[]) => void;
	/** Text that was replayed before and still could not be saved. */
	giveBack: (change: PendingChange) => void;
	/** A fresh replica replaced a refused one; `replaying` tells whether text is being sent again. */
	onReset: (replaying: boolean) => void;
}

const RESET_DELAYS_MS = [0, 1000, 3000, 10000];
const RESET_MEMORY_MS = 60_000;

export class ReplicaSlot {
	#replica = $state.raw<Replica>() as Replica;
	readonly #hooks: SlotHooks;
	#recentResets: number[] = [];
	#timer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(hooks: SlotHooks) {
		this.#hooks = hooks;
		this.#replica = hooks.create(() => {});
	}

	get current(): Replica {
		return this.#replica;
	}

	/**
	 * Replaces the replica soon (not from inside the provider's close
	 * handler, which still has work to do).
	 */
	scheduleReset(): void {
		if (this.#destroyed) return;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.#reset(), this.#nextDelay());
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
		this.#replica.destroy();
	}

	#nextDelay(): number {
		const now = Date.now();
		this.#recentResets = this.#recentResets.filter((t) => now - t < RESET_MEMORY_MS);
		this.#recentResets.push(now);
		const index = Math.min(this.#recentResets.length - 1, RESET_DELAYS_MS.length - 1);
		return RESET_DELAYS_MS[index] ?? 0;
	}

	#reset(): void {
		if (this.#destroyed) return;
		const old = this.#replica;
		const { replay, giveBack } = triage(old.unconfirmedChanges());
		old.destroy();
		for (const change of giveBack) this.#hooks.giveBack(change);
		const fresh = this.#hooks.create(() => this.#hooks.replay(fresh, replay));
		this.#replica = fresh;
		this.#hooks.onReset(replay.length > 0);
	}
}
