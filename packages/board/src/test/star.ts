/**
 * Star topology: replicas talk only to a server document that runs
 * `inspectUpdate` + `checkUpdate` on every update before applying it, and
 * broadcasts what it applied. Each connection has an ordered channel each way
 * (a websocket); the server → replica channel may also reorder, since Yjs
 * copes with that. A refused update closes the connection, as the real
 * server does, and the replica stays out.
 */
import * as Y from 'yjs';
import { expect } from 'vitest';
import { createBoardDoc } from '../doc.js';
import type { Actor } from '../policy.js';
import { judge, type Judgement } from './fixtures.js';
import { NETWORK, replayableClientId, type Prng } from './harness.js';

export interface StarClient {
	readonly index: number;
	readonly actor: Actor;
	readonly doc: Y.Doc;
	online: boolean;
	/** Closed by the server after a refused update; never reconnects. */
	banned: boolean;
	up: Uint8Array[];
	down: Uint8Array[];
}

export interface Refusal {
	client: number;
	judgement: Judgement;
}

export class Star {
	readonly clients: StarClient[] = [];
	readonly refusals: Refusal[] = [];
	accepted = 0;
	private duplicate = 0.05;

	constructor(
		private readonly prng: Prng,
		readonly server: Y.Doc,
		actors: ReadonlyArray<{ actor: Actor; gc?: boolean }>
	) {
		server.on('update', (update: Uint8Array, origin: unknown) => {
			for (const client of this.clients) {
				if (client.online && client !== origin) client.down.push(update);
			}
		});
		actors.forEach(({ actor, gc }, index) => {
			const doc = createBoardDoc({ gc: gc ?? true });
			doc.clientID = replayableClientId(prng, index);
			const client: StarClient = {
				index,
				actor,
				doc,
				online: false,
				banned: false,
				up: [],
				down: []
			};
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== NETWORK && client.online) client.up.push(update);
			});
			this.clients.push(client);
			this.connect(index);
		});
	}

	/** Opens the connection and runs both sync steps. */
	connect(index: number): void {
		const client = this.clients[index]!;
		if (client.online || client.banned) return;
		client.online = true;
		client.up.push(Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(this.server)));
		client.down.push(Y.encodeStateAsUpdate(this.server, Y.encodeStateVector(client.doc)));
	}

	/** Closes the connection; whatever was in flight is lost. */
	disconnect(index: number): void {
		const client = this.clients[index]!;
		client.online = false;
		client.up = [];
		client.down = [];
	}

	/** Delivers the next message of one random busy channel; false when all are idle. */
	deliverOne(): boolean {
		const busy = this.clients.flatMap((client) => [
			...(client.up.length > 0 ? [{ client, up: true }] : []),
			...(client.down.length > 0 ? [{ client, up: false }] : [])
		]);
		const channel = this.prng.pick(busy);
		if (!channel) return false;
		const { client } = channel;
		const queue = channel.up ? client.up : client.down;
		const index = channel.up ? 0 : this.prng.int(queue.length);
		const update = queue[index]!;
		if (!this.prng.bool(this.duplicate)) queue.splice(index, 1);
		if (channel.up) this.receive(client, update);
		else Y.applyUpdate(client.doc, update, NETWORK);
		return true;
	}

	private receive(client: StarClient, update: Uint8Array): void {
		const judgement = judge(this.server, client.actor, update);
		if (judgement !== 'ok') {
			this.refusals.push({ client: client.index, judgement });
			client.banned = true;
			this.disconnect(client.index);
			return;
		}
		Y.applyUpdate(this.server, update, client);
		this.accepted++;
		expect(this.server.store.pendingStructs, 'an accepted update left pending structs').toBeNull();
		expect(this.server.store.pendingDs, 'an accepted update left a pending delete set').toBeNull();
	}

	/** Reconnects everyone not banned and delivers everything (no more duplicates). */
	flush(): void {
		this.duplicate = 0;
		this.clients.forEach((client) => this.connect(client.index));
		while (this.deliverOne());
	}
}
