/**
 * Shared by the archive tests: a real server (SQLite, sockets) started once
 * per test file, and a group evening with ideas, a cluster, votes and an
 * action to close, export, carry over or leave.
 */
import {
	addIdea,
	createAction,
	createBoardDoc,
	createCluster,
	listIdeas,
	vote,
	type SessionSummary
} from '@kipina/board';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SqliteStorage } from '../src/storage/SqliteStorage.js';
import { RATE_LIMITS } from '../src/limits.js';
import type { KipinaServer } from '../src/server.js';
import {
	Device,
	createGroup,
	openLink,
	startGroupSession,
	type TestGroup
} from './groups.helpers.js';
import { connect, isSaved, startTestServer, synced, waitFor, type Client } from './helpers.js';

export let server: KipinaServer;
const clients: Client[] = [];
export const open = (sessionId: string, token: string, room = sessionId) => {
	const c = connect(server.port, { sessionId, token }, createBoardDoc(), room);
	clients.push(c);
	return c;
};
export const db = (s: KipinaServer): Database.Database =>
	(s.storage as unknown as { db: Database.Database }).db;
export const logs = (s: KipinaServer) => (s.storage as SqliteStorage).logs;
/** Bytes of the update logs of a session's documents (board and desks). */
export const logFileBytes = (s: KipinaServer, sessionId: string) =>
	Buffer.concat(
		logs(s)
			.documents()
			.filter((id) => id === sessionId || id.startsWith(`${sessionId}/`))
			.map((id) => fs.readFileSync(logs(s).fileOf(id)))
	);
export const limits = { ...RATE_LIMITS, httpWrites: { capacity: 10_000, perSecond: 1000 } };

/** Starts the file's server before its tests and stops it (and every client) after. */
export function useArchiveServer(): void {
	beforeAll(async () => {
		server = await startTestServer({ rateLimits: limits });
	});
	afterAll(async () => {
		for (const c of clients) c.destroy();
		await server.close();
	});
}

export interface Evening {
	g: TestGroup;
	sessionId: string;
	guestLink: string;
	ville: Device;
	villeToken: string;
	villeId: string;
	fac: Client;
	ideas: Record<'van' | 'formula' | 'quote' | 'link', string>;
	actionId: string;
}

/**
 * A group evening: the facilitator and Ville (a member) post ideas, cluster,
 * vote and plan an action. Nasty texts included, for the exports.
 */
export async function evening(): Promise<Evening> {
	const g = await createGroup(server.url);
	const ville = new Device();
	const v = await openLink(server.url, g.groupId, g.links.invite, ville);
	const { sessionId, guestLink } = await startGroupSession(server.url, g);
	const villeMe = await ville.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
	const facMe = await g.facilitator.call(server.url, 'GET', `/api/sessions/${sessionId}/me`);
	const villeId = villeMe.json.participant.id as string;
	const facId = facMe.json.participant.id as string;

	const vc = open(sessionId, v.token);
	const fac = open(sessionId, g.facilitatorToken);
	await Promise.all([synced(vc), synced(fac)]);
	const villeAuthor = { participantId: villeId, industry: 'leipomo' };
	const facAuthor = { participantId: facId, industry: 'matkailu' };
	const van = addIdea(vc.doc, villeAuthor, 'Yhteinen jakeluauto – säästöä kaikille');
	const formula = addIdea(vc.doc, villeAuthor, '=HYPERLINK("http://evil.example","klikkaa")');
	const quote = addIdea(fac.doc, facAuthor, 'Asiakkaat sanovat "wau"; myös äiti');
	const link = addIdea(
		fac.doc,
		facAuthor,
		'[klikkaa](http://evil.example) <b>lihava</b> # otsikko'
	);
	await waitFor(() => listIdeas(fac.doc).length === 4, 'ideas everywhere');
	createCluster(fac.doc, facId, [van, quote], 'Logistiikka');
	for (const idea of [van, van, quote]) vote(fac.doc, facId, idea, 1);
	const actionId = createAction(fac.doc, facId, {
		text: 'Kysy hintaa jakeluautosta',
		source: { kind: 'idea', id: van },
		ownerIds: [villeId]
	});
	await waitFor(() => isSaved(fac) && isSaved(vc), 'saved');
	return {
		g,
		sessionId,
		guestLink,
		ville,
		villeToken: v.token,
		villeId,
		fac,
		ideas: { van, formula, quote, link },
		actionId
	};
}

export async function close(e: Evening) {
	const res = await e.g.facilitator.call(
		server.url,
		'POST',
		`/api/sessions/${e.sessionId}/close`,
		{}
	);
	expect(res.status, JSON.stringify(res.json)).toBe(200);
	return res.json as { closedAt: number; summary: SessionSummary };
}

/** The session's document as stored (snapshot and log). */
export async function readStored(sessionId: string): Promise<Y.Doc> {
	const stored = await server.storage.loadDocument(sessionId);
	const doc = createBoardDoc();
	if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
	for (const u of stored.updates) Y.applyUpdate(doc, u);
	return doc;
}
