/**
 * Filling an evening from Node, without a browser per person: participants
 * join through the HTTP API and connect with the stock y-websocket provider
 * (`?token=`), then use `@kipina/board` commands like the app does. Used by
 * the projector tests, the screenshots and the UI load measurement.
 */
import {
	addIdea,
	createBoardDoc,
	createDeskDoc,
	setPhase,
	setSetting,
	setSpotlight,
	startTimer,
	vote,
	type Participant,
	type Phase,
	type Settings,
	type Spotlight
} from '@kipina/board';
import type { BrowserContext } from '@playwright/test';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

export interface Person {
	name: string;
	industry: string;
}

export interface Seat {
	token: string;
	participant: Participant;
}

export interface Evening extends Seat {
	id: string;
	title: string;
}

const baseURL = () => {
	const url = process.env.KIPINA_BASE_URL;
	if (!url) throw new Error('KIPINA_BASE_URL is not set (the global setup sets it)');
	return url;
};

/**
 * Starts an evening in a browser context: it gets the facilitator's cookie
 * (so its pages open the board and the big screen), the caller the token.
 */
export async function startEveningIn(
	context: BrowserContext,
	title: string,
	person: Person
): Promise<Evening> {
	const response = await context.request.post('/api/sessions', {
		data: { title, ...person },
		headers: { origin: baseURL() }
	});
	if (!response.ok()) throw new Error(`POST /api/sessions: ${response.status()}`);
	const body = (await response.json()) as { id: string; token: string; participant: Participant };
	return { id: body.id, title, token: body.token, participant: body.participant };
}

/**
 * Joins `person` to the evening over HTTP. `forwardedFor` spreads the
 * server's per-address write limit when it trusts a proxy (the load test).
 */
export async function joinAs(
	sessionId: string,
	person: Person,
	options: { server?: string; forwardedFor?: string } = {}
): Promise<Seat> {
	const server = options.server ?? baseURL();
	const response = await fetch(`${server}/api/sessions/${sessionId}/participants`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			origin: server,
			...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {})
		},
		body: JSON.stringify(person)
	});
	if (!response.ok)
		throw new Error(`join ${person.name}: ${response.status} ${await response.text()}`);
	const body = (await response.json()) as { token: string; participant: Participant };
	return { token: body.token, participant: body.participant };
}

/** One participant's device, in Node: a replica of the board and its provider. */
export class Remote {
	readonly doc: Y.Doc = createBoardDoc();
	readonly provider: WebsocketProvider;
	readonly synced: Promise<void>;
	#desk: { doc: Y.Doc; provider: WebsocketProvider } | null = null;

	constructor(
		readonly sessionId: string,
		readonly seat: Seat,
		readonly server = baseURL()
	) {
		this.provider = this.#connect(sessionId, this.doc);
		// A first awareness state (clock 0) is ignored by y-protocols on the other side; the app
		// sets `user` at once, so do the same (the server replaces it with the real identity).
		this.provider.awareness.setLocalStateField('user', { name: seat.participant.name });
		this.synced = whenSynced(this.provider);
	}

	#connect(room: string, doc: Y.Doc): WebsocketProvider {
		return new WebsocketProvider(`${this.server.replace(/^http/, 'ws')}/sync`, room, doc, {
			params: { token: this.seat.token },
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true
		});
	}

	static async connect(sessionId: string, seat: Seat, server?: string): Promise<Remote> {
		const remote = new Remote(sessionId, seat, server);
		await remote.synced;
		return remote;
	}

	get actor() {
		const { id, role, industry } = this.seat.participant;
		return { participantId: id, role, industry };
	}

	post(text: string, now?: number): string {
		return addIdea(this.doc, this.actor, text, now);
	}

	/** Writes an idea on this participant's private desk (private writing). */
	async postPrivately(text: string): Promise<string> {
		if (!this.#desk) {
			const doc = createDeskDoc();
			const provider = this.#connect(`${this.sessionId}/desk/${this.seat.participant.id}`, doc);
			this.#desk = { doc, provider };
			await whenSynced(provider);
		}
		return addIdea(this.#desk.doc, this.actor, text);
	}

	vote(ideaId: string): void {
		vote(this.doc, this.seat.participant.id, ideaId, 1);
	}

	/** What the app's drag sets on this device's presence. */
	dragging(ideaId: string | null): void {
		this.provider.awareness.setLocalStateField('dragging', ideaId);
	}

	/** Resolves once `ready(doc)` holds on this replica (after remote updates arrive). */
	until(ready: (doc: Y.Doc) => boolean, timeoutMs = 10_000): Promise<void> {
		return new Promise((resolve, reject) => {
			if (ready(this.doc)) return resolve();
			const timer = setTimeout(() => {
				this.doc.off('update', check);
				reject(new Error('the replica did not get there in time'));
			}, timeoutMs);
			const check = () => {
				if (!ready(this.doc)) return;
				clearTimeout(timer);
				this.doc.off('update', check);
				resolve();
			};
			this.doc.on('update', check);
		});
	}

	/** Runs any board command on this replica. */
	run<T>(command: (doc: Y.Doc) => T): T {
		return command(this.doc);
	}

	// Facilitator commands (the server refuses them from anyone else).
	phase(phase: Phase): void {
		setPhase(this.doc, phase);
	}

	setting<K extends keyof Settings>(key: K, value: Settings[K]): void {
		setSetting(this.doc, key, value);
	}

	spotlight(target: Spotlight | null): void {
		setSpotlight(this.doc, target);
	}

	timer(durationMs: number, serverNow: number): void {
		startTimer(this.doc, durationMs, serverNow);
	}

	close(): void {
		this.#desk?.provider.destroy();
		this.provider.destroy();
		this.doc.destroy();
	}
}

function whenSynced(provider: WebsocketProvider): Promise<void> {
	return new Promise((resolve) => {
		if (provider.synced) return resolve();
		const onSync = (synced: boolean) => {
			if (!synced) return;
			provider.off('sync', onSync);
			resolve();
		};
		provider.on('sync', onSync);
	});
}

/** The server's clock, as the app reads it. */
export async function serverNow(server = baseURL()): Promise<number> {
	const response = await fetch(`${server}/api/time`);
	return ((await response.json()) as { now: number }).now;
}

/** Industries and names for made-up crowds. */
export const CROWD: readonly Person[] = [
	{ name: 'Aino Korhonen', industry: 'matkailu' },
	{ name: 'Ville Nieminen', industry: 'leipomo' },
	{ name: 'Sanna Mäkinen', industry: 'kirjanpito' },
	{ name: 'Jussi Lehtonen', industry: 'IT' },
	{ name: 'Eeva Virtanen', industry: 'kauneudenhoito' },
	{ name: 'Olli Heikkinen', industry: 'valokuvaus' },
	{ name: 'Maija Laine', industry: 'käsityöt' },
	{ name: 'Pekka Koskinen', industry: 'rakentaminen' },
	{ name: 'Liisa Järvinen', industry: 'ravintola' },
	{ name: 'Timo Salonen', industry: 'kuljetus' }
];

export function crowd(n: number): Person[] {
	return Array.from({ length: n }, (_, i) => {
		const base = CROWD[i % CROWD.length]!;
		return i < CROWD.length ? base : { ...base, name: `${base.name.split(' ')[0]} ${i + 1}` };
	});
}
