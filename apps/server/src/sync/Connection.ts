import type { Actor, Role } from '@kipina/board';

/** The minimal socket a connection needs; `ws` sockets fit, and so do test doubles. */
export interface SocketLike {
	readonly readyState: number;
	readonly bufferedAmount: number;
	send(data: Uint8Array): void;
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

let nextId = 1;

/** One participant's socket in one room. */
export class Connection {
	readonly id = nextId++;
	readonly actor: Actor;
	/** Awareness client ids this connection owns (see awarenessFilter.ts). */
	readonly awarenessClients = new Set<number>();
	/** Added to this connection's awareness clocks (see awarenessFilter.ts). */
	readonly awarenessClockShift = new Map<number, number>();
	private closedWith: number | null = null;

	constructor(
		private readonly socket: SocketLike,
		readonly identity: Identity,
		/** The client asked for `saved` messages (`?saved=1`). */
		readonly wantsSaved: boolean,
		/** Largest send buffer tolerated before the peer counts as stuck. */
		private readonly maxBuffered = 16 * 1024 * 1024
	) {
		this.actor = {
			participantId: identity.participantId,
			role: identity.role,
			industry: identity.industry
		};
	}

	get participantId(): string {
		return this.identity.participantId;
	}

	get closed(): boolean {
		return this.closedWith !== null || this.socket.readyState !== OPEN;
	}

	send(message: Uint8Array): void {
		if (this.closed) return;
		if (this.socket.bufferedAmount > this.maxBuffered) {
			this.close(1008, 'Too slow to keep up');
			return;
		}
		this.socket.send(message);
	}

	close(code: number, reason: string): void {
		if (this.closedWith !== null) return;
		this.closedWith = code;
		// Close reasons are limited to 123 bytes.
		this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
	}
}
