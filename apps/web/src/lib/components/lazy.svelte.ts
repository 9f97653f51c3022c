/**
 * Parts of the board a participant does not need for the first screen: the
 * views of later phases, the facilitator's tools and the join form. Each is
 * its own chunk, fetched when first shown, so joining a board loads less.
 *
 * Once the board is up, `prefetchBoardParts` fetches them while the browser
 * is idle: a phase change or a dialog then needs no network (the venue Wi-Fi
 * may be gone by then).
 */
/*
 * A few chunks rather than one per component: SvelteKit links the styles of
 * every dynamically imported component from the page anyway, and a few bigger
 * files compress better than many small ones.
 */

/**
 * A chunk fetched once. `current` is `null` until it has arrived (reading it
 * starts the fetch) and then stays: once here (e.g. prefetched), a part is
 * shown in the same update as the change that asks for it, with no gap.
 */
class LazyPart<T> {
	readonly #load: () => Promise<T>;
	#value = $state.raw<T | null>(null);
	#loading: Promise<T> | null = null;

	constructor(load: () => Promise<T>) {
		this.#load = load;
	}

	get current(): T | null {
		if (this.#value === null) this.load().catch(() => undefined);
		return this.#value;
	}

	/** Fetches the chunk (once; again after a failure). */
	load(): Promise<T> {
		this.#loading ??= this.#load().then(
			(value) => (this.#value = value),
			(failure: unknown) => {
				this.#loading = null;
				throw failure;
			}
		);
		return this.#loading;
	}
}

export const laterPhases = new LazyPart(() => import('./flow/LaterPhases'));
export const facilitatorTools = new LazyPart(() => import('./flow/FacilitatorTools'));
export const loadJoinForm = () => import('./JoinForm.svelte');

const BOARD_PARTS = [() => laterPhases.load()];

/** After the first screen has settled (a few seconds, then idle time), fetches the rest of the board. */
export function prefetchBoardParts(facilitator: boolean): () => void {
	const parts = facilitator ? [...BOARD_PARTS, () => facilitatorTools.load()] : BOARD_PARTS;
	const fetchAll = () => {
		// Only a head start: a part that fails to load here is fetched again when shown.
		for (const load of parts) load().catch(() => undefined);
	};
	let idle: number | null = null;
	const timer = setTimeout(() => {
		if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(fetchAll);
		else fetchAll();
	}, SETTLE_MS);
	return () => {
		clearTimeout(timer);
		if (idle !== null) cancelIdleCallback(idle);
	};
}

/** How long the first screen gets for itself (its own chunks, the board's first render). */
const SETTLE_MS = 3000;
