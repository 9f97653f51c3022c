import { CLOSE } from '@kipina/board';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/Storage.js';
import { Room, type RoomOptions } from './Room.js';

export interface RoomManagerOptions extends RoomOptions {
	/** How long an empty room stays loaded. */
	unloadGraceMs: number;
}

/**
 * Loads each session's room once (concurrent first connections share one
 * load), counts its users, and unloads it a grace period after the last one
 * leaves. A room that is being unloaded finishes first; a new user then gets
 * a fresh load from storage.
 */
export class RoomManager {
	private readonly rooms = new Map<string, Room>();
	private readonly loading = new Map<string, Promise<Room>>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly users = new Map<Room, number>();
	private readonly timers = new Map<Room, NodeJS.Timeout>();

	constructor(
		private readonly storage: Storage,
		private readonly log: Logger,
		private readonly options: RoomManagerOptions
	) {}

	get loadedCount(): number {
		return this.rooms.size;
	}

	/** The loaded room of a session, if any (for tests and diagnostics). */
	peek(sessionId: string): Room | undefined {
		return this.rooms.get(sessionId);
	}

	/** Loads (or reuses) the room and counts one more user until `release`. */
	async acquire(sessionId: string): Promise<Room> {
		for (;;) {
			const pendingUnload = this.unloading.get(sessionId);
			if (pendingUnload) {
				await pendingUnload;
				continue;
			}
			const room = this.rooms.get(sessionId) ?? (await this.load(sessionId));
			if (room.broken) await this.unload(room);
			if (this.rooms.get(sessionId) !== room) continue;
			this.users.set(room, (this.users.get(room) ?? 0) + 1);
			clearTimeout(this.timers.get(room));
			this.timers.delete(room);
			return room;
		}
	}

	private load(sessionId: string): Promise<Room> {
		let pending = this.loading.get(sessionId);
		if (!pending) {
			pending = Room.load(sessionId, this.storage, this.log, this.options)
				.then((room) => {
					this.rooms.set(sessionId, room);
					return room;
				})
				.finally(() => this.loading.delete(sessionId));
			this.loading.set(sessionId, pending);
		}
		return pending;
	}

	release(room: Room): void {
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

	private unload(room: Room): Promise<void> {
		if (this.rooms.get(room.sessionId) !== room)
			return this.unloading.get(room.sessionId) ?? Promise.resolve();
		this.rooms.delete(room.sessionId);
		clearTimeout(this.timers.get(room));
		this.timers.delete(room);
		this.users.delete(room);
		const done = room
			.unload()
			.catch((error: unknown) =>
				this.log.error({ err: error, sessionId: room.sessionId }, 'unload failed')
			)
			.finally(() => this.unloading.delete(room.sessionId));
		this.unloading.set(room.sessionId, done);
		return done;
	}

	/** Shutdown: closes every connection, stores and frees every room. */
	async closeAll(): Promise<void> {
		for (const room of this.rooms.values()) {
			for (const conn of room.connections) conn.close(CLOSE.goingAway, 'Server restarting');
		}
		await Promise.allSettled([...this.loading.values()]);
		await Promise.all([...this.rooms.values()].map((room) => this.unload(room)));
		await Promise.all([...this.unloading.values()]);
	}
}
