/**
 * A board page's requests, started before the app's scripts have loaded.
 *
 * On a fresh load of a board page (`/s/<id>`, `/s/<id>/screen`), a small
 * inline script in `app.html` starts, at once:
 * - the page's two API reads (`/api/sessions/<id>` and `…/me`), and
 * - the board's sync socket, which asks for the whole board (sync step 1 of
 *   an empty document) as soon as it is open, and keeps what it receives.
 *
 * So while the JavaScript loads and the page renders, the server reads the
 * room from storage and sends the board, and on a slow network the round
 * trips overlap the download instead of following it. The page's load then
 * takes the responses (`withEarlyResponses`) and the board's provider adopts
 * the socket (`WebSocketOrEarly`), getting its buffered events first, in
 * order. Each is taken once; anything not taken within 15 s is dropped.
 * Measured in docs/performance.md (join page).
 *
 * If the socket is gone (closed, e.g. refused before this browser had
 * joined) or anything is for another URL, the app makes its own request as
 * usual: the early start only ever saves time.
 */
import { MESSAGE } from '@kipina/board';

/** What the inline script in app.html leaves on `window` (keep the two in step). */
export interface EarlyStart {
	/** The provider's URL for this board: `ws(s)://<host>/sync/<sessionId>?saved=1`. */
	url: string;
	socket: WebSocket | null;
	/** Everything the socket emitted before it was adopted, in order. */
	events: Event[];
	/** The script sent `EMPTY_SYNC_STEP1` when the socket opened. */
	step1Sent: boolean;
	/** GET responses by path (`/api/sessions/<id>`, `/api/sessions/<id>/me`), each taken once. */
	responses: Record<string, Promise<Response> | undefined>;
}

declare global {
	interface Window {
		__kipinaEarly?: EarlyStart;
	}
}

/**
 * Sync step 1 of an empty document: [sync, step 1, state vector length 1, no clients].
 * Exactly what the provider sends first on an open socket for a fresh replica.
 */
export const EMPTY_SYNC_STEP1 = Uint8Array.of(MESSAGE.sync, 0, 1, 0);

function early(): EarlyStart | undefined {
	return typeof window === 'undefined' ? undefined : window.__kipinaEarly;
}

function isSyncStep1(data: unknown): boolean {
	return data instanceof Uint8Array && data[0] === MESSAGE.sync && data[1] === 0;
}

function sameBytes(data: unknown, expected: Uint8Array): boolean {
	if (!(data instanceof Uint8Array) || data.byteLength !== expected.byteLength) return false;
	return data.every((byte, i) => byte === expected[i]);
}

/**
 * The early socket for `url`, once: still connecting or open, with its
 * events queued for the handlers the provider sets right after taking it.
 */
export function takeEarlySocket(url: string): WebSocket | null {
	const start = early();
	if (!start?.socket || start.url !== url) return null;
	const { socket, events, step1Sent } = start;
	start.socket = null;
	if (socket.readyState !== WebSocket.CONNECTING && socket.readyState !== WebSocket.OPEN) {
		return null;
	}
	// On open the provider sends its own sync step 1 (after presence, which listens to the
	// status change). The server already has ours and is answering it: an identical one
	// would only fetch the board twice.
	if (step1Sent) {
		socket.send = (data) => {
			if (isSyncStep1(data)) Reflect.deleteProperty(socket, 'send');
			if (!sameBytes(data, EMPTY_SYNC_STEP1)) WebSocket.prototype.send.call(socket, data);
		};
	}
	// The inline script's handlers make way for the provider's. Socket events come as
	// tasks, so this microtask hands the queued ones over before any new one arrives.
	socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
	queueMicrotask(() => {
		for (const event of events) {
			const handler = socket[`on${event.type}` as 'onopen' | 'onmessage' | 'onclose' | 'onerror'];
			(handler as ((event: Event) => void) | null)?.call(socket, event);
		}
	});
	return socket;
}

/**
 * A `WebSocket` constructor for the provider (`WebSocketPolyfill`): the early
 * socket when it is for this URL, a new socket otherwise (and on every reconnect).
 */
export const WebSocketOrEarly = class {
	constructor(url: string, protocols?: string | string[]) {
		return takeEarlySocket(url) ?? new WebSocket(url, protocols);
	}
} as unknown as typeof WebSocket;

/** `fetchFn`, answering a GET the inline script already made with its response (once). */
export function withEarlyResponses(fetchFn: typeof fetch): typeof fetch {
	return (input, init) => {
		const start = early();
		if (start && typeof input === 'string' && (init?.method ?? 'GET') === 'GET') {
			const response = start.responses[input];
			if (response) {
				start.responses[input] = undefined;
				return response;
			}
		}
		return fetchFn(input, init);
	};
}
