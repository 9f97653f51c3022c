/**
 * Wire constants shared by the server and the web client. The sync protocol
 * itself is y-websocket's (y-protocols sync + awareness); these are the
 * additions documented in docs/protocol.md.
 */

/** y-protocols message types used on the wire. */
export const MESSAGE = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/**
	 * Server → client: "your changes are stored up to this state vector".
	 * Payload: a Yjs state vector (varUint8Array) of the client ids this
	 * connection authored, with the clock up to which each is persisted.
	 * Sent only to connections that asked for it (`?saved=1`).
	 */
	saved: 100
} as const;

/**
 * WebSocket close codes the server uses. Following the convention the stock
 * y-websocket provider (3.1) implements, 4400–4499 mean "reconnecting cannot
 * fix this" (the provider stops) and 4500–4599 mean "try again later".
 */
export const CLOSE = {
	/** Server shutting down; reconnect later. */
	goingAway: 1001,
	/** A frame larger than the server's limit. */
	tooBig: 1009,
	/** The server failed (e.g. storage); reconnect later. */
	serverError: 1011,
	/** The frame could not be decoded (unknown type, truncated, garbage). */
	malformed: 4400,
	/** No valid participant credentials for this session. */
	unauthenticated: 4401,
	/** An update broke the permission policy; the client must drop its replica and resync. */
	refused: 4403,
	/** The session does not exist. */
	unknownSession: 4404,
	/** The update depends on updates the server does not have; drop the replica and resync. */
	outOfSync: 4409,
	/** The session is closed (archived): it is read-only, and guests no longer have access. */
	sessionClosed: 4410,
	/** The connection's access changed (e.g. a facilitator role was withdrawn); reconnect. */
	accessChanged: 4501,
	/** Too many messages or bytes; reconnect after a pause. */
	rateLimited: 4529
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Codes after which reconnecting with the same replica cannot succeed. */
export const RESET_CODES: ReadonlySet<number> = new Set([CLOSE.refused, CLOSE.outOfSync]);

/** Codes after which reconnecting at all is pointless. */
export const FATAL_CODES: ReadonlySet<number> = new Set([
	CLOSE.unauthenticated,
	CLOSE.unknownSession,
	CLOSE.sessionClosed
]);
