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
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import type { Access, Credentials } from '../access.js';
import { deskDocId, type ParticipantRecord, type Storage } from '../storage/Storage.js';
import { KeyedLimiter, TokenBucket, type RateLimits } from '../limits.js';
import { Connection } from './Connection.js';
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

export function attachSync(server: http.Server, deps: SyncDeps): WebSocketServer {
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: deps.maxPayload,
		perMessageDeflate: false
	});

	const attempts = new KeyedLimiter(deps.rateLimits.connections);

	server.on('upgrade', (req, socket, head) => {
		socket.on('error', () => socket.destroy());
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
			void serve(ws, req, sessionId, desk, url, deps);
		});
	});

	const heartbeat = setInterval(() => {
		for (const ws of wss.clients) {
			const alive = ws as WebSocket & { kpAlive?: boolean };
			if (alive.kpAlive === false) {
				ws.terminate();
				continue;
			}
			alive.kpAlive = false;
			ws.ping();
		}
	}, HEARTBEAT_MS);
	heartbeat.unref();
	wss.on('close', () => clearInterval(heartbeat));
	return wss;
}

async function serve(
	ws: WebSocket,
	req: http.IncomingMessage,
	sessionId: string,
	/** The desk owner's participant id, for `/sync/<session>/desk/<owner>`. */
	deskOwner: string | null,
	url: URL,
	deps: SyncDeps
): Promise<void> {
	const alive = ws as WebSocket & { kpAlive?: boolean };
	alive.kpAlive = true;
	ws.on('pong', () => (alive.kpAlive = true));
	ws.on('error', (error) => deps.log.debug({ err: error, sessionId }, 'socket error'));

	const early: { data: RawData; isBinary: boolean }[] = [];
	let deliver: ((data: RawData, isBinary: boolean) => void) | null = null;
	ws.on('message', (data, isBinary) => {
		if (deliver) return deliver(data, isBinary);
		early.push({ data, isBinary });
		if (early.length > MAX_EARLY_MESSAGES) ws.close(CLOSE.rateLimited, 'Too many messages');
	});
	let closed = false;
	const onClose: (() => void)[] = [];
	ws.on('close', () => {
		closed = true;
		for (const fn of onClose) fn();
	});

	try {
		const creds: Credentials = { cookie: req.headers.cookie, token: url.searchParams.get('token') };
		const epoch = deps.access.epoch;
		const found = isId(sessionId) ? await authenticate(deps.access, sessionId, creds) : null;
		if (!found || 'close' in found) {
			const [code, reason] = found?.close ?? [CLOSE.unknownSession, 'Unknown session'];
			ws.close(code, reason);
			return;
		}
		const { participant } = found;
		if (closed) return;
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
		if (closed) {
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
		}
		const conn = new Connection(
			ws,
			{
				participantId: participant.id,
				name: participant.name,
				industry: participant.industry,
				role: participant.role
			},
			url.searchParams.get('saved') === '1'
		);
		onClose.push(() => {
			room.removeConnection(conn);
			deps.rooms.release(room);
		});
		room.addConnection(conn);
		const { messages: m, bytes: b } = deps.rateLimits;
		const messages = new TokenBucket(m.capacity, m.perSecond);
		const bytes = new TokenBucket(b.capacity, b.perSecond);
		deliver = (data, isBinary) => {
			if (conn.closed) return;
			const frame = toBytes(data);
			if (!messages.take() || !bytes.take(frame.byteLength)) {
				deps.log.warn({ participantId: participant.id, sessionId }, 'connection rate-limited');
				return conn.close(CLOSE.rateLimited, 'Too many messages; reconnect in a moment');
			}
			if (!isBinary) return conn.close(CLOSE.malformed, 'Binary frames only');
			room.handleMessage(conn, frame);
		};
		for (const { data, isBinary } of early.splice(0)) deliver(data, isBinary);
	} catch (error) {
		deps.log.error({ err: error, sessionId }, 'websocket setup failed');
		ws.close(CLOSE.serverError, 'Server error');
	}
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
