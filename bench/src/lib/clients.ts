/**
 * Load-generator clients. `ThinClient` speaks the y-websocket wire protocol
 * (or Hocuspocus's framing: a document-name prefix and an Auth frame first)
 * on a bare `ws` socket. A writer keeps a private board Y.Doc and never
 * applies remote updates (writes to fresh or own keys don't depend on remote
 * state); a receiver does not decode updates, it scans each frame for
 * markers `@@s<sender>t<performance.now()>;` and counts every occurrence,
 * since batching servers merge several writes into one frame. A `full`
 * client applies everything to a Y.Doc (convergence probes, cold loads).
 */
import { addIdea, createBoardDoc, editIdea } from '@kipina/board';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { ServerKind } from '../servers/types.js';

export type Proto = 'yws' | 'hp';
export const protoOf = (kind: ServerKind): Proto =>
	kind === 'hp3' || kind === 'hp4' ? 'hp' : 'yws';

/** One participant's place in a room: where to connect and who they are. */
export interface Seat {
	url: string;
	docName: string;
	token: string;
	participantId: string;
	industry: string;
	proto: Proto;
}

export interface ClientOptions {
	/** Apply every received update to `doc` (probes, cold loads). */
	full?: boolean;
	/** Called for every marker in a received sync frame; `at` is when its bytes were read. */
	onMarker?: (sender: number, t: number, at: number) => void;
	/** Called for Kipinä's `saved` message (type 100) with its state vector. */
	onSaved?: (sv: Map<number, number>) => void;
	/** Called with the raw payload of every sync step 2 / update frame. */
	onSyncPayload?: (sub: number, payload: Uint8Array, at: number) => void;
	/** Do not send our own sync step 1 (passive receivers). */
	noStep1?: boolean;
	/** Send this state vector in our sync step 1 instead of our doc's (a reconnecting replica). */
	stateVector?: Uint8Array;
}

export class ThinClient {
	readonly ws: WebSocket;
	readonly doc = createBoardDoc();
	readonly opened: Promise<void>;
	readonly synced: Promise<void>;
	isSynced = false;
	closed = false;
	closeCode = 0;
	framesIn = 0;
	bytesIn = 0;
	/** Awareness (presence) frames received. */
	awarenessIn = 0;
	/** performance.now() when the first sync step 2 arrived. */
	syncedAt = 0;
	/**
	 * Hocuspocus: the reason in a Close message (type 7), by which the server
	 * drops this document's connection while the socket stays open.
	 */
	closeMessage: string | null = null;
	private presenceClock = 0;
	private resolveSynced!: () => void;
	private readonly prefix: Uint8Array;

	constructor(
		readonly seat: Seat,
		readonly index: number,
		private readonly options: ClientOptions = {}
	) {
		const enc = encoding.createEncoder();
		if (seat.proto === 'hp') encoding.writeVarString(enc, seat.docName);
		this.prefix = encoding.toUint8Array(enc);
		this.synced = new Promise((r) => (this.resolveSynced = r));
		this.ws = new WebSocket(seat.url, { perMessageDeflate: false, handshakeTimeout: 15_000 });
		this.ws.binaryType = 'nodebuffer';
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', () => resolve());
			this.ws.once('error', reject);
		});
		this.ws.on('error', () => undefined);
		this.ws.on('close', (code) => {
			this.closed = true;
			this.closeCode = code;
		});
		this.ws.on('message', (data: Buffer) => this.onFrame(data, performance.now()));
		this.ws.once('open', () => {
			if (!options.full && process.env.BENCH_WS_RECEIVER !== '1') this.readFramesDirectly();
			if (seat.proto === 'hp') {
				this.send(2, (e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarString(e, seat.token || 'bench');
				});
			}
			if (!options.noStep1) {
				this.send(0, (e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint8Array(e, options.stateVector ?? Y.encodeStateVector(this.doc));
				});
			}
		});
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === this) return; // applied from the server
			this.sendUpdate(update);
		});
	}

	private send(type: number, write: (e: encoding.Encoder) => void): void {
		if (this.ws.readyState !== WebSocket.OPEN) return;
		const e = encoding.createEncoder();
		encoding.writeUint8Array(e, this.prefix);
		encoding.writeVarUint(e, type);
		write(e);
		this.ws.send(encoding.toUint8Array(e));
	}

	/** Sends this client's presence (one awareness entry under its doc's client id). */
	sendPresence(state: Record<string, unknown>): void {
		this.presenceClock += 1;
		const entry = encoding.createEncoder();
		encoding.writeVarUint(entry, 1);
		encoding.writeVarUint(entry, this.doc.clientID);
		encoding.writeVarUint(entry, this.presenceClock);
		encoding.writeVarString(entry, JSON.stringify(state));
		this.send(1, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(entry)));
	}

	/** Bytes of Yjs updates this client has sent (the logical write volume). */
	updateBytesOut = 0;

	sendUpdate(update: Uint8Array): void {
		this.updateBytesOut += update.byteLength;
		this.send(0, (e) => {
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint8Array(e, update);
		});
	}

	/**
	 * Takes the socket's reading over from ws: one `performance.now()` per
	 * chunk, binary frames parsed in place and handed to `onFrame`, control
	 * frames (ping, pong, close) passed to ws's own receiver, which answers
	 * them. ws's receiver is a stream with an event per frame; at N = 500 and
	 * 500 ideas/s the generator reads ~125,000 frames a second on one core,
	 * and reading them here saves ~5 % of that core (0.94 → 0.89 cores;
	 * docs/performance.md, item 25). Anything unusual (a fragmented or text
	 * frame, a masked server frame) hands the socket back to ws for good.
	 * BENCH_WS_RECEIVER=1 keeps ws's receiver throughout.
	 */
	private readFramesDirectly(): void {
		const internals = this.ws as unknown as { _socket: Socket; _receiver: Writable };
		const socket = internals._socket;
		const receiver = internals._receiver;
		const wsOnData = socket.listeners('data')[0] as ((chunk: Buffer) => void) | undefined;
		if (!wsOnData) return;
		let pending: Buffer | null = null;
		const onData = (chunk: Buffer): void => {
			const at = performance.now();
			const buf: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
			pending = null;
			let pos = 0;
			while (buf.length - pos >= 2) {
				const b0 = buf[pos]!;
				const b1 = buf[pos + 1]!;
				let length = b1 & 0x7f;
				let header = 2;
				if (length === 126) {
					if (buf.length - pos < 4) break;
					length = buf.readUInt16BE(pos + 2);
					header = 4;
				} else if (length === 127) {
					if (buf.length - pos < 10) break;
					length = buf.readUInt32BE(pos + 2) * 2 ** 32 + buf.readUInt32BE(pos + 6);
					header = 10;
				}
				const end = pos + header + length;
				const opcode = b0 & 0x0f;
				const plain = (b0 & 0xf0) === 0x80 && (b1 & 0x80) === 0;
				if (!plain || (opcode !== 2 && opcode < 8)) {
					// Not a frame this reader knows: ws takes the socket back from here on.
					socket.removeListener('data', onData);
					socket.on('data', wsOnData);
					wsOnData.call(socket, buf.subarray(pos));
					return;
				}
				if (end > buf.length) break;
				if (opcode === 2) this.onFrame(buf.subarray(pos + header, end), at);
				else receiver.write(buf.subarray(pos, end));
				pos = end;
			}
			if (pos < buf.length) pending = buf.subarray(pos);
		};
		socket.removeListener('data', wsOnData);
		socket.on('data', onData);
		socket.once('close', () => socket.removeListener('data', onData));
	}

	private onFrame(data: Buffer, at: number): void {
		this.framesIn += 1;
		this.bytesIn += data.byteLength;
		const d = decoding.createDecoder(data);
		if (this.seat.proto === 'hp') decoding.readVarString(d);
		const type = decoding.readVarUint(d);
		if (type === 0 || type === 4) {
			const sub = decoding.readVarUint(d);
			if (sub === 0) {
				const sv = decoding.readVarUint8Array(d);
				this.send(0, (e) => {
					encoding.writeVarUint(e, 1);
					encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(this.doc, sv));
				});
				return;
			}
			if (this.options.onMarker) this.scan(data, d.pos, at);
			if (this.options.onSyncPayload || this.options.full) {
				const payload = decoding.readVarUint8Array(d);
				this.options.onSyncPayload?.(sub, payload, at);
				if (this.options.full) Y.applyUpdate(this.doc, payload, this);
			}
			if (sub === 1 && !this.isSynced) {
				this.isSynced = true;
				this.syncedAt = at;
				this.resolveSynced();
			}
		} else if (type === 1) {
			this.awarenessIn += 1;
		} else if (type === 7 && this.seat.proto === 'hp') {
			this.closeMessage = decoding.readVarString(d);
		} else if (type === 100 && this.options.onSaved) {
			this.options.onSaved(Y.decodeStateVector(decoding.readVarUint8Array(d)));
		}
	}

	/**
	 * Finds every marker `@@s<sender>t<ms>.<µs>;` from `from` on, in a byte
	 * loop (no Buffer#indexOf or #toString: a call into C++ each, several per
	 * frame).
	 */
	private scan(data: Buffer, from: number, at: number): void {
		const last = data.length - 6;
		for (let i = from; i < last; i++) {
			if (data[i] !== 0x40 || data[i + 1] !== 0x40 || data[i + 2] !== 0x73) continue;
			let j = i + 3;
			let sender = 0;
			for (let c = data[j]!; c >= 0x30 && c <= 0x39; c = data[++j]!)
				sender = sender * 10 + c - 0x30;
			if (j === i + 3 || data[j] !== 0x74) continue;
			const digitsAt = ++j;
			let t = 0;
			for (let c = data[j]!; c >= 0x30 && c <= 0x39; c = data[++j]!) t = t * 10 + c - 0x30;
			if (j === digitsAt) continue;
			if (data[j] === 0x2e) {
				let scale = 1;
				for (let c = data[++j]!; c >= 0x30 && c <= 0x39; c = data[++j]!) {
					t = t * 10 + c - 0x30;
					scale *= 10;
				}
				t /= scale;
			}
			if (data[j] !== 0x3b) continue;
			this.options.onMarker!(sender, t, at);
			i = j;
		}
	}

	// --- writes (through the board's commands, so Kipinä's policy accepts them) ---

	private ideaIds: string[] = [];
	/** Marker of the last idea posted. */
	lastMarker = '';

	/** Posts a new idea carrying a marker; returns its id. */
	postIdea(note = ''): string {
		const t = performance.now();
		this.lastMarker = `@@s${this.index}t${t.toFixed(3)};`;
		const id = addIdea(
			this.doc,
			{ participantId: this.seat.participantId, industry: this.seat.industry },
			`Idea ${this.ideaIds.length + 1}${note} @@s${this.index}t${t.toFixed(3)};`
		);
		this.ideaIds.push(id);
		return id;
	}

	/**
	 * Rewrites one of our own ideas (a small keyed write, used as the "vote");
	 * `note` pads the text, as in `postIdea`.
	 */
	rewriteIdea(which = this.ideaIds.length - 1, note = ''): boolean {
		const id = this.ideaIds[which];
		if (!id) return false;
		const t = performance.now();
		editIdea(this.doc, id, `Voted ${which}${note} @@s${this.index}t${t.toFixed(3)};`);
		return true;
	}

	get ideasPosted(): number {
		return this.ideaIds.length;
	}

	close(): void {
		this.ws.terminate();
		this.doc.destroy();
	}
}

/** Opens clients `count` at a time (servers and kernels dislike thousands of simultaneous handshakes). */
export async function openAll<T extends { opened: Promise<void> }>(
	make: (i: number) => T,
	total: number,
	concurrency = 50
): Promise<T[]> {
	const out: T[] = new Array(total);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, total) }, async () => {
			while (next < total) {
				const i = next++;
				out[i] = make(i);
				await out[i]!.opened;
			}
		})
	);
	return out;
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			p,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}
