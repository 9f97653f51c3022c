/**
 * Yjs encodes every transaction as an update message as soon as anyone
 * listens to the doc's `'update'` event. The websocket provider listens, to
 * send local changes, and ignores the updates it applied itself (origin =
 * provider). So every remote change is encoded for nothing: for the first
 * sync of a big board (an 819 KB sync step 2) that is ~40 ms of main-thread
 * time and garbage before the board can be shown.
 *
 * `listenToLocalUpdates` subscribes a handler to `'update'` only while a
 * transaction that is not from `remoteOrigin` is being cleaned up. Yjs emits
 * `'afterTransactionCleanup'` for each transaction right before it decides
 * whether to encode it, so the subscription is set per transaction, nested
 * transactions (an observer writing during a remote change) included.
 */
import type * as Y from 'yjs';

type UpdateHandler = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void;

/** Calls `handler` with the update of every transaction whose origin is not `remoteOrigin`. */
export function listenToLocalUpdates(
	doc: Y.Doc,
	remoteOrigin: unknown,
	handler: UpdateHandler
): () => void {
	let subscribed = false;
	const subscribe = (on: boolean) => {
		if (on === subscribed) return;
		subscribed = on;
		if (on) doc.on('update', handler);
		else doc.off('update', handler);
	};
	const beforeEncoding = (tr: Y.Transaction) => subscribe(tr.origin !== remoteOrigin);
	const afterAll = () => subscribe(true);
	doc.on('afterTransactionCleanup', beforeEncoding);
	doc.on('afterAllTransactions', afterAll);
	subscribe(true);
	return () => {
		doc.off('afterTransactionCleanup', beforeEncoding);
		doc.off('afterAllTransactions', afterAll);
		subscribe(false);
	};
}
