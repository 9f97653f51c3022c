/** A raw websocket client for sending hand-made frames. */
import { WebSocket } from 'ws';

export interface RawSocket {
	ws: WebSocket;
	messages: Uint8Array[];
	closed: Promise<{ code: number; reason: string }>;
}

export async function rawSocket(
	port: number,
	sessionId: string,
	query: Record<string, string>,
	headers: Record<string, string> = {}
): Promise<RawSocket> {
	const qs = new URLSearchParams(query).toString();
	const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${sessionId}?${qs}`, { headers });
	const messages: Uint8Array[] = [];
	ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	);
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return { ws, messages, closed };
}
