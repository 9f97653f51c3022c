/**
 * The board's record validators: the part of zod/mini's API the schema uses
 * (`import * as z from './valid.js'` reads the same), written out by hand.
 *
 * Why not zod/mini itself: the schema ships to every participant's phone
 * with the board, and zod/mini's core was 24 KB of the participant page's
 * JavaScript (~6.5 KB gzipped) for a dozen record shapes. Checking is also
 * on the server's path for every update (the policy validates each record
 * written). The semantics follow zod 4 exactly where the schema depends on
 * them, and `valid.test.ts` compares every combinator with zod/mini on a
 * corpus of awkward values:
 * - numbers are finite (no NaN or ±Infinity); `int()` is a safe integer;
 * - string lengths count code points (a surrogate pair is one);
 * - objects: `strictObject` refuses any key it does not know (inherited
 *   enumerable ones too), `object` drops them; a missing key is `undefined`,
 *   which only `optional` (and `withDefault`) accept — `unknown()` too
 *   needs `optional` for that; arrays are not objects;
 * - records take plain objects (zod's test) and skip an own `__proto__` key;
 * - parsing never transforms (the output has the input's values), except
 *   through `transform` and `withDefault`, which the server's HTTP bodies use.
 * Only the first problem is reported (its path and message). Type checks and
 * length checks take an optional message for that problem (zod's `error`).
 */

export interface Issue {
	path: PropertyKey[];
	message: string;
}

export type SafeParseResult<T> =
	| { success: true; data: T; error?: undefined }
	| { success: false; data?: undefined; error: { issues: Issue[] } };

/** A check on a value that already has the schema's type. */
export interface Check<T> {
	(value: T): string | null;
}

/** Marks a failed parse inside the tree; the first issue is kept in `Run.issue`. */
const FAIL: unique symbol = Symbol('invalid');
type Out<T> = T | typeof FAIL;

interface Run {
	issue: Issue | null;
}

function fail(run: Run, path: PropertyKey[], message: string): typeof FAIL {
	run.issue ??= { path, message };
	return FAIL;
}

export class Schema<T> {
	/** The parsed type (for `infer`); never set at run time. */
	declare readonly _output: T;

	/** Parses `value` at `path`: its output, or `FAIL` with the first issue recorded in `run`. */
	constructor(readonly _run: (value: unknown, path: PropertyKey[], run: Run) => Out<T>) {}

	/** A copy with more checks, run in order once the type matches. */
	check(...checks: Check<T>[]): Schema<T> {
		return new Schema((value, path, run) => {
			const out = this._run(value, path, run);
			if (out === FAIL) return FAIL;
			for (const check of checks) {
				const message = check(out);
				if (message !== null) return fail(run, path, message);
			}
			return out;
		});
	}

	safeParse(value: unknown): SafeParseResult<T> {
		const run: Run = { issue: null };
		const out = this._run(value, [], run);
		if (out === FAIL) {
			return { success: false, error: { issues: [run.issue ?? { path: [], message: 'Invalid' }] } };
		}
		return { success: true, data: out };
	}

	parse(value: unknown): T {
		const result = this.safeParse(value);
		if (!result.success) {
			const [issue] = result.error.issues;
			throw new TypeError(`${issue?.path.map(String).join('.') || 'value'}: ${issue?.message}`);
		}
		return result.data;
	}
}

/** A schema that also accepts `undefined`; as an object's property, the key may be missing. */
export class OptionalSchema<T> extends Schema<T | undefined> {
	readonly _optional = true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;
export type { Infer as infer, Infer as output };

/** zod's `{ error }` parameter: the message of the problem a schema reports. */
export interface Params {
	error?: string;
}

const typed =
	<T>(guard: (value: unknown) => value is T, expected: string, params?: Params) =>
	(value: unknown, path: PropertyKey[], run: Run): Out<T> =>
		guard(value) ? value : fail(run, path, params?.error ?? `Expected ${expected}`);

// --- primitives -------------------------------------------------------------

export const string = (params?: Params): Schema<string> =>
	new Schema(typed((v): v is string => typeof v === 'string', 'string', params));

/** A finite number (zod 4: NaN and ±Infinity are refused). */
export const number = (): Schema<number> =>
	new Schema(typed((v): v is number => typeof v === 'number' && Number.isFinite(v), 'number'));

export const boolean = (): Schema<boolean> =>
	new Schema(typed((v): v is boolean => typeof v === 'boolean', 'boolean'));

export const unknown = (): Schema<unknown> => new Schema((value) => value);

export const literal = <const L extends string | number | boolean | null>(literal: L): Schema<L> =>
	new Schema(typed((v): v is L => v === literal, JSON.stringify(literal)));

const enumOf = <const E extends readonly string[]>(values: E, params?: Params): Schema<E[number]> =>
	new Schema(
		typed(
			(v): v is E[number] => (values as readonly unknown[]).includes(v),
			values.join(' | '),
			params
		)
	);
export { enumOf as enum };

// --- checks -----------------------------------------------------------------

/** Length of a string in code points (a surrogate pair counts once), of an array in items. */
function lengthOf(value: string | readonly unknown[]): number {
	if (typeof value !== 'string') return value.length;
	let count = value.length;
	for (let i = 0; i < value.length - 1; i++) {
		if (
			(value.charCodeAt(i) & 0xfc00) === 0xd800 &&
			(value.charCodeAt(i + 1) & 0xfc00) === 0xdc00
		) {
			count--;
			i++;
		}
	}
	return count;
}

export const minLength =
	(min: number, params?: Params): Check<string | readonly unknown[]> =>
	(value) =>
		lengthOf(value) >= min ? null : (params?.error ?? `Too short: expected at least ${min}`);

export const maxLength =
	(max: number, params?: Params): Check<string | readonly unknown[]> =>
	(value) =>
		lengthOf(value) <= max ? null : (params?.error ?? `Too long: expected at most ${max}`);

export const regex =
	(pattern: RegExp): Check<string> =>
	(value) => {
		pattern.lastIndex = 0;
		return pattern.test(value) ? null : `Invalid string: must match ${pattern}`;
	};

export const refine =
	<T>(predicate: (value: T) => boolean, message = 'Invalid input'): Check<T> =>
	(value) =>
		predicate(value) ? null : message;

export const int = (): Check<number> => (value) =>
	Number.isSafeInteger(value) ? null : 'Expected a safe integer';

export const nonnegative = (): Check<number> => (value) =>
	value >= 0 ? null : 'Too small: expected >= 0';

export const positive = (): Check<number> => (value) =>
	value > 0 ? null : 'Too small: expected > 0';

export const lte =
	(max: number): Check<number> =>
	(value) =>
		value <= max ? null : `Too big: expected <= ${max}`;

// --- wrappers ---------------------------------------------------------------

export const optional = <T>(inner: Schema<T>): OptionalSchema<T> =>
	new OptionalSchema((value, path, run) =>
		value === undefined ? undefined : inner._run(value, path, run)
	);

/**
 * `fallback` when the value is `undefined` (as an object's property: also
 * when the key is missing), else the inner schema's output. The key is then
 * always present in the output. An array fallback is copied for each parse.
 */
export const withDefault = <T>(inner: Schema<T>, fallback: T): Schema<T> =>
	new Schema((value, path, run) =>
		value === undefined
			? Array.isArray(fallback)
				? ([...fallback] as T)
				: fallback
			: inner._run(value, path, run)
	);

/** The inner schema's output passed through `fn`; checks added after it see the result. */
export const transform = <T, U>(inner: Schema<T>, fn: (value: T) => U): Schema<U> =>
	new Schema((value, path, run) => {
		const out = inner._run(value, path, run);
		return out === FAIL ? FAIL : fn(out);
	});

export const nullable = <T>(inner: Schema<T>): Schema<T | null> =>
	new Schema((value, path, run) => (value === null ? null : inner._run(value, path, run)));

export const union = <const S extends readonly Schema<unknown>[]>(
	options: S
): Schema<Infer<S[number]>> =>
	new Schema((value, path, run) => {
		for (const option of options) {
			const out = option._run(value, path, { issue: null });
			if (out !== FAIL) return out as Infer<S[number]>;
		}
		return fail(run, path, 'Invalid input: no option matches');
	});

// --- collections ------------------------------------------------------------

export const array = <T>(item: Schema<T>): Schema<T[]> =>
	new Schema((value, path, run) => {
		if (!Array.isArray(value)) return fail(run, path, 'Expected array');
		const out: T[] = [];
		for (let i = 0; i < value.length; i++) {
			const parsed = item._run(value[i], [...path, i], run);
			if (parsed === FAIL) return FAIL;
			out.push(parsed);
		}
		return out;
	});

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** zod 4's test: an object whose constructor (if any) looks like Object's. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (!isObject(value)) return false;
	const ctor = (value as { constructor?: unknown }).constructor;
	if (ctor === undefined || typeof ctor !== 'function') return true;
	const proto = (ctor as { prototype?: unknown }).prototype;
	return isObject(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

export const record = <K extends string, V>(
	key: Schema<K>,
	item: Schema<V>
): Schema<Record<K, V>> =>
	new Schema((value, path, run) => {
		if (!isPlainObject(value)) return fail(run, path, 'Expected record');
		const out = {} as Record<K, V>;
		for (const k of Reflect.ownKeys(value)) {
			if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, k)) continue;
			const parsedKey = key._run(k, [...path, k], run);
			if (parsedKey === FAIL) return FAIL;
			const parsed = item._run(value[k as string], [...path, k], run);
			if (parsed === FAIL) return FAIL;
			out[parsedKey] = parsed;
		}
		return out;
	});

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = {
	[K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Flat<
	{ -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
		-readonly [K in OptionalKeys<S>]?: Infer<S[K]>;
	}
>;

const MISSING = 'Invalid input: expected nonoptional, received undefined';

function objectOf<S extends Shape>(shape: S, strict: boolean): Schema<ObjectOutput<S>> {
	const keys = Object.keys(shape);
	return new Schema((value, path, run) => {
		if (!isObject(value)) return fail(run, path, 'Expected object');
		const out: Record<string, unknown> = {};
		for (const k of keys) {
			const schema = shape[k]!;
			const parsed = schema._run(value[k], [...path, k], run);
			if (parsed === FAIL) return FAIL;
			if (parsed !== undefined || k in value) out[k] = parsed;
			// zod 4: a missing key needs an optional schema, even one that accepts `undefined`.
			else if (!(schema instanceof OptionalSchema)) return fail(run, [...path, k], MISSING);
		}
		if (strict) {
			for (const k in value) {
				if (!Object.hasOwn(shape, k)) return fail(run, path, `Unrecognized key: "${k}"`);
			}
		}
		return out as ObjectOutput<S>;
	});
}

/** An object with these properties; other keys are dropped from the output. */
export const object = <S extends Shape>(shape: S): Schema<ObjectOutput<S>> =>
	objectOf(shape, false);

/** An object with exactly these properties (an unknown key is an error). */
export const strictObject = <S extends Shape>(shape: S): Schema<ObjectOutput<S>> =>
	objectOf(shape, true);
