/**
 * The websocket endpoint `/sync/<sessionId>`: checks the Origin before the
 * upgrade (a foreign origin gets HTTP 403 and no socket), then authenticates
 * the participant (cookie, or `?token=` for non-browser clients; for a group
 * session also a member's group cookie or device token) and hands the socket
 * to the session's room. Failures after the upgrade are reported
 * with close codes (see `CLOSE` in @kipina/board and docs/protocol.md).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE, isId } from '@kipina/board';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../logger.js';
import type { Access, Credentials } from '../access.js';
import { deskDocId, type ParticipantRecord, type Storage } from '../storage/Storage.js';
import { FrameBudget, KeyedLimiter, type RateLimits } from '../limits.js';
import { Connection } from './Connection.js';
import { writeFrame, type PreparedFrame } from './frames.js';
import type { Room } from './Room.js';
import type { RoomManager } from './RoomManager.js';

export interface SyncDeps {
	storage: Storage;
	rooms: RoomManager;
	access: Access;
	log: Logger;
	maxPayload: number;
	rateLimits: RateLimits;
	isAllowedOrigin(origin: string | undefined, req: http.IncomingMessage): boolean;
	/** The client's address (honours X-Forwarded-For when the proxy is trusted). */
	clientIp(req: http.IncomingMessage): string;
}

const HEARTBEAT_MS = 30_000;
/** Messages a socket may send before its room is ready; more is abuse. */
const MAX_EARLY_MESSAGES = 64;

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`
	);
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A sync socket: ws's own socket plus the little this endpoint keeps per
 * connection, in one object. Its event handlers are shared by every socket
 * (they find their state through `this`), so an idle connection costs no
 * closures, contexts or per-socket arrays here.
 */
class SyncSocket extends WebSocket {
	/** Answered the last heartbeat ping (see `HEARTBEAT_MS`). */
	kpAlive = true;
	/** Set once the room is ready; frames go to `kpRoom` as this connection. */
	kpConn: Connection | null = null;
	kpRoom: Room | null = null;
	/** Frames received before the room was ready (rare: clients wait for sync step 1). */
	kpEarly: { data: RawData; isBinary: boolean }[] | null = null;
	/**
	 * This connection's message and byte budget. Made at its first frame and
	 * dropped by the heartbeat once full again: a full budget and no budget
	 * behave the same, and idle connections then hold none.
	 */
	kpBudget: FrameBudget | null = null;

	/**
	 * Pongs mark the socket alive here rather than through a listener: a
	 * fourth listener grows every socket's listener table by ~80 bytes.
	 */
	override emit(event: string | symbol, ...args: unknown[]): boolean {
		if (event === 'pong') this.kpAlive = true;
		return super.emit(event, ...args);
	}

	sendFrame(frame: PreparedFrame): void {
		writeFrame(this, frame);
	}
}

/** Set on the raw socket until ws takes over its errors (see `attachSync`). */
function destroyOnError(this: Duplex): void {
	this.destroy();
}

/** The sync endpoint of a server. */
export interface SyncEndpoint {
	/** The open sockets. */
	readonly sockets: ReadonlySet<WebSocket>;
	/** Stops the heartbeat and drops every socket at once. */
	close(): void;
}

export function attachSync(server: http.Server, deps: SyncDeps): SyncEndpoint {
	/**
	 * The open sockets, kept here rather than by ws (`clientTracking`), whose
	 * tracking adds a closure and a listener array to every socket.
	 */
	const sockets = new Set<SyncSocket>();
	const wss = new WebSocketServer({
		noServer: true,
		clientTracking: false,
		maxPayload: deps.maxPayload,
		// A compression context per socket costs tens of KB; sync frames are small.
		perMessageDeflate: false,
		WebSocket: SyncSocket
	});

	const attempts = new KeyedLimiter(deps.rateLimits.connections);
	const { messages: messageLimit, bytes: byteLimit } = deps.rateLimits;

	// One set of handlers for every socket of this server. ws types their `this` as a
	// plain WebSocket; every socket here is a SyncSocket.
	function onError(this: WebSocket, error: Error): void {
		const room = (this as SyncSocket).kpRoom;
		deps.log.debug({ err: error, docId: room?.docId }, 'socket error');
	}

	function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
		const ws = this as SyncSocket;
		if (ws.kpConn) return deliver(ws, data, isBinary);
		(ws.kpEarly ??= []).push({ data, isBinary });
		if (ws.kpEarly.length > MAX_EARLY_MESSAGES) ws.close(CLOSE.rateLimited, 'Too many messages');
	}

	function onClose(this: WebSocket): void {
		const ws = this as SyncSocket;
		sockets.delete(ws);
		ws.kpEarly = null;
		ws.kpBudget = null;
		const { kpConn: conn, kpRoom: room } = ws;
		if (!conn || !room) return;
		ws.kpConn = null;
		ws.kpRoom = null;
		room.removeConnection(conn);
		deps.rooms.release(room);
	}

	function deliver(ws: SyncSocket, data: RawData, isBinary: boolean): void {
		const conn = ws.kpConn!;
		if (conn.closed) return;
		const frame = toBytes(data);
		ws.kpBudget ??= new FrameBudget(messageLimit, byteLimit);
		if (!ws.kpBudget.take(frame.byteLength)) {
			deps.log.warn(
				{ participantId: conn.participantId, docId: ws.kpRoom!.docId },
				'connection rate-limited'
			);
			return conn.close(CLOSE.rateLimited, 'Too many messages; reconnect in a moment');
		}
		if (!isBinary) return conn.close(CLOSE.malformed, 'Binary frames only');
		ws.kpRoom!.handleMessage(conn, frame);
	}

	async function serve(
		ws: SyncSocket,
		req: http.IncomingMessage,
		sessionId: string,
		/** The desk owner's participant id, for `/sync/<session>/desk/<owner>`. */
		deskOwner: string | null,
		url: URL
	): Promise<void> {
		ws.on('error', onError);
		ws.on('message', onMessage);
		ws.on('close', onClose);
		// The 'close' event has come or is on its way: nothing may be added for this socket.
		const gone = () => ws.readyState !== WebSocket.OPEN;

		try {
			const creds: Credentials = {
				cookie: req.headers.cookie,
				token: url.searchParams.get('token')
			};
			const epoch = deps.access.epoch;
			const found = isId(sessionId) ? await authenticate(deps.access, sessionId, creds) : null;
			if (!found || 'close' in found) {
				const [code, reason] = found?.close ?? [CLOSE.unknownSession, 'Unknown session'];
				ws.close(code, reason);
				return;
			}
			const { participant } = found;
			if (gone()) return;
			let docId = sessionId;
			if (deskOwner !== null) {
				const owner = isId(deskOwner)
					? await deps.storage.getParticipant(sessionId, deskOwner)
					: undefined;
				if (!owner) {
					ws.close(CLOSE.unknownSession, 'Unknown desk');
					return;
				}
				const mayOpen =
					owner.id === participant.id || (participant.role === 'facilitator' && owner.proxy);
				if (!mayOpen) {
					ws.close(CLOSE.refused, 'This is someone else’s private desk');
					return;
				}
				docId = deskDocId(sessionId, owner.id);
			}
			const room = await deps.rooms.acquire(docId);
			if (gone()) {
				deps.rooms.release(room);
				return;
			}
			// Access withdrawn while this socket was being set up: check again.
			if (deps.access.epoch !== epoch) {
				const again = await authenticate(deps.access, sessionId, creds);
				if (!again || 'close' in again || again.participant.role !== participant.role) {
					deps.rooms.release(room);
					ws.close(CLOSE.unauthenticated, 'Your access changed');
					return;
				}
				if (gone()) {
					deps.rooms.release(room);
					return;
				}
			}
			const conn = new Connection(
				ws,
				{
					participantId: participant.id,
					name: participant.name,
					industry: participant.industry,
					// One of two shared strings, not a copy per connection from storage.
					role: participant.role === 'facilitator' ? 'facilitator' : 'participant'
				},
				url.searchParams.get('saved') === '1'
			);
			ws.kpConn = conn;
			ws.kpRoom = room;
			room.addConnection(conn);
			const early = ws.kpEarly;
			ws.kpEarly = null;
			for (const { data, isBinary } of early ?? []) deliver(ws, data, isBinary);
		} catch (error) {
			deps.log.error({ err: error, sessionId }, 'websocket setup failed');
			ws.close(CLOSE.serverError, 'Server error');
		}
	}

	server.on('upgrade', (req, socket, head) => {
		socket.on('error', destroyOnError);
		const url = new URL(req.url ?? '/', 'http://localhost');
		const match = /^\/sync\/([^/]+)(?:\/desk\/([^/]+))?$/.exec(url.pathname);
		if (!match) return rejectUpgrade(socket, 404, 'Not Found');
		if (!attempts.take(deps.clientIp(req))) {
			return rejectUpgrade(socket, 429, 'Too Many Requests');
		}
		if (!deps.isAllowedOrigin(req.headers.origin, req)) {
			deps.log.warn({ origin: req.headers.origin }, 'websocket from a foreign origin refused');
			return rejectUpgrade(socket, 403, 'Forbidden origin');
		}
		let sessionId: string;
		let desk: string | null;
		try {
			sessionId = decodeURIComponent(match[1]!);
			desk = match[2] === undefined ? null : decodeURIComponent(match[2]);
		} catch {
			return rejectUpgrade(socket, 404, 'Not Found');
		}
		wss.handleUpgrade(req, socket, head, (ws) => {
			// ws handles the socket's errors from here on.
			socket.off('error', destroyOnError);
			const sync = ws as SyncSocket;
			sockets.add(sync);
			void serve(sync, req, sessionId, desk, url);
		});
	});

	// One sweep for every socket: heartbeat, and forgetting budgets that are full again.
	const heartbeat = setInterval(() => {
		for (const ws of sockets) {
			if (!ws.kpAlive) {
				ws.terminate();
				continue;
			}
			ws.kpAlive = false;
			if (ws.kpBudget?.idle) ws.kpBudget = null;
			ws.ping();
		}
	}, HEARTBEAT_MS);
	heartbeat.unref();
	return {
		sockets,
		close() {
			clearInterval(heartbeat);
			for (const ws of sockets) ws.terminate();
			wss.close();
		}
	};
}

/**
 * The participant a socket acts as, or the close code that says why not.
 * A group session is invisible to outsiders (4404, as if it did not exist);
 * once closed, it stays readable to members but not to guests (4410).
 */
async function authenticate(
	access: Access,
	sessionId: string,
	creds: Credentials
): Promise<{ participant: ParticipantRecord } | { close: [number, string] } | null> {
	const a = await access.session(sessionId, creds);
	if (!a || (a.group && a.kind === 'outsider')) return null;
	if (a.kind === 'outsider') return { close: [CLOSE.unauthenticated, 'Join the session first'] };
	if (a.kind === 'guest' && a.closedAt !== null) {
		return { close: [CLOSE.sessionClosed, 'This evening is closed'] };
	}
	const participant = await access.participantOf(a);
	if (!participant) return { close: [CLOSE.sessionClosed, 'This evening is closed'] };
	return { participant };
}
