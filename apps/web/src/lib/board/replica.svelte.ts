/**
 * One local replica of a session document: a Y.Doc, its websocket provider
 * and awareness. A replica is disposable: when the server refuses it
 * (RESET_CODES) the board client throws it away and starts a fresh one.
 *
 * Nothing of the doc is copied into `$state`: readers re-run when the doc
 * changes (a version signal) or awareness or the connection emits (through
 * `createSubscriber`, the svelte.dev `Persisted` pattern), and re-read the
 * views then.
 */
import {
	MESSAGE,
	changedDoc,
	createBoardDoc,
	createDeskDoc,
	listIdeas,
	type Idea
} from '@kipina/board';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { on } from 'svelte/events';
import { createSubscriber } from 'svelte/reactivity';
import { WebsocketProvider } from 'y-websocket';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { NO_IDS, diffIdeas } from './arrivals';
import { WebSocketOrEarly } from '$lib/early';
import { listenToLocalUpdates } from './localUpdates';
import type { ConnectionFacts, SocketStatus } from './connection';
import { unconfirmed, type PendingChange } from './pending';
import { SavedClocks } from './saved';

export interface AwarenessUser {
	participantId: string;
	name: string;
	industry: string;
}

export interface ReplicaOptions {
	/** Base of the sync endpoint, e.g. `wss://kipina.example/sync`. */
	syncUrl: string;
	/**
	 * The document's name on the sync endpoint: the session id for the board,
	 * `<sessionId>/desk/<participantId>` for a participant's private desk.
	 */
	room: string;
	/** A session document (the board), or a desk document (private ideas of one participant). */
	kind?: 'board' | 'desk';
	/** Who this device is, for presence; desks show no presence. */
	user?: AwarenessUser;
	/** The server closed the socket with an application code (4xxx). */
	onServerClose: (code: number) => void;
	/** Ideas that appeared through a live update from someone else (not the initial load). */
	onRemoteIdeas?: (ideas: Idea[]) => void;
	/** The first sync with the server completed (the replica now holds the server's state). */
	onFirstSync?: () => void;
}

export class Replica {
	readonly doc: Y.Doc;
	readonly provider: WebsocketProvider;
	readonly #awareness: Awareness;
	readonly #saved = new SavedClocks();
	#everSynced = false;
	#notifyStatus: (() => void) | null = null;
	/** Bumped on every doc update; lets views be cached between updates. */
	#version = 0;
	#ideasCache: { version: number; ideas: Idea[] } | null = null;
	#knownIdeaIds: ReadonlySet<string> = NO_IDS;
	/** Text written here and not yet confirmed by the server (see pending.ts). */
	#pending: PendingChange[] = [];

	/**
	 * The doc's version as a signal: reading it (`subscribeDoc`) makes a reaction re-run after
	 * the next update. A plain signal, not `createSubscriber`: every idea card reads the doc
	 * several times, and each `createSubscriber` read inside an effect creates an effect of
	 * its own (tens of thousands on a big board).
	 */
	#docVersion = $state(0);

	/** Makes the current reaction re-run when the doc changes. */
	readonly subscribeDoc = (): void => {
		void this.#docVersion;
	};

	readonly subscribeAwareness = createSubscriber((update) => {
		const handler = () => update();
		this.#awareness.on('change', handler);
		return () => this.#awareness.off('change', handler);
	});

	readonly subscribeStatus = createSubscriber((update) => {
		this.#notifyStatus = update;
		const events = ['status', 'sync', 'connection-close', 'connection-error'] as const;
		for (const event of events) this.provider.on(event, update);
		const offUpdate = on(this.docEvents, 'update', update);
		const offOnline = on(window, 'online', update);
		const offOffline = on(window, 'offline', update);
		return () => {
			this.#notifyStatus = null;
			for (const event of events) this.provider.off(event, update);
			offUpdate();
			offOnline();
			offOffline();
		};
	});

	/** Re-dispatches doc updates as DOM events, so `svelte/events` can manage listeners. */
	readonly docEvents = new EventTarget();

	constructor(options: ReplicaOptions) {
		// A desk document has only the `ideas` root, with the same schema as the board's.
		this.doc = options.kind === 'desk' ? createDeskDoc() : createBoardDoc();
		this.#awareness = new Awareness(this.doc);
		if (options.user) this.#awareness.setLocalStateField('user', options.user);
		const onRemoteIdeas = options.onRemoteIdeas;
		// 'afterTransaction', not 'update': listening to 'update' makes Yjs encode every
		// transaction, and the provider's sync step 2 would be encoded again for nothing.
		this.doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (!changedDoc(tr)) return;
			this.#version++;
			this.#docVersion++;
			if (onRemoteIdeas) this.#detectRemoteIdeas(tr.origin, onRemoteIdeas);
			this.docEvents.dispatchEvent(new Event('update'));
		});

		this.provider = new WebsocketProvider(options.syncUrl, options.room, this.doc, {
			awareness: this.#awareness,
			params: { saved: '1' },
			disableBc: true,
			// The board's socket may already be open and holding the board (see $lib/early.ts).
			WebSocketPolyfill: WebSocketOrEarly
			// The stock shouldReconnect stops on 4400–4499 ("reconnecting cannot fix this") and
			// retries everything else, e.g. 4529 (rate limited); the board client decides what
			// to do after a stop (see docs/protocol.md, close codes).
		});
		// The provider sends local changes only; it need not have the ones it applied encoded.
		this.doc.off('update', this.provider._updateHandler);
		this.#stopLocalUpdates = listenToLocalUpdates(
			this.doc,
			this.provider,
			this.provider._updateHandler
		);
		this.provider.messageHandlers[MESSAGE.saved] = (_encoder, decoder) => {
			const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			if (!this.#saved.merge(stateVector)) return;
			this.#pending = this.unconfirmedChanges();
			this.#notifyStatus?.();
		};
		this.provider.on('sync', (synced: boolean) => {
			if (!synced || this.#everSynced) return;
			this.#everSynced = true;
			options.onFirstSync?.();
		});
		this.provider.on('connection-close', (event: CloseEvent | null) => {
			if (event && event.code >= 4000) options.onServerClose(event.code);
		});
		this.#stopNetworkWatch = this.#watchNetwork();
		this.#stopOwnPresence = this.#sendOnlyOwnPresence();
	}

	readonly #stopNetworkWatch: () => void;
	readonly #stopLocalUpdates: () => void;
	readonly #stopOwnPresence: () => void;

	/**
	 * The stock provider forwards every awareness change it sees, other
	 * people's included. Send only our own entry: others' entries are theirs
	 * to send. (Relayed entries are noise for the server to sort out, and a
	 * relayed removal after someone's connection dropped could make the
	 * server bind their presence to us.)
	 */
	#sendOnlyOwnPresence(): () => void {
		const { provider, doc } = this;
		this.#awareness.off('update', provider._awarenessUpdateHandler);
		const sendOwn = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
			const changed = [...changes.added, ...changes.updated, ...changes.removed];
			if (!changed.includes(doc.clientID)) return;
			const ws = provider.ws;
			if (!provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE.awareness);
			encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(this.#awareness, [doc.clientID]));
			ws.send(encoding.toUint8Array(encoder));
		};
		this.#awareness.on('update', sendOwn);

		// When a connection closes, the server removes its presence and records the removal at
		// our clock + 1; y-protocols then ignores a state with a clock that is not higher. So on
		// every (re)connection, move our clock past it before the provider announces us.
		const onStatus = ({ status }: { status: string }) => {
			if (status !== 'connected') return;
			const state = this.#awareness.getLocalState();
			if (state === null) return;
			this.#awareness.setLocalState({ ...state });
			this.#awareness.setLocalState({ ...state });
		};
		provider.on('status', onStatus);
		return () => {
			this.#awareness.off('update', sendOwn);
			provider.off('status', onStatus);
		};
	}

	/**
	 * Follow the browser's view of the network instead of waiting for the
	 * provider's 30 s silence timeout: drop a socket that cannot work any more,
	 * and reconnect at once (skipping the back-off) when the network returns.
	 */
	#watchNetwork(): () => void {
		const offOffline = on(window, 'offline', () => this.provider.ws?.close());
		const offOnline = on(window, 'online', () => {
			// Waiting out a back-off (no socket): try now. A socket mid-handshake is left alone.
			if (this.provider.shouldConnect && this.provider.ws === null) this.provider.connect();
		});
		return () => {
			offOffline();
			offOnline();
		};
	}

	/** All ideas, oldest first; the same array until the doc changes. */
	ideas(): Idea[] {
		if (this.#ideasCache?.version !== this.#version) {
			this.#ideasCache = { version: this.#version, ideas: listIdeas(this.doc) };
		}
		return this.#ideasCache.ideas;
	}

	/** Remembers text just written by a command, until the server confirms it. */
	record(change: Omit<PendingChange, 'clock'>): void {
		this.#pending.push({ ...change, clock: Y.getState(this.doc.store, this.doc.clientID) });
	}

	unconfirmedChanges(): PendingChange[] {
		return unconfirmed(this.#pending, this.#saved.clockFor(this.doc.clientID));
	}

	/** Sets a field of this device's presence (e.g. the idea it is dragging; `null` clears it). */
	setPresence(field: string, value: unknown): void {
		if (this.#awareness.getLocalState()?.[field] === value) return;
		this.#awareness.setLocalStateField(field, value);
	}

	/** Completed a sync with the server at least once (it holds the server's state). */
	get everSynced(): boolean {
		return this.#everSynced;
	}

	awarenessStates(): Iterable<unknown> {
		return this.#awareness.getStates().values();
	}

	facts(): ConnectionFacts {
		const { provider, doc } = this;
		const socket: SocketStatus = provider.wsconnected
			? 'connected'
			: provider.wsconnecting
				? 'connecting'
				: 'disconnected';
		return {
			socket,
			synced: provider.synced,
			everSynced: this.#everSynced,
			failedAttempts: provider.wsUnsuccessfulReconnects,
			browserOnline: typeof navigator === 'undefined' ? true : navigator.onLine,
			localClock: Y.getState(doc.store, doc.clientID),
			savedClock: this.#saved.clockFor(doc.clientID)
		};
	}

	/** Stops reconnecting after the server said it is pointless. */
	stop(): void {
		this.provider.disconnect();
	}

	destroy(): void {
		this.#stopLocalUpdates();
		this.#stopNetworkWatch();
		this.#stopOwnPresence();
		this.provider.destroy();
		this.#awareness.destroy();
		this.doc.destroy();
	}

	/**
	 * A live update from the server while synced is something another person
	 * just did. Updates that arrive during a (re)sync are history, not news.
	 */
	#detectRemoteIdeas(origin: unknown, report: (ideas: Idea[]) => void): void {
		const live = origin === this.provider && this.provider.synced;
		const { added, known } = diffIdeas(this.#knownIdeaIds, this.ideas());
		this.#knownIdeaIds = known;
		if (live && added.length > 0) report(added);
	}
}
