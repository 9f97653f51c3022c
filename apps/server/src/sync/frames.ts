/**
 * One message, framed once for every receiver. A broadcast sends the same
 * bytes to tens or hundreds of sockets; through `ws.send` each send builds
 * its own frame header and writes header and payload as two chunks (a
 * corked `writev`). A prepared frame is a single buffer, header included,
 * written to each TCP socket as it is: about a quarter less time per send
 * (docs/performance.md).
 *
 * Server-to-client frames are never masked (RFC 6455 §5.1), and this
 * server never compresses (`perMessageDeflate: false`), so the same bytes
 * are right for every socket.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export interface PreparedFrame {
	/** The message, for sockets that cannot take raw frames (see `writeFrame`). */
	readonly payload: Uint8Array;
	/** Header and payload of a final binary frame. */
	readonly wire: Buffer;
}

/** Frames `payload` as one final, unmasked binary frame (RFC 6455 §5.2). */
export function prepareFrame(payload: Uint8Array): PreparedFrame {
	const length = payload.byteLength;
	const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
	const wire = Buffer.allocUnsafe(headerLength + length);
	wire[0] = 0x82; // FIN + opcode 2 (binary)
	if (length < 126) {
		wire[1] = length;
	} else if (length < 65_536) {
		wire[1] = 126;
		wire.writeUInt16BE(length, 2);
	} else {
		wire[1] = 127;
		wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
		wire.writeUInt32BE(length >>> 0, 6);
	}
	wire.set(payload, headerLength);
	return { payload, wire };
}

/** The parts of ws's socket internals a raw write must respect (ws 8). */
interface WsInternals {
	_socket?: Socket;
	_sender?: { _state?: unknown; _queue?: unknown[] };
}

/**
 * Writes a prepared frame straight to the socket under `ws` when ws itself
 * has nothing in flight (its sender is idle, nothing queued), so frames stay
 * in order; otherwise, or if ws's internals are not as expected, sends the
 * payload through ws. Either way the bytes count in `ws.bufferedAmount`.
 */
export function writeFrame(ws: WebSocket, frame: PreparedFrame): void {
	const { _socket: socket, _sender: sender } = ws as unknown as WsInternals;
	if (
		socket &&
		!socket.destroyed &&
		sender?._state === 0 &&
		Array.isArray(sender._queue) &&
		sender._queue.length === 0
	) {
		socket.write(frame.wire);
	} else {
		ws.send(frame.payload);
	}
}
