/**
 * A live session: its document, connections and presence.
 *
 * Every change goes through one serial pipeline (`run`; when it runs:
 * runs.ts), a batch at a time: each incoming update is inspected and judged
 * against the policy *before* it is applied; accepted updates are appended
 * to storage in one transaction; only then are they broadcast (encoded once),
 * applied (the batch's last one: `applyPending`) and acknowledged with a
 * `saved` message. Sync step 1 answers are produced in the same pipeline
 * after the batch is stored, so no peer ever receives state the server could
 * still lose.
 */
import {
	CLOSE,
	UpdateRefusal,
	createBoardDoc,
	inspectUpdate,
	type BoardOrigin,
	type UpdateSummary,
	type Verdict
} from '@kipina/board';
import * as Y from 'yjs';
import type { RateLimits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { LoggedUpdate, Storage, StoredDocument } from '../storage/Storage.js';
import type { Connection } from './Connection.js';
import { ClientOwners } from './clientOwners.js';
import { LogSince, type CompactionPolicy } from './compaction.js';
import { Presence } from './Presence.js';
import { prepareFrame } from './frames.js';
import { IdeaBudget } from './ideaBudget.js';
import { Runs } from './runs.js';
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

export class Room {
	readonly doc: Y.Doc;
	readonly presence: Presence;
	readonly connections = new Set<Connection>();
	/** Set when the in-memory document may differ from storage; the room must be discarded. */
	broken = false;

	private readonly ideas: IdeaBudget;
	private jobs: Job[] = [];
	private readonly runs: Runs;
	/** The update log since the last snapshot, and when to compact it. */
	private readonly logSince: LogSince;
	/** Answers to sync step 1, with the whole document's encode kept while unchanged. */
	private readonly step2: SyncStep2;
	/** An accepted update not yet applied to `doc` (see `applyPending`). */
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
		this.ideas = new IdeaBudget(this.doc, options.rateLimits.ideas);
		this.runs = new Runs(
			() => this.run(),
			() => this.jobs.length > 0,
			options.batchWindowMs
		);
		this.logSince = new LogSince(
			options.compaction,
			stored.updates.length,
			stored.logBytes,
			stored.snapshot?.length ?? 0
		);
		this.presence = new Presence(this.doc, this.connections, (id) => this.owners.ownerOf(id));
		this.step2 = new SyncStep2(this.doc);
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

	/** `fromClient`: a participant's message, which may start a run in its own turn (runs.ts). */
	private enqueue(job: Job, fromClient = false): void {
		if (this.broken) {
			// A discarded room takes nothing more (its manager unloads it); queued work would
			// only be rescheduled forever.
			if (job.kind === 'server') job.done(new Error('Room discarded'));
			return;
		}
		this.jobs.push(job);
		this.runs.schedule(fromClient);
	}

	/** Resolves when every queued job has been handled. */
	idle(): Promise<void> {
		return this.runs.idle();
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
				for (const job of serverJobs) job.done(new Error('The session could not be saved.'));
				this.discard('Could not save');
				return;
			}

			if (accepted.length > 0) {
				this.broadcast(accepted);
				this.logSince.logged(accepted);
			}
			this.applyPending();
			if (this.broken) {
				// Stored and sent, but the document could not take it.
				for (const job of serverJobs) job.done(job.failure);
				this.discard('Could not apply');
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
		if (!this.runs.busy && this.jobs.length === 0) {
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
		const overBudget = this.ideas.check(conn.participantId, summary);
		if (overBudget) {
			this.refuse(conn, overBudget.code, overBudget.reason);
			return;
		}
		for (const client of summary.clients) {
			if (this.owners.bind(client, conn.participantId)) newClients.set(client, conn.participantId);
		}
		accepted.push({ conn, data: update, participantId: conn.participantId });
		acked.add(conn);
		// Applied by the next reader of the document, at the latest right after the broadcast.
		this.pending = { conn, update };
	}

	/**
	 * Applies the accepted update that is waiting, if any. The batch's last
	 * update is applied right after its broadcast rather than before its
	 * append, and everything that reads the document (the next update's
	 * checks, `saved`, step 2, compaction, server edits) calls this first. The
	 * inspection has decoded the update whole and resolved every reference, so
	 * the apply cannot refuse it. That takes Yjs's apply (~65 µs on a busy
	 * board) off the time to the first send (docs/performance.md, item 26).
	 */
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
		}
	}

	/** After `broken`: everyone is disconnected and queued work is dropped; the manager unloads the room. */
	private discard(reason: string): void {
		this.pending = null;
		for (const conn of this.connections) conn.close(CLOSE.serverError, reason);
		for (const job of this.jobs) if (job.kind === 'server') job.done(new Error('Room discarded'));
		this.jobs = [];
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
		conn.send(encodeSaved(this.owners.clocksOf(conn.participantId, this.doc)));
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
