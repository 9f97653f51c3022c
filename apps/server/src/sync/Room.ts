/**
 * A live session: its document, connections and presence.
 *
 * Every change goes through one serial pipeline (`run`), a batch per
 * event-loop turn: each incoming update is inspected and judged against the
 * policy *before* it is applied; accepted updates are appended to storage in
 * one transaction; only then are they broadcast (encoded once) and
 * acknowledged with a `saved` message. Sync step 1 answers are produced in the
 * same pipeline after the batch is stored, so no peer ever receives state the
 * server could still lose.
 *
 * The batch's last update is applied to the room's document right after its
 * broadcast rather than before its append: everything that reads the
 * document (the next update's checks, `saved`, step 2, compaction, server
 * edits) applies it first (`applyPending`), and the inspection has already
 * decoded it whole and resolved every reference, so the apply cannot refuse
 * it. That takes Yjs's apply (~65 µs on a busy board) off the time to the
 * first send (docs/performance.md, item 26).
 */
import {
	CLOSE,
	ROOTS,
	UpdateRefusal,
	createBoardDoc,
	inspectUpdate,
	type BoardOrigin,
	type UpdateSummary,
	type Verdict
} from '@kipina/board';
import * as Y from 'yjs';
import { KeyedLimiter, MAX_IDEAS_PER_SESSION, type RateLimits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { LoggedUpdate, Storage, StoredDocument } from '../storage/Storage.js';
import type { Connection } from './Connection.js';
import { ClientOwners } from './clientOwners.js';
import { LogSince, type CompactionPolicy } from './compaction.js';
import { Presence } from './Presence.js';
import { prepareFrame } from './frames.js';
import { SyncStep2 } from './step2.js';
import {
	MalformedMessage,
	decodeMessage,
	encodeSaved,
	encodeSyncStep1,
	encodeUpdate
} from './messages.js';

/** Participant id under which the server's own edits are logged. */
export const SERVER_PARTICIPANT = '@server';

const STORAGE_ORIGIN: BoardOrigin = { source: 'storage' };

type Job =
	| { kind: 'update'; conn: Connection; update: Uint8Array }
	/** The room has been quiet since a compaction fell due. */
	| { kind: 'quiet' }
	| { kind: 'step1'; conn: Connection; stateVector: Uint8Array }
	| {
			kind: 'server';
			reason: string;
			edit: (doc: Y.Doc) => void;
			done: (error?: unknown) => void;
			failure?: unknown;
	  };

interface Accepted extends LoggedUpdate {
	conn: Connection | null;
}

export interface RoomOptions {
	compaction: CompactionPolicy;
	rateLimits: RateLimits;
	/**
	 * Pipeline runs (check, store, broadcast) start at most this often while
	 * updates keep coming; the first after a quiet spell starts at once. Under
	 * a flood of writes each run then carries more updates, and every
	 * receiver gets fewer, larger frames (the per-frame cost is the wall).
	 */
	batchWindowMs: number;
}

/** What a room's document allows, and what happens after changes are stored. */
export interface RoomPolicy {
	/** Judges an inspected update from `conn` against the room's current state. */
	check(room: Room, conn: Connection, summary: UpdateSummary): Verdict;
	/** Called after a batch of client or server changes is stored and broadcast. */
	afterCommit?(room: Room): void;
}

/** A room idle for this long starts a client's message at once (see `Room#schedule`). */
const QUIET_START_MS = 5;

/** Refusal when a participant posts ideas faster than the limit allows. */
const TOO_FAST = 'Too many new ideas at once; wait a moment.';

export class Room {
	readonly doc: Y.Doc;
	readonly presence: Presence;
	readonly connections = new Set<Connection>();
	/** Set when the in-memory document may differ from storage; the room must be discarded. */
	broken = false;

	private readonly ideaLimiter: KeyedLimiter;
	private jobs: Job[] = [];
	private scheduled = false;
	private running: Promise<void> | null = null;
	/** The update log since the last snapshot, and when to compact it. */
	private readonly logSince: LogSince;
	/** Answers to sync step 1, with the whole document's encode kept while unchanged. */
	private readonly step2: SyncStep2;
	/** Ideas on the board, kept by an observer: `Y.Map#size` walks every entry, per update. */
	private ideaCount = 0;
	/** An accepted, stored update not yet applied to `doc` (see the top of this file). */
	private pending: { conn: Connection; update: Uint8Array } | null = null;

	private constructor(
		/** The stored document's id (see `sessionOfDoc`). */
		readonly docId: string,
		private readonly storage: Storage,
		private readonly log: Logger,
		private readonly options: RoomOptions,
		private readonly policy: RoomPolicy,
		private readonly owners: ClientOwners,
		private lastSeq: number,
		stored: StoredDocument
	) {
		this.doc = createBoardDoc();
		this.ideaLimiter = new KeyedLimiter(options.rateLimits.ideas);
		this.logSince = new LogSince(
			options.compaction,
			stored.updates.length,
			stored.logBytes,
			stored.snapshot?.length ?? 0
		);
		this.presence = new Presence(this.doc, this.connections, (id) => this.owners.ownerOf(id));
		this.step2 = new SyncStep2(this.doc);
		this.doc.getMap(ROOTS.ideas).observe((event) => {
			for (const { action } of event.changes.keys.values()) {
				if (action === 'add') this.ideaCount += 1;
				else if (action === 'delete') this.ideaCount -= 1;
			}
		});
	}

	/** Loads a document from storage; the room answers nobody before this resolves. */
	static async load(
		docId: string,
		storage: Storage,
		log: Logger,
		options: RoomOptions,
		policy: RoomPolicy
	): Promise<Room> {
		const stored = await storage.loadDocument(docId);
		const room = new Room(
			docId,
			storage,
			log.child({ docId }),
			options,
			policy,
			new ClientOwners(stored.clientOwners),
			stored.lastSeq,
			stored
		);
		let poisoned = 0;
		room.doc.transact(() => {
			if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot, STORAGE_ORIGIN);
			for (const update of stored.updates) {
				try {
					Y.applyUpdate(room.doc, update, STORAGE_ORIGIN);
				} catch {
					poisoned += 1;
				}
			}
		}, STORAGE_ORIGIN);
		if (poisoned > 0) room.log.error({ poisoned }, 'skipped undecodable log entries');
		// A lone snapshot is the document's full state: the first join needs no encode.
		if (stored.snapshot && stored.updates.length === 0) room.step2.seed(stored.snapshot);
		// The server's own client id must not collide with one a participant owns.
		while (room.owners.has(room.doc.clientID)) {
			room.doc.clientID = Math.floor(Math.random() * 0xffffffff);
		}
		return room;
	}

	// --- connections -------------------------------------------------------

	addConnection(conn: Connection): void {
		this.connections.add(conn);
		conn.send(encodeSyncStep1(this.doc));
		this.presence.sendAll(conn);
	}

	removeConnection(conn: Connection): void {
		if (!this.connections.delete(conn)) return;
		this.presence.leave(conn);
	}

	/** Handles one binary frame from `conn`. Malformed frames close that socket only. */
	handleMessage(conn: Connection, data: Uint8Array): void {
		if (conn.closed) return;
		try {
			const message = decodeMessage(data);
			switch (message.type) {
				case 'sync-step1':
					this.enqueue({ kind: 'step1', conn, stateVector: message.stateVector }, true);
					break;
				case 'update':
					this.enqueue({ kind: 'update', conn, update: message.update }, true);
					break;
				case 'awareness':
					this.presence.receive(conn, message.payload);
					break;
				case 'query-awareness':
					this.presence.sendAll(conn, true);
					break;
			}
		} catch (error) {
			if (!(error instanceof MalformedMessage)) this.log.error({ err: error }, 'message failed');
			this.refuse(conn, CLOSE.malformed, (error as Error).message);
		}
	}

	private refuse(conn: Connection, code: number, reason: string): void {
		this.log.info({ participantId: conn.participantId, code, reason }, 'connection refused');
		conn.close(code, reason);
	}

	// --- the pipeline ------------------------------------------------------

	/** Applies a server-side edit through the same pipeline as client updates. */
	serverEdit(reason: string, edit: (doc: Y.Doc) => void): Promise<void> {
		return new Promise((resolve, reject) => {
			this.enqueue({
				kind: 'server',
				reason,
				edit,
				done: (error) => (error ? reject(error) : resolve())
			});
		});
	}

	/** `fromClient`: a participant's message, which may start a run in its own turn (`schedule`). */
	private enqueue(job: Job, fromClient = false): void {
		if (this.broken) {
			// A discarded room takes nothing more (its manager unloads it); queued work would
			// only be rescheduled forever.
			if (job.kind === 'server') job.done(new Error('Room discarded'));
			return;
		}
		this.jobs.push(job);
		this.schedule(fromClient);
	}

	/**
	 * A run starts at the end of the event-loop turn (`setImmediate`), taking
	 * everything that arrived in the turn as one batch. A client's message to
	 * a room that has been idle for `QUIET_START_MS` starts it at once, in the
	 * message's own turn: then it is almost surely alone, and the hop to the
	 * end of the turn cost ~90 µs before its first send (the rest of the
	 * turn's I/O callbacks run first). Under a flood runs follow each other
	 * closer than that, and batches stay whole.
	 */
	private schedule(fromClient = false): void {
		if (this.scheduled || this.running) return;
		const now = performance.now();
		const wait = this.lastRunAt + this.options.batchWindowMs - now;
		if (wait > 0) {
			this.scheduled = true;
			setTimeout(this.startRun, wait);
		} else if (fromClient && now - this.lastRunEnd >= QUIET_START_MS) {
			this.startRun();
		} else {
			this.scheduled = true;
			setImmediate(this.startRun);
		}
	}

	private lastRunAt = -Infinity;
	private lastRunEnd = -Infinity;

	private startRun = (): void => {
		this.lastRunAt = performance.now();
		// Nothing else starts while the run's first, synchronous part runs (it may close sockets).
		this.scheduled = true;
		const run = this.run();
		this.scheduled = false;
		this.running = run.finally(() => {
			this.running = null;
			this.lastRunEnd = performance.now();
			if (this.jobs.length > 0) this.schedule();
		});
	};

	/** Resolves when every queued job has been handled. */
	async idle(): Promise<void> {
		while (this.running || this.scheduled || this.jobs.length > 0) {
			if (this.running) await this.running;
			else await new Promise((resolve) => setImmediate(resolve));
		}
	}

	private async run(): Promise<void> {
		while (this.jobs.length > 0 && !this.broken) {
			const batch = this.jobs;
			this.jobs = [];
			const accepted: Accepted[] = [];
			const newClients = new Map<number, string>();
			const acked = new Set<Connection>();
			const step1: Extract<Job, { kind: 'step1' }>[] = [];
			const serverJobs: Extract<Job, { kind: 'server' }>[] = [];
			let quiet = false;

			for (const job of batch) {
				if (job.kind === 'server') serverJobs.push(job);
				if (this.broken) continue;
				if (job.kind === 'quiet') quiet = true;
				else if (job.kind === 'step1') step1.push(job);
				else if (job.kind === 'update')
					this.accept(job.conn, job.update, accepted, newClients, acked);
				else this.applyServerEdit(job, accepted, newClients);
			}

			if (accepted.length > 0 && !this.broken) {
				try {
					this.lastSeq = await this.storage.appendUpdates(this.docId, accepted, newClients);
				} catch (error) {
					this.log.error({ err: error }, 'storing updates failed; discarding the room');
					this.broken = true;
				}
			}
			if (this.broken) {
				this.pending = null;
				for (const job of serverJobs) job.done(new Error('The session could not be saved.'));
				for (const conn of this.connections) conn.close(CLOSE.serverError, 'Could not save');
				for (const job of this.jobs)
					if (job.kind === 'server') job.done(new Error('Room discarded'));
				this.jobs = [];
				return;
			}

			if (accepted.length > 0) {
				this.broadcast(accepted);
				this.logSince.logged(accepted);
			}
			this.applyPending();
			if (this.broken) {
				// Stored and sent, but the document could not take it: the room is discarded.
				for (const job of serverJobs) job.done(job.failure);
				for (const job of this.jobs)
					if (job.kind === 'server') job.done(new Error('Room discarded'));
				this.jobs = [];
				return;
			}
			for (const conn of acked) this.sendSaved(conn);
			for (const { conn, stateVector } of step1) {
				if (!conn.closed) conn.send(this.step2.for(stateVector));
			}
			for (const job of serverJobs) job.done(job.failure);
			if (accepted.length > 0) this.policy.afterCommit?.(this);
			if (this.logSince.due()) {
				// Every run while due restarts the wait for a quiet moment (`CompactionPolicy.quietMs`).
				if ((quiet && batch.length === 1) || this.logSince.urgent()) await this.compact();
				else this.logSince.waitForQuiet(this.onQuiet);
			}
		}
	}

	private onQuiet = (): void => {
		// Busy after all: the run in progress (or queued) arms the wait again.
		if (!this.running && !this.scheduled && this.jobs.length === 0) {
			this.enqueue({ kind: 'quiet' });
		}
	};

	private accept(
		conn: Connection,
		update: Uint8Array,
		accepted: Accepted[],
		newClients: Map<number, string>,
		acked: Set<Connection>
	): void {
		if (conn.closed) return;
		this.applyPending();
		if (this.broken) return;
		let summary;
		try {
			summary = inspectUpdate(this.doc, update);
		} catch (error) {
			if (!(error instanceof UpdateRefusal)) throw error;
			const code =
				error.code === 'malformed'
					? CLOSE.malformed
					: error.code === 'gap'
						? CLOSE.outOfSync
						: CLOSE.refused;
			this.refuse(conn, code, error.message);
			return;
		}
		if (summary.empty) {
			acked.add(conn);
			return;
		}
		for (const client of summary.clients) {
			// A client id seen in presence is reserved for that connection's participant, so
			// nobody can claim it for document writes first (presence reveals client ids).
			const owner = this.owners.ownerOf(client) ?? this.presence.participantOf(client);
			if (owner !== undefined && owner !== conn.participantId) {
				this.refuse(conn, CLOSE.refused, 'That Yjs client id belongs to another participant.');
				return;
			}
		}
		const verdict = this.policy.check(this, conn, summary);
		if (!verdict.ok) {
			this.refuse(conn, CLOSE.refused, verdict.reason);
			return;
		}
		const ideas = this.doc.getMap(ROOTS.ideas);
		const created = new Set(
			summary.writes
				.filter((w) => w.root === ROOTS.ideas && w.hasValue && !ideas.has(w.key))
				.map((w) => w.key)
		).size;
		if (created > 0) {
			if (this.ideaCount + created > MAX_IDEAS_PER_SESSION) {
				this.refuse(conn, CLOSE.refused, 'This board is full.');
				return;
			}
			// Refused, not dropped: the client keeps the ideas and resends them when it reconnects.
			if (
				!this.ideaLimiter.take(
					conn.participantId,
					Math.min(created, this.options.rateLimits.ideas.capacity)
				)
			) {
				this.refuse(conn, CLOSE.rateLimited, TOO_FAST);
				return;
			}
		}
		for (const client of summary.clients) {
			if (this.owners.bind(client, conn.participantId)) newClients.set(client, conn.participantId);
		}
		accepted.push({ conn, data: update, participantId: conn.participantId });
		acked.add(conn);
		// Applied by the next reader of the document, at the latest right after the broadcast.
		this.pending = { conn, update };
	}

	/** Applies the accepted update that is waiting, if any (see the top of this file). */
	private applyPending(): void {
		const pending = this.pending;
		if (!pending) return;
		this.pending = null;
		try {
			Y.applyUpdate(this.doc, pending.update, pending.conn);
		} catch (error) {
			// inspectUpdate decoded it fully and resolved its references, so this is a bug; the
			// document may hold part of it. The room is discarded and reloaded from storage.
			this.log.error({ err: error }, 'applying a checked update failed');
			this.broken = true;
			for (const conn of this.connections) conn.close(CLOSE.serverError, 'Could not apply');
		}
	}

	private applyServerEdit(
		job: Extract<Job, { kind: 'server' }>,
		accepted: Accepted[],
		newClients: Map<number, string>
	): void {
		this.applyPending();
		const updates: Uint8Array[] = [];
		const collect = (update: Uint8Array) => updates.push(update);
		this.doc.on('update', collect);
		try {
			this.doc.transact(() => job.edit(this.doc), {
				source: 'server',
				reason: job.reason
			} satisfies BoardOrigin);
		} catch (error) {
			// Whatever the edit changed before it threw is still stored below.
			job.failure = error;
		} finally {
			this.doc.off('update', collect);
		}
		if (updates.length > 0 && this.owners.bind(this.doc.clientID, SERVER_PARTICIPANT)) {
			newClients.set(this.doc.clientID, SERVER_PARTICIPANT);
		}
		for (const data of updates) {
			accepted.push({ conn: null, data, participantId: SERVER_PARTICIPANT });
		}
	}

	private broadcast(accepted: Accepted[]): void {
		const frame = prepareFrame(
			encodeUpdate(
				accepted.length === 1 ? accepted[0]!.data : Y.mergeUpdates(accepted.map((a) => a.data))
			)
		);
		const sender = accepted[0]!.conn;
		const soleSender = sender && accepted.every((a) => a.conn === sender) ? sender : null;
		for (const conn of this.connections) {
			if (conn !== soleSender) conn.sendFrame(frame);
		}
	}

	private sendSaved(conn: Connection): void {
		if (!conn.wantsSaved || conn.closed) return;
		const clocks = new Map<number, number>();
		for (const client of this.owners.clientsOf(conn.participantId)) {
			clocks.set(client, Y.getState(this.doc.store, client));
		}
		conn.send(encodeSaved(clocks));
	}

	// --- storage -----------------------------------------------------------

	/** Replaces the update log by one snapshot of the current state. */
	private async compact(): Promise<void> {
		if (this.logSince.empty || this.broken) return;
		try {
			const snapshot = Y.encodeStateAsUpdate(this.doc);
			await this.storage.compact(this.docId, snapshot, this.lastSeq);
			this.logSince.compacted(snapshot.length);
		} catch (error) {
			// The log is still complete; compaction is retried later.
			this.log.error({ err: error }, 'compaction failed');
		}
	}

	/** Compacts now, whatever the policy: an archive edit's removed text must leave the log. */
	async compactNow(): Promise<void> {
		await this.idle();
		await this.compact();
	}

	/**
	 * Finishes queued work and frees the document. The log is compacted when
	 * the policy says so, or always with `compact` (a closed session's final
	 * snapshot; an archive edit whose removed text must leave the log).
	 */
	async unload(compact = false): Promise<void> {
		this.logSince.stop();
		await this.idle();
		if (!this.broken && (compact || this.logSince.due())) await this.compact();
		this.presence.destroy();
		this.step2.clear();
		this.doc.destroy();
		this.storage.release(this.docId);
	}
}
