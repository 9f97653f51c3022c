import { CLOSE } from '@kipina/board';
import type { Logger } from '../logger.js';
import { sessionOfDoc, type Storage } from '../storage/Storage.js';
import { deskPolicy, sessionPolicy } from './policies.js';
import { Room, type RoomOptions } from './Room.js';

const DESK = /^[^/]+\/desk\/([^/]+)$/;

export interface RoomManagerOptions extends RoomOptions {
	/** How long an empty room stays loaded. */
	unloadGraceMs: number;
}

/**
 * Loads each document's room once (concurrent first connections share one
 * load), counts its users, and unloads it a grace period after the last one
 * leaves. A room that is being unloaded finishes first; a new user then gets
 * a fresh load from storage. A desk room holds its session's room (it is
 * judged against the session's settings) until it unloads.
 */
export class RoomManager {
	private readonly rooms = new Map<string, Room>();
	private readonly loading = new Map<string, Promise<Room>>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly users = new Map<Room, number>();
	private readonly timers = new Map<Room, NodeJS.Timeout>();
	/** Desk room → the session room it holds. */
	private readonly holds = new Map<Room, Room>();

	constructor(
		private readonly storage: Storage,
		private readonly log: Logger,
		private readonly options: RoomManagerOptions
	) {}

	get loadedCount(): number {
		return this.rooms.size;
	}

	/** The loaded room of a document, if any (for tests and diagnostics). */
	peek(docId: string): Room | undefined {
		return this.rooms.get(docId);
	}

	/** Loads (or reuses) the room and counts one more user until `release`. */
	async acquire(docId: string): Promise<Room> {
		for (;;) {
			const pendingUnload = this.unloading.get(docId);
			if (pendingUnload) {
				await pendingUnload;
				continue;
			}
			const room = this.rooms.get(docId) ?? (await this.load(docId));
			if (room.broken) await this.unload(room);
			if (this.rooms.get(docId) !== room) continue;
			this.users.set(room, (this.users.get(room) ?? 0) + 1);
			clearTimeout(this.timers.get(room));
			this.timers.delete(room);
			return room;
		}
	}

	private load(docId: string): Promise<Room> {
		let pending = this.loading.get(docId);
		if (!pending) {
			pending = this.open(docId)
				.then((room) => {
					this.rooms.set(docId, room);
					return room;
				})
				.finally(() => this.loading.delete(docId));
			this.loading.set(docId, pending);
		}
		return pending;
	}

	private async open(docId: string): Promise<Room> {
		const desk = DESK.exec(docId);
		if (!desk) return Room.load(docId, this.storage, this.log, this.options, sessionPolicy);
		const session = await this.acquire(sessionOfDoc(docId));
		try {
			const room = await Room.load(
				docId,
				this.storage,
				this.log,
				this.options,
				deskPolicy(session, desk[1]!)
			);
			this.holds.set(room, session);
			return room;
		} catch (error) {
			this.release(session);
			throw error;
		}
	}

	release(room: Room): void {
		if (this.rooms.get(room.docId) !== room) {
			// Evicted meanwhile (see `evict`): nothing left to count.
			this.users.delete(room);
			return;
		}
		const left = (this.users.get(room) ?? 1) - 1;
		this.users.set(room, left);
		if (room.broken) {
			void this.unload(room);
			return;
		}
		if (left > 0 || this.timers.has(room)) return;
		const timer = setTimeout(() => {
			this.timers.delete(room);
			if ((this.users.get(room) ?? 0) === 0) void this.unload(room);
		}, this.options.unloadGraceMs);
		timer.unref();
		this.timers.set(room, timer);
	}

	private unload(room: Room, compact = false): Promise<void> {
		const id = room.docId;
		if (this.rooms.get(id) !== room) return this.unloading.get(id) ?? Promise.resolve();
		this.rooms.delete(id);
		clearTimeout(this.timers.get(room));
		this.timers.delete(room);
		this.users.delete(room);
		const done = room
			.unload(compact)
			.catch((error: unknown) => this.log.error({ err: error, docId: id }, 'unload failed'))
			.finally(() => {
				this.unloading.delete(id);
				const session = this.holds.get(room);
				if (session) {
					this.holds.delete(room);
					this.release(session);
				}
			});
		this.unloading.set(id, done);
		return done;
	}

	/**
	 * Closes the connections of these participants in every loaded room (they
	 * left, or their access changed). Returns how many were closed.
	 */
	disconnect(participantIds: ReadonlySet<string>, code: number, reason: string): number {
		let closed = 0;
		for (const room of this.rooms.values()) {
			for (const conn of room.connections) {
				if (!participantIds.has(conn.participantId) || conn.closed) continue;
				conn.close(code, reason);
				closed += 1;
			}
		}
		return closed;
	}

	/**
	 * Closes every connection of a document and unloads it now (its log is
	 * compacted into a snapshot, whatever its size: evictions follow closing
	 * a session and archive edits). The next user loads it afresh from storage.
	 */
	async evict(docId: string, code: number, reason: string): Promise<void> {
		await this.loading.get(docId)?.catch(() => undefined);
		const room = this.rooms.get(docId);
		if (!room) return this.unloading.get(docId);
		for (const conn of room.connections) conn.close(code, reason);
		await this.unload(room, true);
	}

	/** `evict` for a session's board and all its loaded private desks (desks first). */
	async evictSession(sessionId: string, code: number, reason: string): Promise<void> {
		const desks = [...this.rooms.keys()].filter((id) => id.startsWith(`${sessionId}/`));
		await Promise.all(desks.map((id) => this.evict(id, code, reason)));
		await this.evict(sessionId, code, reason);
	}

	/** Shutdown: closes every connection, stores and frees every room. */
	async closeAll(): Promise<void> {
		for (const room of this.rooms.values()) {
			for (const conn of room.connections) conn.close(CLOSE.goingAway, 'Server restarting');
		}
		await Promise.allSettled([...this.loading.values()]);
		// Desks first: they hold their sessions' rooms.
		const rooms = [...this.rooms.values()];
		await Promise.all(rooms.filter((r) => this.holds.has(r)).map((r) => this.unload(r)));
		await Promise.all([...this.rooms.values()].map((room) => this.unload(room)));
		await Promise.all([...this.unloading.values()]);
	}
}
