/**
 * A room whose storage fails is discarded: its sockets are closed with 1011
 * and it takes no more work, so nothing is applied that was not stored.
 */
import { CLOSE, addIdea } from '@kipina/board';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { KipinaServer } from '../src/server.js';
import type { Room } from '../src/sync/Room.js';
import { connect, createSession, startTestServer, synced, type Client } from './helpers.js';
import { rawSocket } from './raw.js';

let server: KipinaServer;
const clients: Client[] = [];
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await server.close();
});

test('a failed store closes the room’s sockets with 1011; a later server edit fails at once', async () => {
	const fac = await createSession(server.url);
	const a = connect(server.port, fac);
	clients.push(a);
	await synced(a);
	const observer = await rawSocket(server.port, fac.sessionId, { token: fac.token });
	const room = (server.rooms as unknown as { rooms: Map<string, Room> }).rooms.get(fac.sessionId)!;
	expect(room).toBeDefined();

	const storage = server.storage as unknown as { appendUpdates: () => Promise<number> };
	const append = storage.appendUpdates;
	storage.appendUpdates = () => Promise.reject(new Error('disk full'));
	try {
		addIdea(a.doc, { participantId: fac.participantId, industry: fac.industry }, 'Lost?');
		expect((await observer.closed).code).toBe(CLOSE.serverError);
	} finally {
		storage.appendUpdates = append;
	}
	expect(room.broken).toBe(true);
	await expect(room.serverEdit('test', () => undefined)).rejects.toThrow(/discarded/);
});
