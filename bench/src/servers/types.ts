/** What the harness tells a server child (JSON in BENCH_OPTS) and what a child exposes. */
export type ServerKind = 'kipina' | 'yws' | 'hp3' | 'hp4' | 'relay';

export interface ChildOptions {
	/** Folder for this server's storage (each kind uses its own files in it). */
	dataDir: string;
	/** Kipinä: ROOM_UNLOAD_GRACE_MS. */
	unloadGraceMs?: number;
	/** Kipinä: serve this SvelteKit build (folder with handler.js). */
	webBuildDir?: string;
	/** Peers: before listening, store this Yjs update (file) as document `seedDoc`. */
	seedFile?: string;
	seedDoc?: string;
}

export interface RunningServer {
	port: number;
	/** Extra numbers for the harness (loaded rooms, commit lag, …). */
	info?(): Record<string, unknown>;
	close(): Promise<void>;
}

export type StartFn = (options: ChildOptions) => Promise<RunningServer>;
