/**
 * Closed sessions and what is read from any session: closing (read-only from
 * then on, a final snapshot and a summary), copies of documents for exports
 * and summaries, and the archive edits owed to a member who left.
 *
 * Every change to a document goes through its room's pipeline
 * (`Room.serverEdit`), so it is stored and broadcast like any other change;
 * an archive edit then compacts the log into a snapshot at once, so what
 * was removed no longer lies in the stored log either.
 */
import {
	ANONYMOUS_AUTHOR,
	CLOSE,
	boardMaps,
	closedAt,
	createBoardDoc,
	privateStatKey,
	searchText,
	summarize,
	type SessionSummary
} from '@kipina/board';
import * as Y from 'yjs';
import type { Logger } from './logger.js';
import {
	deskDocId,
	type ForgetMode,
	type GroupStorage,
	type PendingForget,
	type Storage
} from './storage/Storage.js';
import type { RoomManager } from './sync/RoomManager.js';

const CLOSED = 'This evening is closed.';

/** Removes (or anonymises) a participant's traces from a session document. */
export function forgetParticipant(doc: Y.Doc, participantId: string, mode: ForgetMode): void {
	const m = boardMaps(doc);
	for (const idea of [...m.ideas.values()]) {
		if (idea.authorId !== participantId) continue;
		if (mode === 'delete') {
			m.ideas.delete(idea.id);
			m.placements.delete(idea.id);
		} else {
			m.ideas.set(idea.id, { ...idea, authorId: ANONYMOUS_AUTHOR, industry: '' });
		}
	}
	for (const [key, offer] of [...m.offers.entries()]) {
		if (offer.participantId === participantId) m.offers.delete(key);
	}
	for (const action of [...m.actions.values()]) {
		if (!action.ownerIds.includes(participantId)) continue;
		m.actions.set(action.id, {
			...action,
			ownerIds: action.ownerIds.filter((id) => id !== participantId)
		});
	}
	m.stats.delete(privateStatKey(participantId));
	m.participants.delete(participantId);
}

export class Archive {
	constructor(
		private readonly storage: Storage,
		private readonly groups: GroupStorage,
		private readonly rooms: RoomManager,
		private readonly log: Logger
	) {}

	/** A copy of a document as stored (or as its loaded room holds it now). */
	async readDoc(docId: string): Promise<Y.Doc> {
		const doc = createBoardDoc();
		const room = this.rooms.peek(docId);
		if (room && !room.broken) {
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
			return doc;
		}
		const stored = await this.storage.loadDocument(docId);
		// No room keeps it: storage need not remember it either (reloaded when needed).
		this.storage.release(docId);
		doc.transact(() => {
			if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
			for (const update of stored.updates) {
				try {
					Y.applyUpdate(doc, update);
				} catch {
					// Reported when the room loads; a copy skips it the same way.
				}
			}
		});
		return doc;
	}

	/** The stored summary of a closed session, or one computed now for a live one. */
	async summary(sessionId: string): Promise<SessionSummary> {
		const closure = await this.groups.getClosure(sessionId);
		if (closure) return JSON.parse(closure.summary) as SessionSummary;
		const doc = await this.readDoc(sessionId);
		try {
			return summarize(doc);
		} finally {
			doc.destroy();
		}
	}

	/**
	 * Closes a session: marks its document closed (the room policy refuses
	 * every change from then on), stores the summary, closes every connection
	 * with 4410 and unloads its rooms (the final snapshot). Undefined when it
	 * was closed already.
	 */
	async close(
		sessionId: string
	): Promise<{ closedAt: number; summary: SessionSummary } | undefined> {
		if (await this.groups.getClosure(sessionId)) return undefined;
		const room = await this.rooms.acquire(sessionId);
		let result: { closedAt: number; summary: SessionSummary; search: string } | undefined;
		try {
			await room.serverEdit('close', (doc) => {
				// A close interrupted by a crash left the document closed; keep that time.
				if (closedAt(doc) === null) boardMaps(doc).meta.set('closed', Date.now());
				result = { closedAt: closedAt(doc)!, summary: summarize(doc), search: searchText(doc) };
			});
		} finally {
			this.rooms.release(room);
		}
		const { closedAt: at, summary, search } = result!;
		await this.groups.saveClosure(
			{ sessionId, closedAt: at, summary: JSON.stringify(summary) },
			search
		);
		await this.rooms.evictSession(sessionId, CLOSE.sessionClosed, CLOSED);
		this.log.info({ sessionId }, 'session closed');
		return { closedAt: at, summary };
	}

	/**
	 * Carries out one archive edit owed to a member who left: their ideas are
	 * deleted or anonymised, their name and industry removed, their private
	 * desk deleted; a closed session's summary is recomputed and its log
	 * compacted at once. Idempotent, so it can be resumed after a crash.
	 */
	async forget(job: PendingForget): Promise<void> {
		const { sessionId, participantId, mode } = job;
		if (await this.storage.getSession(sessionId)) {
			const room = await this.rooms.acquire(sessionId);
			let summary: SessionSummary | undefined;
			let search = '';
			try {
				await room.serverEdit('forget', (doc) => {
					forgetParticipant(doc, participantId, mode);
					summary = summarize(doc);
					search = searchText(doc);
				});
				// The removed text must leave the stored log now, not at some later compaction.
				await room.compactNow();
			} finally {
				this.rooms.release(room);
			}
			const desk = deskDocId(sessionId, participantId);
			await this.rooms.evict(desk, CLOSE.unauthenticated, 'No longer a member');
			await this.groups.deleteDocument(desk);
			const closure = await this.groups.getClosure(sessionId);
			if (closure) {
				await this.groups.saveClosure({ ...closure, summary: JSON.stringify(summary) }, search);
				// Unloading compacts the log: the removed text leaves storage now.
				await this.rooms.evictSession(sessionId, CLOSE.sessionClosed, CLOSED);
			}
		}
		await this.groups.forgetDone(job);
	}

	/** Finishes archive edits a crash interrupted. */
	async resumeForgets(): Promise<void> {
		for (const job of await this.groups.pendingForgets()) {
			try {
				await this.forget(job);
			} catch (error) {
				this.log.error({ err: error, sessionId: job.sessionId }, 'archive edit failed');
			}
		}
	}
}
