/**
 * The HTTP bodies (src/http/bodies.ts) against the zod schemas they replace,
 * written here as they were: every body must accept exactly the same values
 * of a corpus, with the same output, and refuse the rest naming the same
 * field with the same message wherever zod had a message of ours (`must
 * be …`; zod's own default wording is not part of the API). One message is
 * deliberately different: a secret of the wrong length now says so.
 */
import { LIMITS, cleanLine, isId } from '@kipina/board';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import * as bodies from '../src/http/bodies.js';

const line = (max: number, min = 1) =>
	z
		.string({ error: 'must be text' })
		.transform(cleanLine)
		.pipe(
			z
				.string()
				.min(min, { error: `must be ${min}–${max} characters` })
				.max(max, { error: `must be ${min}–${max} characters` })
		);
const ProfileBody = z.object({
	name: line(LIMITS.name),
	industry: line(LIMITS.industry, 0).optional().default('')
});
const Secret = z.string({ error: 'must be text' }).min(1).max(128);
const idList = z.array(z.string().max(LIMITS.id)).max(100).default([]);

const ZOD: Record<keyof typeof bodies, z.ZodType | null> = {
	line: null,
	ProfileBody,
	CreateSessionBody: ProfileBody.extend({ title: line(LIMITS.title) }),
	CreateGroupBody: ProfileBody.extend({
		groupName: line(LIMITS.title),
		place: line(80, 0).optional().default(''),
		language: z.enum(['fi', 'en'], { error: 'must be "fi" or "en"' })
	}),
	AccessBody: z.object({
		secret: Secret,
		name: line(LIMITS.name).optional(),
		industry: line(LIMITS.industry, 0).optional().default('')
	}),
	StartBody: z.object({
		title: line(LIMITS.title),
		carry: z
			.object({
				from: z.string().refine(isId, { error: 'must be a session id' }),
				ideas: idList,
				actions: idList
			})
			.optional(),
		import: z.unknown().optional()
	}),
	RoleBody: z.object({ role: z.enum(['facilitator', 'member']) }),
	LeaveBody: z.object({
		ideas: z.enum(['delete', 'anonymise'], { error: 'must be "delete" or "anonymise"' })
	}),
	GuestBody: z.object({
		secret: z.string({ error: 'must be text' }).min(1).max(128),
		name: line(LIMITS.name).optional(),
		industry: line(LIMITS.industry, 0).optional().default('')
	}),
	ImportBody: ProfileBody.extend({ title: line(LIMITS.title).optional(), data: z.unknown() })
};

const ID = 'a'.repeat(21);
/** Values each field is tried with, alone and in bodies that are otherwise valid. */
const VALUES: unknown[] = [
	undefined,
	null,
	0,
	42,
	true,
	'',
	' ',
	'  Aino  ',
	'Aino\nKoski',
	'x'.repeat(LIMITS.name),
	'x'.repeat(LIMITS.name + 1),
	'x'.repeat(LIMITS.title + 1),
	' '.repeat(300),
	'😀'.repeat(LIMITS.name),
	'😀'.repeat(LIMITS.name + 1),
	'x'.repeat(128),
	'x'.repeat(129),
	'fi',
	'en',
	'sv',
	'member',
	'facilitator',
	'delete',
	'anonymise',
	ID,
	'not an id',
	[],
	[ID],
	['x'.repeat(LIMITS.id + 1)],
	[1],
	Array.from({ length: 100 }, () => ID),
	Array.from({ length: 101 }, () => ID),
	{},
	{ from: ID },
	{ from: ID, ideas: [ID], actions: [] },
	{ from: 'x', ideas: [] },
	{ from: ID, ideas: 'x' },
	{ format: 'kipina', ideas: [] }
];

const VALID: Record<string, Record<string, unknown>> = {
	ProfileBody: { name: 'Aino', industry: 'Kahvila' },
	CreateSessionBody: { title: 'Ilta', name: 'Aino' },
	CreateGroupBody: { groupName: 'Ydinryhmä', language: 'fi', name: 'Aino' },
	AccessBody: { secret: 's3cret' },
	StartBody: { title: 'Joulukuu' },
	RoleBody: { role: 'member' },
	LeaveBody: { ideas: 'delete' },
	GuestBody: { secret: 's3cret', name: 'Aino' },
	ImportBody: { name: 'Aino', data: { format: 'kipina' } }
};
const FIELDS = ['name', 'industry', 'title', 'groupName', 'place', 'language', 'secret', 'carry'];

function corpus(name: string): unknown[] {
	const valid = VALID[name]!;
	const out: unknown[] = [{}, valid, { ...valid, extra: 1 }];
	for (const field of [...Object.keys(valid), ...FIELDS, 'role', 'ideas', 'import', 'data']) {
		for (const value of VALUES) {
			const body: Record<string, unknown> = { ...valid, [field]: value };
			if (value === undefined) delete body[field];
			out.push(body);
		}
	}
	return out;
}

const NAMES = Object.keys(VALID) as (keyof typeof VALID)[];

describe('HTTP bodies behave as their former zod schemas', () => {
	test.each(NAMES)('%s', (name) => {
		const ours = bodies[name as keyof typeof bodies] as {
			safeParse(value: unknown): {
				success: boolean;
				data?: unknown;
				error?: { issues: { path: PropertyKey[]; message: string }[] };
			};
		};
		const zod = ZOD[name as keyof typeof bodies]!;
		let refused = 0;
		for (const value of corpus(name)) {
			const expected = zod.safeParse(value);
			const actual = ours.safeParse(value);
			const what = `${name} ${JSON.stringify(value)?.slice(0, 120)}`;
			expect(actual.success, what).toBe(expected.success);
			if (expected.success) {
				expect(actual.data, what).toStrictEqual(expected.data);
				continue;
			}
			refused++;
			const want = expected.error.issues[0]!;
			const got = actual.error!.issues[0]!;
			expect(got.path, what).toEqual(want.path);
			if (
				String(want.path[0]) === 'secret' &&
				typeof (value as { secret?: unknown }).secret === 'string'
			) {
				// Deliberately clearer: zod reported a wrong length as "must be text".
				expect(got.message, what).toBe('must be 1–128 characters');
			} else if (want.message.startsWith('must be')) expect(got.message, what).toBe(want.message);
			else expect(got.message, what).not.toBe('');
		}
		// The corpus reaches refusals of every body, not only acceptances.
		expect(refused).toBeGreaterThan(10);
	});
});
