import type { Actor, Role } from '@kipina/board';
import type { PreparedFrame } from './frames.js';

/** The minimal socket a connection needs; `ws` sockets fit, and so do test doubles. */
export interface SocketLike {
	readonly readyState: number;
	readonly bufferedAmount: number;
	send(data: Uint8Array): void;
	/** Sends a message framed once for many receivers (see frames.ts); else `send` is used. */
	sendFrame?(frame: PreparedFrame): void;
	close(code: number, reason: string): void;
}

const OPEN = 1;

/** Who is on the other end, fixed when the connection authenticated. */
export interface Identity {
	participantId: string;
	name: string;
	industry: string;
	role: Role;
}

const NO_CLIENTS: ReadonlySet<number> = new Set();

/**
 * One participant's socket in one room. Kept small: a server holds one per
 * idle participant, so presence state is only made once presence is used.
 */
export class Connection {
	/** Awareness client ids this connection owns, with their clock shifts; null until one. */
	private awareness: Map<number, number> | null = null;
	private closedWith: number | null = null;

	constructor(
		private readonly socket: SocketLike,
		readonly identity: Identity,
		/** The client asked for `saved` messages (`?saved=1`). */
		readonly wantsSaved: boolean,
		/** Largest send buffer tolerated before the peer counts as stuck. */
		private readonly maxBuffered = 16 * 1024 * 1024
	) {}

	/** Who acts, for the board's policy: the identity itself (an `Identity` is an `Actor`). */
	get actor(): Actor {
		return this.identity;
	}

	get participantId(): string {
		return this.identity.participantId;
	}

	/** Awareness client ids this connection owns (see awarenessFilter.ts). */
	get awarenessClients(): ReadonlySet<number> {
		return this.awareness ? new Set(this.awareness.keys()) : NO_CLIENTS;
	}

	/** How many awareness client ids this connection owns. */
	get awarenessClientCount(): number {
		return this.awareness?.size ?? 0;
	}

	/** Claims an awareness client id, whose clocks are shifted by `clockShift` (see awarenessFilter.ts). */
	claimAwarenessClient(clientId: number, clockShift = 0): void {
		(this.awareness ??= new Map()).set(clientId, clockShift);
	}

	/** Added to this connection's awareness clocks of `clientId`. */
	awarenessClockShift(clientId: number): number {
		return this.awareness?.get(clientId) ?? 0;
	}

	get closed(): boolean {
		return this.closedWith !== null || this.socket.readyState !== OPEN;
	}

	send(message: Uint8Array): void {
		if (this.mayWrite()) this.socket.send(message);
	}

	/** Sends a broadcast's message, framed once for all its receivers. */
	sendFrame(frame: PreparedFrame): void {
		if (!this.mayWrite()) return;
		if (this.socket.sendFrame) this.socket.sendFrame(frame);
		else this.socket.send(frame.payload);
	}

	private mayWrite(): boolean {
		if (this.closed) return false;
		if (this.socket.bufferedAmount > this.maxBuffered) {
			this.close(1008, 'Too slow to keep up');
			return false;
		}
		return true;
	}

	close(code: number, reason: string): void {
		if (this.closedWith !== null) return;
		this.closedWith = code;
		// Close reasons are limited to 123 bytes.
		this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
	}
}
