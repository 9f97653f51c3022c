/**
 * Test helpers: real servers on port 0, real y-websocket providers over real
 * sockets. Nothing is mocked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBoardDoc } from '@kipina/board';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { readVarUint8Array } from 'lib0/decoding';
import * as Y from 'yjs';
import type { Config } from '../src/config.js';
import { RATE_LIMITS } from '../src/limits.js';
import { createLogger } from '../src/logger.js';
import { startServer, type KipinaServer } from '../src/server.js';

// Every stock provider adds a process 'exit' listener.
process.setMaxListeners(200);

export function tempDir(prefix = 'kipina-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(overrides: Partial<Config> = {}): Config {
	return {
		port: 0,
		host: '127.0.0.1',
		dataDir: tempDir(),
		allowedOrigins: [],
		trustProxy: false,
		logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
		webBuildDir: null,
		roomUnloadGraceMs: 50,
		compaction: {
			ratio: 1.5,
			minBytes: 256 * 1024,
			maxEntries: 10_000,
			quietMs: 250,
			urgentFactor: 4
		},
		batchWindowMs: 0,
		maxPayload: 2 * 1024 * 1024,
		rateLimits: RATE_LIMITS,
		...overrides
	};
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<KipinaServer> {
	const config = testConfig(overrides);
	return startServer(config, createLogger(config.logLevel));
}

export interface Joined {
	sessionId: string;
	token: string;
	participantId: string;
	industry: string;
}

export async function api(
	base: string,
	method: string,
	route: string,
	body?: unknown,
	headers: Record<string, string> = {}
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
): Promise<{ status: number; json: any; headers: Headers }> {
	const res = await fetch(base + route, {
		method,
		headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function createSession(
	base: string,
	title = 'Ydinryhmä',
	name = 'Fasilitaattori',
	industry = 'valmennus'
): Promise<Joined> {
	const res = await api(base, 'POST', '/api/sessions', { title, name, industry });
	if (res.status !== 201)
		throw new Error(`create session: ${res.status} ${JSON.stringify(res.json)}`);
	return {
		sessionId: res.json.id,
		token: res.json.token,
		participantId: res.json.participant.id,
		industry
	};
}

export async function joinSession(
	base: string,
	sessionId: string,
	name: string,
	industry: string
): Promise<Joined> {
	const res = await api(base, 'POST', `/api/sessions/${sessionId}/participants`, {
		name,
		industry
	});
	if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.json)}`);
	return { sessionId, token: res.json.token, participantId: res.json.participantId, industry };
}

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	closes: { code: number; reason: string }[];
	/** Latest `saved` clocks by client id. */
	saved: Map<number, number>;
	destroy(): void;
}

/** Connects a stock provider to a session's board, or with `room` to another document (a desk). */
export function connect(
	port: number,
	who: Pick<Joined, 'sessionId' | 'token'>,
	doc = createBoardDoc(),
	room = who.sessionId
): Client {
	const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
		WebSocketPolyfill: WebSocket as never,
		params: { token: who.token, saved: '1' },
		disableBc: true,
		maxBackoffTime: 200
	});
	const client: Client = {
		doc,
		provider,
		closes: [],
		saved: new Map(),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
	provider.on('connection-close', (event) => {
		if (event) client.closes.push({ code: event.code, reason: event.reason });
	});
	provider.messageHandlers[100] = (_encoder, decoder) => {
		// Same wire format as docs/protocol.md: a state vector in a varUint8Array.
		const bytes = readVarUint8Array(decoder);
		for (const [c, clock] of Y.decodeStateVector(bytes)) client.saved.set(c, clock);
	};
	return client;
}

/** True when everything this client wrote is acknowledged as stored. */
export function isSaved(client: Client): boolean {
	const mine = Y.getState(client.doc.store, client.doc.clientID);
	return (client.saved.get(client.doc.clientID) ?? 0) >= mine;
}

export async function waitFor(
	condition: () => boolean,
	what = 'condition',
	timeoutMs = 10_000
): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export function synced(client: Client): Promise<void> {
	return waitFor(() => client.provider.synced, 'sync');
}
