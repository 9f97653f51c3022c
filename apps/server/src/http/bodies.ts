/**
 * Request bodies of the HTTP API (docs/api.md), checked with the board's own
 * validators (`@kipina/board/valid`). The server used zod for these nine
 * shapes; zod alone was 3.2 MB of the server's heap (its sources and
 * schemas), a quarter of it, and every major GC walks the whole heap.
 * `test/bodies.test.ts` compares each body with its former zod schema:
 * same acceptance, output, field and message.
 */
import { LIMITS, cleanLine, isId } from '@kipina/board';
import * as v from '@kipina/board/valid';

/** One line of text, cleaned (`cleanLine`), then `min`–`max` characters. */
export const line = (max: number, min = 1) => {
	const error = `must be ${min}–${max} characters`;
	return v
		.transform(v.string({ error: 'must be text' }), cleanLine)
		.check(v.minLength(min, { error }), v.maxLength(max, { error }));
};

const profile = {
	name: line(LIMITS.name),
	industry: v.withDefault(line(LIMITS.industry, 0), '')
};
const secret = v
	.string({ error: 'must be text' })
	.check(
		v.minLength(1, { error: 'must be 1–128 characters' }),
		v.maxLength(128, { error: 'must be 1–128 characters' })
	);
/** A profile a link's first visit may carry (the name can come later). */
const optionalProfile = {
	secret,
	name: v.optional(line(LIMITS.name)),
	industry: v.withDefault(line(LIMITS.industry, 0), '')
};
const idList = v.withDefault(
	v.array(v.string().check(v.maxLength(LIMITS.id))).check(v.maxLength(100)),
	[]
);

export const ProfileBody = v.object(profile);

export const CreateSessionBody = v.object({ ...profile, title: line(LIMITS.title) });

export const CreateGroupBody = v.object({
	...profile,
	groupName: line(LIMITS.title),
	place: v.withDefault(line(80, 0), ''),
	language: v.enum(['fi', 'en'], { error: 'must be "fi" or "en"' })
});

export const AccessBody = v.object(optionalProfile);

export const StartBody = v.object({
	title: line(LIMITS.title),
	carry: v.optional(
		v.object({
			from: v.string().check(v.refine(isId, 'must be a session id')),
			ideas: idList,
			actions: idList
		})
	),
	import: v.optional(v.unknown())
});

export const RoleBody = v.object({ role: v.enum(['facilitator', 'member']) });

export const LeaveBody = v.object({
	ideas: v.enum(['delete', 'anonymise'], { error: 'must be "delete" or "anonymise"' })
});

export const GuestBody = v.object(optionalProfile);

export const ImportBody = v.object({
	...profile,
	title: v.optional(line(LIMITS.title)),
	data: v.unknown()
});
