/**
 * Which participant owns each Yjs client id of a room: a client id belongs
 * to whoever used it first. Indexed both ways, because a `saved`
 * acknowledgement lists the clocks of all of one participant's client ids.
 */
import * as Y from 'yjs';

export class ClientOwners {
	private readonly byOwner = new Map<string, Set<number>>();

	constructor(private readonly owners: Map<number, string>) {
		for (const [client, owner] of owners) this.index(client, owner);
	}

	ownerOf(client: number): string | undefined {
		return this.owners.get(client);
	}

	has(client: number): boolean {
		return this.owners.has(client);
	}

	/** Binds `client` to `owner` unless it is bound already; true when it was new. */
	bind(client: number, owner: string): boolean {
		if (this.owners.has(client)) return false;
		this.owners.set(client, owner);
		this.index(client, owner);
		return true;
	}

	private clientsOf(owner: string): Iterable<number> {
		return this.byOwner.get(owner) ?? [];
	}

	/** How far `doc` holds each of `owner`'s client ids (what a `saved` acknowledges). */
	clocksOf(owner: string, doc: Y.Doc): Map<number, number> {
		const clocks = new Map<number, number>();
		for (const client of this.clientsOf(owner)) clocks.set(client, Y.getState(doc.store, client));
		return clocks;
	}

	private index(client: number, owner: string): void {
		let set = this.byOwner.get(owner);
		if (!set) this.byOwner.set(owner, (set = new Set()));
		set.add(client);
	}
}
