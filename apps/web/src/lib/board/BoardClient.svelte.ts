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
	canPostIdeas,
	closedAt,
	deleteIdea,
	editIdea,
	getIdea,
	getParticipant,
	getSessionInfo,
	getSettings,
	industryCount,
	privateStatKey,
	writesPrivately,
	type Actor,
	type Author,
	type Idea,
	type Participant,
	type SessionInfo
} from '@kipina/board';
import { createContext, untrack } from 'svelte';
import type * as Y from 'yjs';
import { deriveConnectionState, hasUnsavedChanges, type ConnectionState } from './connection';
import { Desks } from './Desks.svelte';
import type { FlowHost } from './host';
import { onlineUsers, type OnlineUser } from './online';
import type { PendingChange } from './pending';
import { Replica } from './replica.svelte';
import { ReplicaSlot } from './ReplicaSlot.svelte';

/** Why the board cannot go on: the page shows the join form or "not found" instead. */
export type FatalReason = 'unauthenticated' | 'not-found';

/** Why the board was reloaded from the server, and whether unsaved text was sent again. */
export type BoardNotice = 'reset' | 'reset-replayed';

/** Why text was handed back: the phase moved on before it was saved, or anything else. */
export type RescueReason = 'phase' | 'refused';

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

const hasOwnStat = (doc: Y.Doc, participantId: string): boolean => {
	const count = doc.getMap('stats').get(privateStatKey(participantId));
	return typeof count === 'number' && count > 0;
};

export class BoardClient implements FlowHost {
	readonly sessionId: string;
	readonly me: Participant;
	readonly #actor: Actor;
	readonly #syncUrl: string;
	readonly #onFatal: (reason: FatalReason) => void;
	readonly #board: ReplicaSlot;
	/** Private desks (owner id → replica): this person's, and those of people the facilitator enters for. */
	readonly #desks: Desks;
	/** A proxy (person without a device) the facilitator enters ideas and dots for; `null`: themself. */
	#actingFor = $state<string | null>(null);
	#notice = $state<BoardNotice | null>(null);
	/** Text that could not be saved, handed back to the user to post again or copy. */
	#rescued = $state<string[]>([]);
	#rescueReason = $state<RescueReason>('refused');
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
		this.#desks = new Desks((ownerId) => this.#deskSlot(ownerId));
		this.#board = new ReplicaSlot({
			create: (onFirstSync) =>
				new Replica({
					onFirstSync,
					syncUrl: this.#syncUrl,
					room: this.sessionId,
					user: { participantId: this.me.id, name: this.me.name, industry: this.me.industry },
					onServerClose: (code) => this.#onServerClose(code, null),
					onRemoteIdeas: (ideas) => this.#onRemoteIdeas(ideas)
				}),
			...this.#recovery()
		});
	}

	/** The board's replica now (a fresh one after a reset). */
	get #replica(): Replica {
		return this.#board.current;
	}

	/** This device's identity as the server's policy sees it. */
	get actor(): Actor {
		return this.#actor;
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
		const state = deriveConnectionState(replica.facts());
		// A private idea still on its way counts as "saving" too.
		return state === 'saved' && this.#desks.unsaved ? 'saving' : state;
	}

	/** Changes made here (on the board or a desk) that the server has not confirmed as stored. */
	get hasUnsaved(): boolean {
		const replica = this.#replica;
		replica.subscribeStatus();
		return hasUnsavedChanges(replica.facts()) || this.#desks.unsaved;
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

	/** Why the latest text was handed back. */
	get rescueReason(): RescueReason {
		return this.#rescueReason;
	}

	/** Keeps text the board could not save (e.g. an edit of an idea deleted meanwhile). */
	rescue(text: string, reason: RescueReason = 'refused'): void {
		if (!text.trim()) return;
		this.#rescueReason = reason;
		if (!this.#rescued.includes(text)) this.#rescued = [...this.#rescued, text];
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

	/**
	 * Whether this device may change the idea now: its author or the
	 * facilitator, while ideas may be posted (the phase, the lock).
	 */
	canModify(idea: Pick<Idea, 'authorId'>): boolean {
		return !this.isClosed && canModifyIdea(this.#actor, idea) && this.canPost;
	}

	/** Whether this device may post ideas now (phase, late ideas, lock). */
	get canPost(): boolean {
		return !this.isClosed && canPostIdeas(this.#actor, this.view(getSettings));
	}

	/** Whose ideas and dots this device enters now: its participant, or a proxy. */
	get actingAs(): Participant {
		const id = this.#actingFor;
		if (id === null || !this.isFacilitator) return this.me;
		const person = this.view((doc) => getParticipant(doc, id));
		return person?.proxy ? person : this.me;
	}

	/** The facilitator enters for a person without a device (`null`: for themself again). */
	actAs(participantId: string | null): void {
		this.#actingFor = participantId === this.me.id ? null : participantId;
	}

	#author(): Author {
		const who = this.actingAs;
		return { participantId: who.id, industry: who.industry };
	}

	/**
	 * Posts an idea in the name of `actingAs`: on the board, or on their
	 * private desk while private writing is on. Throws `CommandError` (empty,
	 * too long) and changes nothing then.
	 */
	post(text: string): string {
		const author = this.#author();
		const replica = writesPrivately(this.view(getSettings))
			? this.#desks.open(author.participantId).current
			: this.#replica;
		const ideaId = addIdea(replica.doc, author, text);
		this.#remember(replica, 'add', ideaId, 0);
		return ideaId;
	}

	/** Throws `CommandError` with code `not-found` when the idea was deleted meanwhile. */
	edit(ideaId: string, text: string): void {
		const replica = this.#desks.holding(ideaId) ?? this.#replica;
		editIdea(replica.doc, ideaId, text);
		this.#remember(replica, 'edit', ideaId, 0);
	}

	remove(ideaId: string): void {
		deleteIdea((this.#desks.holding(ideaId) ?? this.#replica).doc, ideaId);
	}

	#remember(replica: Replica, kind: PendingChange['kind'], ideaId: string, attempt: number) {
		const idea = getIdea(replica.doc, ideaId);
		if (idea) {
			replica.record({
				kind,
				ideaId,
				authorId: idea.authorId,
				text: idea.text,
				createdAt: idea.createdAt,
				attempt
			});
		}
	}

	/** Private ideas of `actingAs`, not yet revealed, oldest first. */
	get deskIdeas(): Idea[] {
		return this.#desks.ideasOf(this.actingAs.id);
	}

	/**
	 * Opens the desks private writing needs: this person's, and the one of
	 * whoever the facilitator enters for, while private writing is on or they
	 * still have unrevealed ideas. Call from an effect; desks stay open.
	 */
	keepDesks(): void {
		const settings = this.view(getSettings);
		const owner = this.actingAs.id;
		const needed = writesPrivately(settings) || this.view((doc) => hasOwnStat(doc, owner));
		if (!needed || this.isClosed) return;
		untrack(() => this.#desks.open(owner));
	}

	#deskSlot(ownerId: string): ReplicaSlot {
		return new ReplicaSlot({
			create: (onFirstSync) =>
				new Replica({
					onFirstSync,
					syncUrl: this.#syncUrl,
					room: `${this.sessionId}/desk/${ownerId}`,
					kind: 'desk',
					onServerClose: (code) => this.#onServerClose(code, ownerId)
				}),
			...this.#recovery()
		});
	}

	run<T>(command: (doc: Y.Doc) => T): T {
		return command(this.#replica.doc);
	}

	setPresence(field: string, value: unknown): void {
		this.#replica.setPresence(field, value);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#board.destroy();
		this.#desks.destroy();
	}

	/** What a slot does after the server refused its replica (see ReplicaSlot). */
	#recovery() {
		return {
			replay: (replica: Replica, changes: readonly PendingChange[]) =>
				this.#replay(replica, changes),
			giveBack: (change: PendingChange) => this.rescue(change.text),
			onReset: (replaying: boolean) => {
				this.#notice = replaying ? 'reset-replayed' : 'reset';
			}
		};
	}

	/** @param desk the desk's owner, or `null` for the board. */
	#onServerClose(code: number, desk: string | null): void {
		if (this.#destroyed) return;
		const slot = desk === null ? this.#board : this.#desks.get(desk);
		if (!slot) return;
		if (code === CLOSE.sessionClosed) {
			// Keep showing what we have, read-only; there is nothing to reconnect to.
			slot.current.stop();
			this.#closedByServer = true;
		} else if (FATAL_CODES.has(code)) {
			slot.current.stop();
			// The board speaks for the session; a desk alone just stops.
			if (desk === null) {
				this.#onFatal(code === CLOSE.unknownSession ? 'not-found' : 'unauthenticated');
			}
		} else if (RESET_CODES.has(code) || isPermanentClose(code)) {
			// A refused or out-of-sync replica cannot continue; neither can one the server found
			// malformed (4400) or any other 44xx the provider will not retry. Start afresh.
			slot.scheduleReset();
		}
	}

	/**
	 * Runs once a fresh replica holds the server's state, so edits find their
	 * ideas. Text that cannot be posted any more (the phase moved on) goes
	 * straight back to the user instead of being refused a second time.
	 */
	#replay(replica: Replica, changes: readonly PendingChange[]): void {
		if (changes.length === 0) return;
		if (!this.canPost) {
			const reason = this.view(getSettings).locked ? 'refused' : 'phase';
			for (const change of changes) this.rescue(change.text, reason);
			this.#notice = null;
			return;
		}
		for (const change of changes) {
			try {
				if (change.kind === 'add') {
					const author = this.#authorOf(change.authorId);
					const ideaId = addIdea(replica.doc, author, change.text, change.createdAt);
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

	/** The author to replay an idea for: this person, or a proxy the facilitator entered it for. */
	#authorOf(authorId: string | undefined): Author {
		const person = authorId ? getParticipant(this.#replica.doc, authorId) : undefined;
		if (person && person.id !== this.me.id && person.proxy && this.isFacilitator) {
			return { participantId: person.id, industry: person.industry };
		}
		return { participantId: this.me.id, industry: this.me.industry };
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
