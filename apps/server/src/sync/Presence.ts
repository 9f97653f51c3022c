/**
 * A room's presence (y-protocols awareness): entries bound to the connection
 * that announced them (see awarenessFilter.ts and docs/protocol.md), removed
 * for everyone when that connection closes, and forwarded coalesced.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Connection } from './Connection.js';
import { filterAwareness } from './awarenessFilter.js';
import { encodeAwareness } from './messages.js';

/** Presence changes arriving within this window share one frame (see `flush`). */
const PRESENCE_WINDOW_MS = 50;

export class Presence {
	readonly awareness: awarenessProtocol.Awareness;
	private readonly owners = new Map<number, Connection>();
	private readonly removedAt = new Map<number, number>();
	private readonly registry;
	/** Entries changed since the last presence frame, and the coalescing window. */
	private readonly pending = new Map<number, { clock: number; state: unknown }>();
	private timer: NodeJS.Timeout | null = null;

	constructor(
		doc: Y.Doc,
		/** Who gets the frames: the room's connections. */
		private readonly connections: ReadonlySet<Connection>,
		/** The participant writing document updates with a Yjs client id, if any. */
		writerOf: (clientId: number) => string | undefined
	) {
		this.registry = { owners: this.owners, removedAt: this.removedAt, writerOf };
		this.awareness = new awarenessProtocol.Awareness(doc);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.onChange);
	}

	/** The participant whose connection announced this client id, if one did. */
	participantOf(clientId: number): string | undefined {
		return this.owners.get(clientId)?.participantId;
	}

	/** Sends everyone's presence to a connection (a new one, or one that asked). */
	sendAll(conn: Connection, evenIfEmpty = false): void {
		const ids = [...this.awareness.getStates().keys()];
		if (ids.length === 0 && !evenIfEmpty) return;
		conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)));
	}

	/** An awareness message from `conn`: only its own entry counts (see awarenessFilter.ts). */
	receive(conn: Connection, payload: Uint8Array): void {
		const filtered = filterAwareness(payload, conn, this.registry);
		if (filtered) awarenessProtocol.applyAwarenessUpdate(this.awareness, filtered, conn);
	}

	/** Removes a closed connection's entries for everyone. */
	leave(conn: Connection): void {
		const owned = [...conn.awarenessClients];
		if (owned.length === 0) return;
		awarenessProtocol.removeAwarenessStates(this.awareness, owned, conn);
		for (const id of owned) {
			const removedAt = this.awareness.meta.get(id)?.clock;
			if (removedAt !== undefined) this.removedAt.set(id, removedAt);
			this.owners.delete(id);
			this.awareness.meta.delete(id); // y-protocols never shrinks meta by itself
		}
	}

	destroy(): void {
		this.awareness.off('update', this.onChange);
		this.awareness.destroy();
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.pending.clear();
	}

	private onChange = (
		change: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		if (origin === 'local') return;
		// Captured now: a removed entry's meta may be gone by the time the frame is sent.
		for (const ids of [change.added, change.updated, change.removed]) {
			for (const id of ids) {
				const clock = this.awareness.meta.get(id)?.clock;
				if (clock === undefined) continue;
				this.pending.set(id, { clock, state: this.awareness.states.get(id) ?? null });
			}
		}
		if (this.pending.size === 0 || this.timer) return;
		this.flush();
	};

	/**
	 * Sends pending changes as one frame (the latest entry of each client),
	 * then holds further ones for PRESENCE_WINDOW_MS: the first change after a
	 * quiet spell goes out at once, a storm (cursor-like updates from many
	 * clients) costs each receiver at most 1000 / PRESENCE_WINDOW_MS frames per
	 * second instead of one frame per change.
	 */
	private flush = (): void => {
		this.timer = null;
		if (this.pending.size === 0) return;
		// The y-protocols awareness update format (encodeAwarenessUpdate).
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, this.pending.size);
		for (const [id, { clock, state }] of this.pending) {
			encoding.writeVarUint(e, id);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, JSON.stringify(state));
		}
		this.pending.clear();
		const message = encodeAwareness(encoding.toUint8Array(e));
		for (const conn of this.connections) conn.send(message);
		this.timer = setTimeout(this.flush, PRESENCE_WINDOW_MS);
		this.timer.unref();
	};
}
