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
import { prepareFrame, type PreparedFrame } from './frames.js';
import { encodeAwareness } from './messages.js';

/** Presence changes arriving within this window share one frame (see `flush`)… */
const PRESENCE_WINDOW_MS = 50;
/**
 * …and the window widens so that no receiver gets more than this many bytes
 * of presence a second (256 kbit/s: a phone on a venue's Wi-Fi, and the
 * venue's access point serving everyone, keep room for the board itself).
 */
const PRESENCE_BYTES_PER_SECOND = 32 * 1024;
/** A presence frame goes to this many connections at a time (see `sendSlice`)… */
const CONNECTIONS_PER_SLICE = 32;
/** …its slices spread over this share of the window. */
const SLICES_SPREAD = 0.8;

export class Presence {
	readonly awareness: awarenessProtocol.Awareness;
	private readonly owners = new Map<number, Connection>();
	private readonly removedAt = new Map<number, number>();
	private readonly registry;
	/** Entries changed since the last presence frame, and the coalescing window. */
	private readonly pending = new Map<number, { clock: number; state: unknown }>();
	private timer: NodeJS.Timeout | null = null;
	/** The frame being handed out, slice by slice, and to whom. */
	private sending: { frame: PreparedFrame; to: Connection[]; next: number } | null = null;
	private slice: NodeJS.Timeout | null = null;
	/** The current window: PRESENCE_WINDOW_MS, or longer after a big frame. */
	private window = PRESENCE_WINDOW_MS;

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
		if (this.slice) clearTimeout(this.slice);
		this.timer = null;
		this.slice = null;
		this.sending = null;
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
	 * then holds further ones for a window: the first change after a quiet
	 * spell goes out at once, a storm (cursor-like updates from many clients)
	 * costs each receiver at most 1000 / PRESENCE_WINDOW_MS frames per second
	 * instead of one frame per change, and at most PRESENCE_BYTES_PER_SECOND
	 * (a frame of 50 entries, ~7 KB, holds the next one back ~220 ms).
	 */
	private flush = (): void => {
		this.timer = null;
		if (this.pending.size === 0) return;
		// The previous frame first, to everyone: the new one holds only what changed since.
		if (this.sending) {
			if (this.slice) clearTimeout(this.slice);
			this.sendSlice(Infinity);
		}
		// The y-protocols awareness update format (encodeAwarenessUpdate).
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, this.pending.size);
		for (const [id, { clock, state }] of this.pending) {
			encoding.writeVarUint(e, id);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, JSON.stringify(state));
		}
		this.pending.clear();
		const frame = prepareFrame(encodeAwareness(encoding.toUint8Array(e)));
		this.window = Math.max(
			PRESENCE_WINDOW_MS,
			Math.ceil((frame.wire.length / PRESENCE_BYTES_PER_SECOND) * 1000)
		);
		this.sending = { frame, to: [...this.connections], next: 0 };
		this.sendSlice();
		this.timer = setTimeout(this.flush, this.window);
		this.timer.unref();
	};

	/**
	 * Hands the current frame to the next CONNECTIONS_PER_SLICE connections and
	 * the rest later, the slices spread over most of the window. In a big room a
	 * frame of everyone's presence to every socket is a burst (50 entries to
	 * 200 sockets: ~1.5 MB); sliced, a document update arriving meanwhile waits
	 * for one slice, not for the whole burst, and the bytes leave evenly.
	 */
	private sendSlice = (count = CONNECTIONS_PER_SLICE): void => {
		this.slice = null;
		const sending = this.sending;
		if (!sending) return;
		const end = Math.min(sending.to.length, sending.next + count);
		while (sending.next < end) sending.to[sending.next++]!.sendFrame(sending.frame);
		if (sending.next >= sending.to.length) {
			this.sending = null;
			return;
		}
		const slices = Math.ceil(sending.to.length / CONNECTIONS_PER_SLICE);
		const gap = Math.max(1, Math.floor((this.window * SLICES_SPREAD) / slices));
		this.slice = setTimeout(this.sendSlice, gap);
		this.slice.unref();
	};
}
