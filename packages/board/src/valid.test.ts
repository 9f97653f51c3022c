/**
 * valid.ts against zod/mini, which the schema used before: every combinator
 * the schema uses, built the same way with both, must accept exactly the
 * same values of a corpus of awkward ones, with the same output.
 */
import { describe, expect, it } from 'vitest';
import * as zm from 'zod/mini';
import * as v from './valid.js';

class Plain {
	text = 'x';
}
const inheritedKey = Object.create({ extra: 1 }) as Record<string, unknown>;
inheritedKey.text = 'x';
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { text: 'x' });
const protoKey = JSON.parse('{"__proto__": 3, "text": "x"}') as unknown;
// A sparse array (a hole at index 1).
const holes: unknown[] = [1];
holes[2] = 2;
const symbolKey = { text: 'x', [Symbol('s')]: 1 };
const hiddenKey = Object.defineProperty({ text: 'x' }, 'hidden', { value: 1, enumerable: false });

const CORPUS: unknown[] = [
	undefined,
	null,
	true,
	false,
	0,
	-0,
	1,
	-1,
	1.5,
	50,
	51,
	2 ** 53 - 1,
	2 ** 53,
	NaN,
	Infinity,
	-Infinity,
	'',
	' ',
	'x',
	' x',
	'x ',
	'a  b',
	'a\nb',
	'a\r\nb',
	'abc_-09',
	'bad key',
	'x'.repeat(32),
	'x'.repeat(33),
	'😀',
	'😀'.repeat(16),
	'😀'.repeat(17),
	'\ud800',
	'a\ud83d',
	'\ude00\ud83d',
	'😀x',
	'2026-11-27',
	'2026-1-27',
	'running',
	'paused',
	'idea',
	'cluster',
	'open',
	[],
	['a'],
	['a', 'b', 'c'],
	[1, 2],
	holes,
	Array.from({ length: 11 }, (_, i) => `id${i}`),
	{},
	{ text: 'x' },
	{ text: 'x', extra: 1 },
	{ text: 'x', n: undefined },
	{ text: 'x', n: 1 },
	{ text: 'x', n: 1.5 },
	{ text: 'x', n: null },
	{ text: 1 },
	{ a: 1, b: 2 },
	{ a: 0 },
	{ 'bad key': 1 },
	{ ok: 1, __proto__: { x: 1 } },
	inheritedKey,
	nullProto,
	protoKey,
	new Plain(),
	symbolKey,
	hiddenKey,
	{ toString: 'x' },
	new Date(0),
	new Map(),
	{ status: 'running', endsAt: 5, durationMs: 10 },
	{ status: 'paused', remainingMs: 0, durationMs: 10 },
	{ status: 'paused', remainingMs: 0, durationMs: 10, endsAt: 5 },
	{ status: 'stopped', remainingMs: 0, durationMs: 10 },
	{ kind: 'idea', id: 'abc' },
	{ kind: 'idea', id: 'a b' },
	{ data: 1 },
	{ data: null },
	{ list: [1, 2] },
	{ list: ['x'] }
];

/** The same schema built with both libraries. */
type Pair = [name: string, zod: zm.ZodMiniType, ours: v.Schema<unknown>];

const id = <Z extends typeof zm | typeof v>(z: Z) =>
	(z as typeof v)
		.string()
		.check(
			(z as typeof v).minLength(1),
			(z as typeof v).maxLength(32),
			(z as typeof v).regex(/^[A-Za-z0-9_-]+$/)
		);

function both(build: (z: typeof v) => v.Schema<unknown>, name: string): Pair {
	// The builders only use names both libraries export with the same meaning.
	return [name, build(zm as unknown as typeof v) as unknown as zm.ZodMiniType, build(v)];
}

const PAIRS: Pair[] = [
	both((z) => z.string(), 'string'),
	both((z) => z.number(), 'number'),
	both((z) => z.boolean(), 'boolean'),
	both((z) => z.unknown(), 'unknown'),
	both((z) => z.literal('running'), 'literal'),
	both((z) => z.literal(1), 'literal number'),
	both((z) => z.enum(['idea', 'cluster']), 'enum'),
	both((z) => id(z), 'id'),
	both((z) => z.number().check(z.int(), z.nonnegative()), 'timestamp'),
	both((z) => z.number().check(z.int(), z.positive(), z.lte(50)), 'count'),
	both(
		(z) =>
			z.string().check(
				z.maxLength(16),
				z.refine((s) => s === s.trim(), 'trimmed')
			),
		'refined string'
	),
	both((z) => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), 'date'),
	both((z) => z.string().check(z.minLength(2), z.maxLength(2)), 'two characters'),
	both((z) => z.optional(z.number()), 'optional'),
	both((z) => z.nullable(z.string()), 'nullable'),
	both((z) => z.optional(z.nullable(z.number())), 'optional nullable'),
	both((z) => z.array(z.string()), 'array'),
	both((z) => z.array(id(z)).check(z.maxLength(10)), 'array of ids, at most 10'),
	both((z) => z.record(id(z), z.number().check(z.int(), z.positive())), 'record'),
	both((z) => z.record(z.string(), z.unknown()), 'record of unknown'),
	both((z) => z.strictObject({ text: z.string() }), 'strictObject'),
	both(
		(z) => z.strictObject({ text: z.string(), n: z.optional(z.number().check(z.int())) }),
		'strictObject with an optional key'
	),
	both((z) => z.strictObject({ ok: z.optional(z.number()) }), 'strictObject, all optional'),
	both((z) => z.object({ text: z.string() }), 'object'),
	both((z) => z.object({ text: z.string(), n: z.optional(z.number()) }), 'object, optional key'),
	both(
		(z) =>
			z.union([
				z.strictObject({
					status: z.literal('running'),
					endsAt: z.number().check(z.int(), z.nonnegative()),
					durationMs: z.number().check(z.int(), z.positive())
				}),
				z.strictObject({
					status: z.literal('paused'),
					remainingMs: z.number().check(z.int(), z.nonnegative()),
					durationMs: z.number().check(z.int(), z.positive())
				})
			]),
		'union of strict objects'
	),
	both((z) => z.strictObject({ kind: z.enum(['idea', 'cluster']), id: id(z) }), 'spotlight'),
	both((z) => z.nullable(z.strictObject({ kind: z.enum(['idea']), id: id(z) })), 'nullable object')
];

// The combinators only the server's HTTP bodies use, named differently in zod/mini.
PAIRS.push(
	['object, unknown key', zm.object({ data: zm.unknown() }), v.object({ data: v.unknown() })],
	['default', zm._default(zm.string(), 'd'), v.withDefault(v.string(), 'd')],
	[
		'object, key with a default',
		zm.object({ list: zm._default(zm.array(zm.number()), []) }),
		v.object({ list: v.withDefault(v.array(v.number()), []) })
	],
	[
		'transform, then checks',
		zm.pipe(
			zm.string(),
			zm.pipe(
				zm.transform((s: string) => s.trim()),
				zm.string().check(zm.minLength(1), zm.maxLength(3))
			)
		),
		v.transform(v.string(), (s) => s.trim()).check(v.minLength(1), v.maxLength(3))
	]
);

describe('valid.ts behaves as zod/mini', () => {
	it.each(PAIRS)('%s accepts and outputs exactly what zod/mini does', (_name, zod, ours) => {
		for (const value of CORPUS) {
			const expected = zod.safeParse(value);
			const actual = ours.safeParse(value);
			expect(actual.success, `${String(_name)}: ${describeValue(value)}`).toBe(expected.success);
			if (expected.success) expect(actual.data).toStrictEqual(expected.data);
		}
	});

	it('reports the path of the first problem, as zod/mini does', () => {
		const build = (z: typeof v) =>
			z.object({
				format: z.literal('kipina'),
				ideas: z.array(z.strictObject({ text: z.string().check(z.minLength(1)) }))
			});
		const zod = build(zm as unknown as typeof v) as unknown as zm.ZodMiniType;
		const ours = build(v);
		for (const value of [
			{},
			{ format: 'other' },
			{ format: 'kipina', ideas: [{ text: 'a' }, { text: '' }] },
			{ format: 'kipina', ideas: [{ text: 'a', extra: 1 }] }
		]) {
			const expected = zod.safeParse(value).error?.issues[0]?.path;
			expect(ours.safeParse(value).error?.issues[0]?.path).toEqual(expected);
		}
	});

	it('parse returns the value or throws with the path', () => {
		const schema = v.strictObject({ id: v.string().check(v.minLength(1)) });
		expect(schema.parse({ id: 'a' })).toEqual({ id: 'a' });
		expect(() => schema.parse({ id: '' })).toThrow(/^id: /);
	});
});

function describeValue(value: unknown): string {
	try {
		return `${Object.prototype.toString.call(value)} ${JSON.stringify(value)}`;
	} catch {
		return String(value);
	}
}
