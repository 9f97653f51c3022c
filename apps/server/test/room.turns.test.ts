/**
 * When a room's pipeline runs, in event-loop turns: a client's update to an
 * idle room is checked, stored and sent within its own turn; updates that
 * arrive while a run is busy still share one frame; and the document takes
 * each update before anything reads it again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addIdea, createBoardDoc, listIdeas } from '@kipina/board';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterEach, expect, test } from 'vitest';
import { RATE_LIMITS } from '../src/limits.js';
import { createLogger } from '../src/logger.js';
import { SqliteStorage } from '../src/storage/SqliteStorage.js';
import { Connection, type SocketLike } from '../src/sync/Connection.js';
import type { PreparedFrame } from '../src/sync/frames.js';
import { encodeUpdate } from '../src/sync/messages.js';
import { Room } from '../src/sync/Room.js';
import { tempDir, testConfig } from './helpers.js';

class FakeSocket implements SocketLike {
	readyState = 1;
	bufferedAmount = 0;
	readonly sent: Uint8Array[] = [];
	send(data: Uint8Array): void {
		this.sent.push(data);
	}
	sendFrame(frame: PreparedFrame): void {
		this.sent.push(frame.payload);
	}
	close(): void {
		this.readyState = 3;
	}
	/** Sync update messages (type 0, sub-type 2) received. */
	updates(): Uint8Array[] {
		return this.sent.filter((m) => m[0] === 0 && m[1] === 2);
	}
}

const open: { room: Room; storage: SqliteStorage; dir: string }[] = [];
afterEach(async () => {
	for (const { room, storage, dir } of open.splice(0)) {
		await room.unload();
		storage.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
});

async function setUp() {
	const dir = tempDir();
	const storage = new SqliteStorage(path.join(dir, 'kipina.sqlite'));
	await storage.createSession(
		{ id: 'turns', title: 'Ilta', code: 'CTURNS', createdAt: 1 },
		{
			id: 'p-f',
			sessionId: 'turns',
			name: 'Aino',
			industry: 'leipomo',
			role: 'facilitator',
			joinedAt: 1,
			proxy: false
		},
		Buffer.alloc(32, 1),
		{ data: Y.encodeStateAsUpdate(createBoardDoc()), participantId: '@server' },
		7
	);
	const config = testConfig();
	const room = await Room.load(
		'turns',
		storage,
		createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
		{ compaction: config.compaction, rateLimits: RATE_LIMITS, batchWindowMs: 0 },
		{ check: () => ({ ok: true }) }
	);
	open.push({ room, storage, dir });
	const join = (name: string) => {
		const socket = new FakeSocket();
		const conn = new Connection(
			socket,
			{ participantId: `p-${name}`, name, industry: 'IT', role: 'participant' },
			true
		);
		room.addConnection(conn);
		return { socket, conn };
	};
	return { room, join };
}

/** A participant's own document and the updates its edits make. */
function writer(participantId: string) {
	const doc = createBoardDoc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	let n = 0;
	return {
		doc,
		post(): Uint8Array {
			addIdea(doc, { participantId, industry: 'IT' }, `Idea ${++n} of ${participantId}`);
			return encodeUpdate(updates.at(-1)!);
		}
	};
}

/** Lets pending promise continuations run, but no timers and no `setImmediate` callbacks. */
async function microtasks(): Promise<void> {
	for (let i = 0; i < 20; i++) await Promise.resolve();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an update to an idle room is stored and sent within its own turn', async () => {
	const { room, join } = await setUp();
	const a = join('a');
	const b = join('b');
	const w = writer('p-a');
	await sleep(20);

	let turnEnded = false;
	setImmediate(() => (turnEnded = true));
	room.handleMessage(a.conn, w.post());
	await microtasks();
	expect(turnEnded).toBe(false);
	expect(b.socket.updates()).toHaveLength(1);
	// Applied as well: the room's document has it, and the sender's `saved` went out.
	expect(listIdeas(room.doc)).toHaveLength(1);
	expect(a.socket.sent.some((m) => m[0] === 100)).toBe(true);
});

test('updates arriving while a run is busy share one frame, and each is checked against the ones before', async () => {
	const { room, join } = await setUp();
	const a = join('a');
	const b = join('b');
	const c = join('c');
	const wa = writer('p-a');
	const wb = writer('p-b');
	await sleep(20);

	// The first starts at once; the other three arrive in the same turn, while it is stored.
	room.handleMessage(a.conn, wa.post());
	room.handleMessage(b.conn, wb.post());
	// Depends on a's previous update (the next clock of the same client): refused as a gap
	// unless that one was applied first.
	room.handleMessage(a.conn, wa.post());
	room.handleMessage(b.conn, wb.post());
	await room.idle();

	expect(c.socket.updates()).toHaveLength(2);
	expect(a.conn.closed || b.conn.closed).toBe(false);
	expect(listIdeas(room.doc)).toHaveLength(4);
	const replica = new Y.Doc();
	for (const m of c.socket.updates()) {
		Y.applyUpdate(replica, decoding.readVarUint8Array(decoding.createDecoder(m.subarray(2))));
	}
	expect(Y.encodeStateVector(replica)).toEqual(Y.encodeStateVector(room.doc));
});

test('a busy room keeps batching: the next update waits for the end of the turn', async () => {
	const { room, join } = await setUp();
	const a = join('a');
	const b = join('b');
	const w = writer('p-a');
	room.handleMessage(a.conn, w.post());
	await room.idle();
	const before = b.socket.updates().length;

	// Right after a run: not idle long enough to skip the batching.
	let turnEnded = false;
	setImmediate(() => (turnEnded = true));
	room.handleMessage(a.conn, w.post());
	await microtasks();
	expect(turnEnded).toBe(false);
	expect(b.socket.updates()).toHaveLength(before);
	await room.idle();
	expect(b.socket.updates()).toHaveLength(before + 1);
});
