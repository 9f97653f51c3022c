/** The floor: a plain relay with no Yjs that forwards each frame to everyone else in the room. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StartFn } from './types.js';

export const start: StartFn = async () => {
	const server = http.createServer((_req, res) => res.end('relay'));
	const wss = new WebSocketServer({ server, perMessageDeflate: false });
	const rooms = new Map<string, Set<WebSocket>>();
	wss.on('connection', (ws, req) => {
		const name = (req.url ?? '/').slice(1).split('?')[0]!;
		if (name === 'echo') {
			ws.on('message', (data: Buffer) => ws.send(data));
			return;
		}
		let room = rooms.get(name);
		if (!room) rooms.set(name, (room = new Set()));
		room.add(ws);
		ws.on('message', (data: Buffer) => {
			for (const other of room) if (other !== ws) other.send(data);
		});
		ws.on('close', () => {
			room.delete(ws);
			if (room.size === 0) rooms.delete(name);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		port: (server.address() as AddressInfo).port,
		info: () => ({ rooms: rooms.size }),
		close: () =>
			new Promise<void>((r) => {
				for (const ws of wss.clients) ws.terminate();
				wss.close();
				server.close(() => r());
			})
	};
};
