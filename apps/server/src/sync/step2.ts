/**
 * Answers to sync step 1 for one room's document. The whole document as a
 * sync step 2 message is kept while the document is unchanged: fresh clients
 * joining together (or one after another) share one encode. Only kept for
 * large documents; small ones encode quickly.
 */
import { changedDoc } from '@kipina/board';
import * as Y from 'yjs';
import { encodeSyncStep2 } from './messages.js';

/** Documents at least this large keep their encoded full state between changes. */
const FULL_STATE_CACHE_MIN_BYTES = 32 * 1024;

export class SyncStep2 {
	private full: Uint8Array | null = null;

	constructor(private readonly doc: Y.Doc) {
		// Not an 'update' listener: with one, Yjs encodes every transaction's
		// update (8 % of the server's CPU at 500 ideas/s), only to be thrown away.
		doc.on('afterTransaction', (tr: Y.Transaction) => {
			if (this.full && changedDoc(tr)) this.full = null;
		});
	}

	/** What `stateVector` lacks, as a sync step 2 message. */
	for(stateVector: Uint8Array): Uint8Array {
		if (Y.decodeStateVector(stateVector).size > 0) {
			return encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector));
		}
		return this.full ?? this.seed(Y.encodeStateAsUpdate(this.doc));
	}

	/** `update` is the whole document as it is now (e.g. the snapshot it was loaded from). */
	seed(update: Uint8Array): Uint8Array {
		const message = encodeSyncStep2(update);
		if (update.byteLength >= FULL_STATE_CACHE_MIN_BYTES) this.full = message;
		return message;
	}

	clear(): void {
		this.full = null;
	}
}
