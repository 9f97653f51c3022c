/**
 * Append-only update logs, one file per document, beside the SQLite
 * database. Why not a SQLite table: in WAL mode every commit writes whole
 * pages (a 4 KiB leaf page and the WAL frame headers, and the checkpoint
 * copies the page again), so a 150-byte update committed on its own cost
 * ~8 KiB of writes (54× write amplification, docs/performance.md). An
 * append of the record itself costs the record: one `write(2)` per batch,
 * in the page cache when it returns, so it survives a process crash
 * (kill -9) exactly like a SQLite commit with `synchronous = NORMAL` does.
 * Like that setting, it does not promise to survive a power cut.
 *
 * Record: u32 payload length, u32 CRC-32 of the payload, payload (lib0
 * encoding): varuint first sequence number, varuint client-binding count,
 * (varuint client id, varstring participant id)*, varuint update count,
 * (varuint8array update)*. One record per stored batch: a batch is
 * all-or-nothing, like the transaction it replaces. A torn or corrupt tail
 * (power loss) ends the log at the last whole record and is cut off before
 * the next append.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface LogBatch {
	/** Sequence number of the batch's first update; the rest follow. */
	firstSeq: number;
	clients: [clientId: number, participantId: string][];
	updates: Uint8Array[];
}

export interface LogContents {
	batches: LogBatch[];
	/** Bytes of whole records (what the file holds after a torn tail is cut). */
	bytes: number;
}

const HEADER = 8;
/** Open append descriptors kept; the rest are opened per write. */
const MAX_OPEN = 64;

export function encodeBatch(batch: LogBatch): Buffer {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, batch.firstSeq);
	encoding.writeVarUint(e, batch.clients.length);
	for (const [clientId, participantId] of batch.clients) {
		encoding.writeVarUint(e, clientId);
		encoding.writeVarString(e, participantId);
	}
	encoding.writeVarUint(e, batch.updates.length);
	for (const update of batch.updates) encoding.writeVarUint8Array(e, update);
	const payload = encoding.toUint8Array(e);
	const record = Buffer.allocUnsafe(HEADER + payload.length);
	record.writeUInt32LE(payload.length, 0);
	record.writeUInt32LE(crc32(payload), 4);
	record.set(payload, HEADER);
	return record;
}

/** Decodes whole records from the start of `buf`; stops at the first torn or corrupt one. */
export function decodeLog(buf: Uint8Array): LogContents {
	const batches: LogBatch[] = [];
	const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
	let at = 0;
	while (at + HEADER <= view.length) {
		const length = view.readUInt32LE(at);
		const end = at + HEADER + length;
		if (end > view.length) break;
		const payload = view.subarray(at + HEADER, end);
		if (crc32(payload) !== view.readUInt32LE(at + 4)) break;
		try {
			const d = decoding.createDecoder(payload);
			const firstSeq = decoding.readVarUint(d);
			const clients: LogBatch['clients'] = [];
			for (let n = decoding.readVarUint(d); n > 0; n--) {
				clients.push([decoding.readVarUint(d), decoding.readVarString(d)]);
			}
			const updates: Uint8Array[] = [];
			for (let n = decoding.readVarUint(d); n > 0; n--) {
				updates.push(decoding.readVarUint8Array(d));
			}
			batches.push({ firstSeq, clients, updates });
		} catch {
			break;
		}
		at = end;
	}
	return { batches, bytes: at };
}

/** One log file per document under `dir`. Synchronous: an append has reached the OS when it returns. */
export class UpdateLog {
	private readonly open = new Map<string, number>();

	constructor(readonly dir: string) {
		fs.mkdirSync(dir, { recursive: true });
		// A rewrite (dropUpTo) interrupted by a crash: the old file is still complete.
		for (const name of fs.readdirSync(dir)) {
			if (name.endsWith('.log.tmp')) fs.rmSync(path.join(dir, name), { force: true });
		}
	}

	fileOf(docId: string): string {
		return path.join(this.dir, `${encodeURIComponent(docId)}.log`);
	}

	/** Document ids that have a log file. */
	documents(): string[] {
		return fs
			.readdirSync(this.dir)
			.filter((name) => name.endsWith('.log'))
			.map((name) => decodeURIComponent(name.slice(0, -4)));
	}

	/** Reads a document's log; a torn tail is cut off so that appends follow whole records. */
	read(docId: string): LogContents {
		let buf: Buffer;
		try {
			buf = fs.readFileSync(this.fileOf(docId));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { batches: [], bytes: 0 };
			throw error;
		}
		const contents = decodeLog(buf);
		if (contents.bytes < buf.length) {
			this.closeFd(docId);
			fs.truncateSync(this.fileOf(docId), contents.bytes);
		}
		return contents;
	}

	/** Appends one batch with a single write; returns the bytes written. */
	append(docId: string, batch: LogBatch): number {
		const record = encodeBatch(batch);
		const fd = this.fd(docId);
		let done = 0;
		while (done < record.length) done += fs.writeSync(fd, record, done);
		return record.length;
	}

	/**
	 * Keeps only the batches after `uptoSeq` (a snapshot covers the rest).
	 * Usually nothing remains and the file is removed; otherwise the rest is
	 * written to a new file that replaces the old one atomically.
	 */
	dropUpTo(docId: string, uptoSeq: number): void {
		const rest = this.read(docId).batches.filter(
			(b) => b.firstSeq + b.updates.length - 1 > uptoSeq
		);
		this.closeFd(docId);
		const file = this.fileOf(docId);
		if (rest.length === 0) {
			fs.rmSync(file, { force: true });
			return;
		}
		const tmp = `${file}.tmp`;
		fs.writeFileSync(tmp, Buffer.concat(rest.map(encodeBatch)));
		fs.renameSync(tmp, file);
	}

	/** Closes the document's descriptor, if open (its room was unloaded). */
	release(docId: string): void {
		this.closeFd(docId);
	}

	remove(docId: string): void {
		this.closeFd(docId);
		fs.rmSync(this.fileOf(docId), { force: true });
	}

	close(): void {
		for (const fd of this.open.values()) fs.closeSync(fd);
		this.open.clear();
	}

	private fd(docId: string): number {
		let fd = this.open.get(docId);
		if (fd !== undefined) {
			// Most recently used last.
			this.open.delete(docId);
			this.open.set(docId, fd);
			return fd;
		}
		fd = fs.openSync(this.fileOf(docId), 'a');
		this.open.set(docId, fd);
		if (this.open.size > MAX_OPEN) {
			const [oldest] = this.open.keys();
			this.closeFd(oldest!);
		}
		return fd;
	}

	private closeFd(docId: string): void {
		const fd = this.open.get(docId);
		if (fd === undefined) return;
		this.open.delete(docId);
		fs.closeSync(fd);
	}
}
