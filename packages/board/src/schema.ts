/**
 * The session document's schema.
 *
 * One Y.Doc per session. Every root is a `Y.Map` whose values are plain JSON
 * records (never nested Yjs types): a change to a record replaces the whole
 * value at its key. That keeps every write attributable to one key with one
 * owner, which is what lets the server check an update before applying it
 * (see `inspect.ts` and `policy.ts`).
 */
import * as z from 'zod/mini';

/** Root names of the session document. */
export const ROOTS = {
	/** Session-wide settings; facilitator writes only. */
	meta: 'meta',
	/** Participant id → participant profile; the server writes only. */
	participants: 'participants',
	/** Idea id → idea; each author writes their own, the facilitator any. */
	ideas: 'ideas'
} as const;

export type RootName = (typeof ROOTS)[keyof typeof ROOTS];

/** Current schema version, stored in `meta.schemaVersion` by the server. */
export const SCHEMA_VERSION = 1;

export const LIMITS = {
	ideaText: 500,
	title: 120,
	name: 60,
	industry: 60,
	id: 32
} as const;

export type Role = 'facilitator' | 'participant';

const id = z.string().check(z.minLength(1), z.maxLength(LIMITS.id), z.regex(/^[A-Za-z0-9_-]+$/));
const timestamp = z.number().check(z.int(), z.nonnegative());

/** Trims and collapses the whitespace a user may paste around text. */
export function cleanText(text: string): string {
	return text.replace(/\r\n?/g, '\n').trim();
}

/** Single-line variant for names, industries and titles. */
export function cleanLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

const ideaText = z.string().check(
	z.minLength(1),
	z.maxLength(LIMITS.ideaText),
	z.refine((s) => s === cleanText(s), 'text must be trimmed')
);
const line = (max: number) =>
	z.string().check(
		z.minLength(1),
		z.maxLength(max),
		z.refine((s) => s === cleanLine(s), 'must be a trimmed single line')
	);
const optionalLine = (max: number) =>
	z.string().check(
		z.maxLength(max),
		z.refine((s) => s === cleanLine(s), 'must be a trimmed single line')
	);

/** An idea as stored at `ideas[id]`. */
export const IdeaSchema = z.strictObject({
	id,
	text: ideaText,
	authorId: id,
	/** The author's industry when the idea was posted (kept for the industry mix). */
	industry: optionalLine(LIMITS.industry),
	createdAt: timestamp,
	editedAt: z.optional(timestamp)
});
export type Idea = z.infer<typeof IdeaSchema>;

/** A participant as stored at `participants[id]` (written by the server). */
export const ParticipantSchema = z.strictObject({
	id,
	name: line(LIMITS.name),
	industry: optionalLine(LIMITS.industry),
	role: z.enum(['facilitator', 'participant']),
	joinedAt: timestamp
});
export type Participant = z.infer<typeof ParticipantSchema>;

/** Keys of the `meta` map and their value schemas. */
export const MetaSchemas = {
	schemaVersion: z.number().check(z.int(), z.positive()),
	title: line(LIMITS.title),
	createdAt: timestamp
} as const;
export type MetaKey = keyof typeof MetaSchemas;
export type Meta = { [K in MetaKey]: z.infer<(typeof MetaSchemas)[K]> };

/** Validates that a string is a well-formed record id. */
export function isId(value: unknown): value is string {
	return id.safeParse(value).success;
}

export function isMetaKey(key: string): key is MetaKey {
	return Object.hasOwn(MetaSchemas, key);
}

export { z };
