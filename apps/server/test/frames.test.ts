import { once } from 'node:events';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { prepareFrame, writeFrame } from '../src/sync/frames.js';

let wss: WebSocketServer;
let server: WebSocket;
let client: WebSocket;
const received: Buffer[] = [];

beforeAll(async () => {
	wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
	await once(wss, 'listening');
	const { port } = wss.address() as { port: number };
	const accepted = once(wss, 'connection');
	client = new WebSocket(`ws://127.0.0.1:${port}`);
	client.on('message', (data: Buffer, isBinary) => {
		expect(isBinary).toBe(true);
		received.push(data);
	});
	[server] = (await accepted) as [WebSocket];
	await once(client, 'open');
});

afterAll(async () => {
	client.close();
	wss.close();
});

const bytes = (length: number, seed: number) =>
	Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

async function receivedCount(n: number) {
	while (received.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('prepared frames of every length encoding arrive intact, in order with ordinary sends', async () => {
	// 7-bit, 16-bit and 64-bit lengths, and the edges between them.
	const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000];
	const sent: Uint8Array[] = [];
	lengths.forEach((length, i) => {
		const payload = bytes(length, i);
		sent.push(payload);
		writeFrame(server, prepareFrame(payload));
		// Interleaved with ws's own sends, which must stay in order with the raw writes.
		const plain = bytes(10 + i, 100 + i);
		sent.push(plain);
		server.send(plain);
	});
	await receivedCount(sent.length);
	expect(received.map((b) => [...b])).toEqual(sent.map((b) => [...b]));
	expect(server.bufferedAmount).toBe(0);
});

test('the wire bytes are a final, unmasked binary frame with the payload after the header', () => {
	const payload = bytes(300, 7);
	const { wire } = prepareFrame(payload);
	expect(wire[0]).toBe(0x82);
	expect(wire[1]).toBe(126);
	expect(wire.readUInt16BE(2)).toBe(300);
	expect([...wire.subarray(4)]).toEqual([...payload]);
	expect(wire.length).toBe(304);
});

test('an idle ws socket gets the prepared bytes in one write of its TCP socket', async () => {
	const socket = (server as unknown as { _socket: { write: (chunk: unknown) => boolean } })._socket;
	const write = vi.spyOn(socket, 'write');
	const frame = prepareFrame(bytes(40, 3));
	const before = received.length;
	writeFrame(server, frame);
	expect(write).toHaveBeenCalledTimes(1);
	expect(write.mock.calls[0]![0]).toBe(frame.wire);
	write.mockRestore();
	await receivedCount(before + 1);
	expect([...received.at(-1)!]).toEqual([...frame.payload]);
});
