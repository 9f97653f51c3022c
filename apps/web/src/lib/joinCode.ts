/**
 * Short join codes, as the projector shows them (`K7P 2QX`) and as people
 * type them on a phone (`k7p-2qx`, `K7P2QX `, a pasted link…). The server
 * normalises the same way (`normalizeJoinCode` in apps/server/src/sessions.ts).
 */

export const JOIN_CODE_LENGTH = 6;

/** The server's alphabet: no I, O, 0 or 1, which look alike on a wall. */
const ALPHABET = /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]*$/;

/**
 * What someone typed → the code: upper case, without spaces, dashes or other
 * punctuation. A pasted join link (`…/join?code=K7P2QX`) yields its code.
 */
export function normalizeJoinCode(input: string): string {
	const fromLink = /[?&]code=([^&#\s]*)/i.exec(input);
	const raw = fromLink ? decodeURIComponent(fromLink[1] ?? '') : input;
	return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** `K7P2QX` → `K7P 2QX`: two groups of three are easier to read out and to type. */
export function formatJoinCode(code: string): string {
	const clean = normalizeJoinCode(code);
	return clean.length > 3 ? `${clean.slice(0, 3)} ${clean.slice(3)}` : clean;
}

export type JoinCodeProblem = 'empty' | 'short' | 'long' | 'characters';

/** Why a typed code cannot be right, before asking the server; `null` when it may be. */
export function joinCodeProblem(input: string): JoinCodeProblem | null {
	const code = normalizeJoinCode(input);
	if (code.length === 0) return 'empty';
	if (!ALPHABET.test(code)) return 'characters';
	if (code.length < JOIN_CODE_LENGTH) return 'short';
	if (code.length > JOIN_CODE_LENGTH) return 'long';
	return null;
}

/** The short link shown on the projector: this origin + `/join`, the code as `?code=` to prefill. */
export function joinLink(origin: string, code?: string): string {
	const base = `${origin.replace(/\/+$/, '')}/join`;
	return code ? `${base}?code=${normalizeJoinCode(code)}` : base;
}
