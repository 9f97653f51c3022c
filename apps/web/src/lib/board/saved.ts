/**
 * Bookkeeping for the server's "saved" messages: per client id, the highest
 * clock the server has confirmed as stored. Confirmations only ever grow;
 * a late or reordered message must not move a clock backwards.
 */
export class SavedClocks {
	readonly #clocks = new Map<number, number>();

	/** Merges a confirmation; returns whether anything advanced. */
	merge(stateVector: ReadonlyMap<number, number>): boolean {
		let advanced = false;
		for (const [client, clock] of stateVector) {
			if (clock > (this.#clocks.get(client) ?? 0)) {
				this.#clocks.set(client, clock);
				advanced = true;
			}
		}
		return advanced;
	}

	clockFor(client: number): number {
		return this.#clocks.get(client) ?? 0;
	}
}
