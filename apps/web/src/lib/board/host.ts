import type { Actor, Participant } from '@kipina/board';
import type * as Y from 'yjs';

/**
 * What the flow adapters (facilitation, themes, voting, planning) need from
 * the board client. Only code in `$lib/board` sees the document: views and
 * commands of `@kipina/board` run through `view` and `run`, and components
 * read the adapters' getters.
 */
export interface FlowHost {
	readonly sessionId: string;
	readonly me: Participant;
	/** This device's identity as the server's policy sees it. */
	readonly actor: Actor;
	readonly isFacilitator: boolean;
	readonly isClosed: boolean;
	/** Whose ideas and dots this device enters now: its participant, or a proxy the facilitator acts for. */
	readonly actingAs: Participant;
	/**
	 * Reads a view of the session document, reactively. Pass a function that
	 * is defined once (not inline) to have its result cached until the document
	 * changes.
	 */
	view<T>(read: (doc: Y.Doc) => T): T;
	/** Runs a command on the session document. */
	run<T>(command: (doc: Y.Doc) => T): T;
	/** Reads the awareness states (presence of others), reactively. */
	presence<T>(read: (states: Iterable<unknown>) => T): T;
	/** Sets a field of this device's own awareness state (e.g. what it drags). */
	setPresence(field: string, value: unknown): void;
}
