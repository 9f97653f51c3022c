/**
 * The board as the UI sees it: reactive reads of board views and the board
 * commands, for one participant in one session. Components never touch Yjs;
 * they read getters here and call the methods.
 */
import {
	CLOSE,
	FATAL_CODES,
	RESET_CODES,
	addIdea,
	canModifyIdea,
	closedAt,
	deleteIdea,
	editIdea,
	getIdea,
	getParticipant,
	getSessionInfo,
	industryCount,
	type Actor,
	type Idea,
	type Participant,
	type SessionInfo
} from '@kipina/board';
import { createContext } from 'svelte';
import type * as Y from 'yjs';
import { deriveConnectionState, hasUnsavedChanges, type ConnectionState } from './connection';
import { onlineUsers, type OnlineUser } from './online';
import { triage, type PendingChange } from './pending';
import { Replica } from './replica.svelte';

/** Why the board cannot go on: the page shows the join form or "not found" instead. */
export type FatalReason = 'unauthenticated' | 'not-found';

/** Why the board was reloaded from the server, and whether unsaved text was sent again. */
export type BoardNotice = 'reset' | 'reset-replayed';

export interface Arrival {
	/** Increases with every arrival, so the same text can be announced twice. */
	seq: number;
	ideaId: string;
	authorName: string;
	text: string;
}

export interface BoardClientOptions {
	sessionId: string;
	me: Participant;
	/** Origin of the sync endpoint; defaults to this page's origin with ws(s):. */
	syncOrigin?: string;
	onFatal: (reason: FatalReason) => void;
}

/** y-websocket's convention, which the server follows: 4400–4499 are not retried. */
function isPermanentClose(code: number): boolean {
	return code >= 4400 && code < 4500;
}

/** Resets in a row are spaced out, in case a server keeps refusing a fresh replica. */
const RESET_DELAYS_MS = [0, 1000, 3000, 10000];
const RESET_MEMORY_MS = 60_000;

export class BoardClient {
	readonly sessionId: string;
	readonly me: Participant;
	readonly #actor: Actor;
	readonly #syncUrl: string;
	readonly #onFatal: (reason: FatalReason) => void;
	#replica = $state.raw<Replica>() as Replica;
	#notice = $state<BoardNotice | null>(null);
	/** Text that could not be saved, handed back to the user to post again or copy. */
	#rescued = $state<string[]>([]);
	/** The server said the session is closed (4410) before our replica saw `meta.closed`. */
	#closedByServer = $state(false);
	#arrival = $state.raw<Arrival | null>(null);
	#arrivalSeq = 0;
	/** Results of `view`, per reading function, for the current replica until its doc changes. */
	#views: { replica: Replica | null; cache: Map<unknown, unknown> } = {
		replica: null,
		// A plain cache on purpose: the doc subscription is what readers track, not the cache.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		cache: new Map()
	};
	#recentResets: number[] = [];
	#resetTimer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(options: BoardClientOptions) {
		this.sessionId = options.sessionId;
		this.me = options.me;
		this.#actor = {
			participantId: options.me.id,
			role: options.me.role,
			industry: options.me.industry
		};
		const origin = options.syncOrigin ?? location.origin.replace(/^http/, 'ws');
		this.#syncUrl = `${origin}/sync`;
		this.#onFatal = options.onFatal;
		this.#replica = this.#createReplica();
	}

	get isFacilitator(): boolean {
		return this.me.role === 'facilitator';
	}

	/** A closed (archived) evening is read-only: nothing can be posted, edited or deleted. */
	get isClosed(): boolean {
		if (this.#closedByServer) return true;
		const replica = this.#replica;
		replica.subscribeDoc();
		return closedAt(replica.doc) !== null;
	}

	/** All ideas, oldest first. */
	get ideas(): Idea[] {
		const replica = this.#replica;
		replica.subscribeDoc();
		return replica.ideas();
	}

	get industryCount(): number {
		return industryCount(this.ideas);
	}

	get info(): SessionInfo {
		const replica = this.#replica;
		replica.subscribeDoc();
		return getSessionInfo(replica.doc);
	}

	/** The name to show for an author; `null` when the profile has not arrived (yet). */
	authorName(participantId: string): string | null {
		const replica = this.#replica;
		replica.subscribeDoc();
		return getParticipant(replica.doc, participantId)?.name ?? null;
	}

	authorRole(participantId: string): Participant['role'] | null {
		const replica = this.#replica;
		replica.subscribeDoc();
		return getParticipant(replica.doc, participantId)?.role ?? null;
	}

	/**
	 * Reads a view of the session document (a function from `@kipina/board`),
	 * reactively. Results are cached per function until the document changes,
	 * so pass a function defined once, not an inline one.
	 */
	view<T>(read: (doc: Y.Doc) => T): T {
		const replica = this.#replica;
		replica.subscribeDoc();
		if (this.#views.replica !== replica) {
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const cache = new Map<unknown, unknown>();
			replica.docEvents.addEventListener('update', () => cache.clear());
			this.#views = { replica, cache };
		}
		const { cache } = this.#views;
		if (cache.has(read)) return cache.get(read) as T;
		const value = read(replica.doc);
		cache.set(read, value);
		return value;
	}

	/** Reads the awareness states (who is here, what they drag), reactively. */
	presence<T>(read: (states: Iterable<unknown>) => T): T {
		const replica = this.#replica;
		replica.subscribeAwareness();
		return read(replica.awarenessStates());
	}

	/** People with the board open now, one entry each, yourself first. */
	get online(): OnlineUser[] {
		const replica = this.#replica;
		replica.subscribeAwareness();
		return onlineUsers(replica.awarenessStates(), this.me.id);
	}

	get connection(): ConnectionState {
		const replica = this.#replica;
		replica.subscribeStatus();
		return deriveConnectionState(replica.facts());
	}

	/** Changes made here that the server has not confirmed as stored. */
	get hasUnsaved(): boolean {
		const replica = this.#replica;
		replica.subscribeStatus();
		return hasUnsavedChanges(replica.facts());
	}

	get notice(): BoardNotice | null {
		return this.#notice;
	}

	dismissNotice(): void {
		this.#notice = null;
	}

	get rescued(): readonly string[] {
		return this.#rescued;
	}

	/** Keeps text the board could not save (e.g. an edit of an idea deleted meanwhile). */
	rescue(text: string): void {
		if (text.trim() && !this.#rescued.includes(text)) this.#rescued = [...this.#rescued, text];
	}

	/** Posts rescued text as a new idea; throws `CommandError` like `post`. */
	postRescued(index: number): void {
		const text = this.#rescued[index];
		if (text === undefined) return;
		this.post(text);
		this.#rescued = this.#rescued.filter((_, i) => i !== index);
	}

	dismissRescued(): void {
		this.#rescued = [];
	}

	/** The latest idea someone else posted while we were watching. */
	get arrival(): Arrival | null {
		return this.#arrival;
	}

	canModify(idea: Pick<Idea, 'authorId'>): boolean {
		return !this.isClosed && canModifyIdea(this.#actor, idea);
	}

	/** Posts an idea; throws `CommandError` (empty, too long) and changes nothing then. */
	post(text: string): string {
		const replica = this.#replica;
		const ideaId = addIdea(replica.doc, this.#actor, text);
		this.#remember(replica, 'add', ideaId, 0);
		return ideaId;
	}

	/** Throws `CommandError` with code `not-found` when the idea was deleted meanwhile. */
	edit(ideaId: string, text: string): void {
		const replica = this.#replica;
		editIdea(replica.doc, ideaId, text);
		this.#remember(replica, 'edit', ideaId, 0);
	}

	#remember(replica: Replica, kind: PendingChange['kind'], ideaId: string, attempt: number) {
		const idea = getIdea(replica.doc, ideaId);
		if (idea) replica.record({ kind, ideaId, text: idea.text, createdAt: idea.createdAt, attempt });
	}

	remove(ideaId: string): void {
		deleteIdea(this.#replica.doc, ideaId);
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#resetTimer);
		this.#replica.destroy();
	}

	#createReplica(replay: readonly PendingChange[] = []): Replica {
		return new Replica({
			onFirstSync: () => this.#replay(replay),
			syncUrl: this.#syncUrl,
			sessionId: this.sessionId,
			user: { participantId: this.me.id, name: this.me.name, industry: this.me.industry },
			onServerClose: (code) => this.#onServerClose(code),
			onRemoteIdeas: (ideas) => this.#onRemoteIdeas(ideas)
		});
	}

	#onServerClose(code: number): void {
		if (this.#destroyed) return;
		if (code === CLOSE.sessionClosed) {
			// Keep showing what we have, read-only; there is nothing to reconnect to.
			this.#replica.stop();
			this.#closedByServer = true;
		} else if (FATAL_CODES.has(code)) {
			this.#replica.stop();
			this.#onFatal(code === CLOSE.unknownSession ? 'not-found' : 'unauthenticated');
		} else if (RESET_CODES.has(code) || isPermanentClose(code)) {
			// A refused or out-of-sync replica cannot continue; neither can one the server found
			// malformed (4400) or any other 44xx the provider will not retry. Start afresh.
			// Not from inside the provider's close handler, which still has work to do.
			clearTimeout(this.#resetTimer);
			this.#resetTimer = setTimeout(() => this.#reset(), this.#nextResetDelay());
		}
	}

	#nextResetDelay(): number {
		const now = Date.now();
		this.#recentResets = this.#recentResets.filter((t) => now - t < RESET_MEMORY_MS);
		this.#recentResets.push(now);
		const index = Math.min(this.#recentResets.length - 1, RESET_DELAYS_MS.length - 1);
		return RESET_DELAYS_MS[index] ?? 0;
	}

	/**
	 * The server refused this replica: start again from the server's state.
	 * Unconfirmed text is replayed once on the fresh replica; text that was
	 * replayed before and refused again goes back to the user.
	 */
	#reset(): void {
		if (this.#destroyed) return;
		const old = this.#replica;
		const { replay, giveBack } = triage(old.unconfirmedChanges());
		old.destroy();
		for (const change of giveBack) this.rescue(change.text);
		this.#replica = this.#createReplica(replay);
		this.#notice = replay.length > 0 ? 'reset-replayed' : 'reset';
	}

	/** Runs once the fresh replica holds the server's state, so edits find their ideas. */
	#replay(changes: readonly PendingChange[]): void {
		const replica = this.#replica;
		for (const change of changes) {
			try {
				if (change.kind === 'add') {
					const ideaId = addIdea(replica.doc, this.#actor, change.text, change.createdAt);
					this.#remember(replica, 'add', ideaId, change.attempt + 1);
					continue;
				}
				const current = getIdea(replica.doc, change.ideaId);
				if (!current || !canModifyIdea(this.#actor, current)) {
					this.rescue(change.text);
				} else if (current.text !== change.text) {
					editIdea(replica.doc, change.ideaId, change.text);
					this.#remember(replica, 'edit', change.ideaId, change.attempt + 1);
				}
			} catch {
				this.rescue(change.text);
			}
		}
	}

	#onRemoteIdeas(ideas: Idea[]): void {
		const idea = ideas.at(-1);
		if (!idea || idea.authorId === this.me.id) return;
		this.#arrival = {
			seq: ++this.#arrivalSeq,
			ideaId: idea.id,
			authorName: getParticipant(this.#replica.doc, idea.authorId)?.name ?? '',
			text: idea.text
		};
	}
}

const [getBoard, setBoard] = createContext<BoardClient>();

export { getBoard, setBoard };
