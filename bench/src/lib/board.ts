/**
 * The big board: 2,000 ideas (the board's own `addIdea`, 200 authors) and
 * 20,000 votes as per-voter entries `votes[participantId] = { ideaId: count }`
 * in a `votes` Y.Map (200 voters × 100 votes; each vote rewrites the voter's
 * entry). Every operation is its own transaction, spread over 20 Yjs client
 * ids. The last idea carries a sentinel: a client has the full board when
 * the sentinel's bytes have arrived. Cached in bench/.cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOTS, SCHEMA_VERSION, addIdea, boardMaps, createBoardDoc, randomId } from '@kipina/board';
import * as Y from 'yjs';
import { BENCH_DIR } from './proc.js';

export const SENTINEL = 'SENTINEL-LAST-IDEA';

export interface BigBoard {
	snapshot: Uint8Array;
	log: Uint8Array[];
	ideas: number;
	votes: number;
}

export function buildBoard(ideas: number, votes: number, authors = 200): BigBoard {
	const doc = createBoardDoc();
	const clients = Array.from({ length: 20 }, (_, i) => 1000 + i);
	const log: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => log.push(u));
	const people = Array.from({ length: authors }, (_, i) => ({
		participantId: randomId(12),
		industry: ['rakennus', 'opetus', 'terveys', 'IT', 'kauppa'][i % 5]!,
		name: `Osallistuja ${i}`
	}));
	let op = 0;
	const as = () => (doc.clientID = clients[op++ % clients.length]!);
	as();
	doc.transact(() => {
		const { meta, participants } = boardMaps(doc);
		meta.set('schemaVersion', SCHEMA_VERSION);
		meta.set('title', 'Big board');
		meta.set('createdAt', Date.now());
		for (const p of people) {
			participants.set(p.participantId, {
				id: p.participantId,
				name: p.name,
				industry: p.industry,
				role: 'participant',
				joinedAt: Date.now()
			});
		}
	});
	const ideaIds: string[] = [];
	for (let i = 0; i < ideas; i++) {
		as();
		const who = people[i % people.length]!;
		const text =
			i === ideas - 1
				? `The last idea ${SENTINEL}`
				: `Idea ${i}: let's try something about ${['schedules', 'tools', 'lunch', 'safety', 'clients'][i % 5]} that takes about eighty characters.`;
		ideaIds.push(addIdea(doc, who, text));
	}
	const voteMap = doc.getMap<Record<string, number>>('votes');
	const perVoter = Math.ceil(votes / people.length);
	let cast = 0;
	for (let v = 0; v < perVoter && cast < votes; v++) {
		for (const p of people) {
			if (cast >= votes) break;
			as();
			const current = { ...(voteMap.get(p.participantId) ?? {}) };
			const idea = ideaIds[(v * 37 + cast) % ideaIds.length]!;
			current[idea] = (current[idea] ?? 0) + 1;
			doc.transact(() => voteMap.set(p.participantId, current));
			cast++;
		}
	}
	const snapshot = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return { snapshot, log, ideas, votes: cast };
}

/** The 2,000 / 20,000 board, built once and cached. */
export function bigBoard(small = false): BigBoard & { file: string } {
	const [ideas, votes] = small ? [100, 1000] : [2000, 20_000];
	const dir = path.join(BENCH_DIR, '.cache');
	const file = path.join(dir, `board-${ideas}-${votes}.bin`);
	const logFile = `${file}.log`;
	if (fs.existsSync(file) && fs.existsSync(logFile)) {
		const raw = fs.readFileSync(logFile);
		const log: Uint8Array[] = [];
		for (let at = 0; at < raw.length;) {
			const len = raw.readUInt32LE(at);
			log.push(new Uint8Array(raw.subarray(at + 4, at + 4 + len)));
			at += 4 + len;
		}
		return { snapshot: new Uint8Array(fs.readFileSync(file)), log, ideas, votes, file };
	}
	const board = buildBoard(ideas, votes);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(file, board.snapshot);
	fs.writeFileSync(
		logFile,
		Buffer.concat(
			board.log.flatMap((u) => {
				const len = Buffer.alloc(4);
				len.writeUInt32LE(u.byteLength);
				return [len, Buffer.from(u)];
			})
		)
	);
	return { ...board, file };
}

/** Counts as a client sees them (for checks after a load). */
export function boardCounts(doc: Y.Doc): { ideas: number; votes: number } {
	let votes = 0;
	for (const entry of doc.getMap<Record<string, number>>('votes').values()) {
		for (const n of Object.values(entry)) votes += n;
	}
	return { ideas: doc.getMap(ROOTS.ideas).size, votes };
}
