/**
 * The session document's schema.
 *
 * One Y.Doc per session. Every root is a `Y.Map` whose values are plain JSON
 * records (never nested Yjs types): a change to a record replaces the whole
 * value at its key. That keeps every write attributable to one key with one
 * owner, which is what lets the server check an update before applying it
 * (see `inspect.ts` and `policy.ts`).
 */
import * as z from './valid.js';

/** Root names of the session document. */
export const ROOTS = {
	/** Session-wide settings; facilitator writes only. */
	meta: 'meta',
	/** Participant id → participant profile; the server writes only. */
	participants: 'participants',
	/** Idea id → idea; each author writes their own, the facilitator any. */
	ideas: 'ideas',
	/** Cluster id → cluster; anyone during clustering. */
	clusters: 'clusters',
	/** Idea id → its cluster and order; anyone during clustering. */
	placements: 'placements',
	/** Participant id → that participant's dots; each writes only their own. */
	votes: 'votes',
	/** Action id → next step; its creator or the facilitator. */
	actions: 'actions',
	/** "<actionId>.<participantId>" → offer of help; each writes only their own. */
	offers: 'offers',
	/** Server-maintained counters (e.g. private ideas not yet revealed). */
	stats: 'stats'
} as const;

/**
 * Roots of a participant's private "desk" document: ideas written privately,
 * synced only with their author (and the facilitator, for people without a
 * device) until the facilitator reveals them into the session document.
 */
export const DESK_ROOTS = { ideas: 'ideas' } as const;

export const PHASES = ['ideate', 'cluster', 'vote', 'results', 'actions'] as const;
export type Phase = (typeof PHASES)[number];

export type RootName = (typeof ROOTS)[keyof typeof ROOTS];

/** Current schema version, stored in `meta.schemaVersion` by the server. */
export const SCHEMA_VERSION = 2;

export const LIMITS = {
	ideaText: 500,
	title: 120,
	name: 60,
	industry: 60,
	id: 32,
	clusterTitle: 80,
	actionText: 300,
	voteBudget: 50,
	timerMs: 4 * 60 * 60 * 1000
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
	joinedAt: timestamp,
	/** Added by the facilitator for someone without a device; the facilitator acts for them. */
	proxy: z.optional(z.boolean())
});
export type Participant = z.infer<typeof ParticipantSchema>;

const count = (max: number) => z.number().check(z.int(), z.positive(), z.lte(max));

/** The shared countdown, in server time (clients correct for their clock offset). */
export const TimerSchema = z.union([
	z.strictObject({
		status: z.literal('running'),
		endsAt: timestamp,
		durationMs: count(LIMITS.timerMs)
	}),
	z.strictObject({
		status: z.literal('paused'),
		remainingMs: z.number().check(z.int(), z.nonnegative(), z.lte(LIMITS.timerMs)),
		durationMs: count(LIMITS.timerMs)
	})
]);
export type Timer = z.infer<typeof TimerSchema>;

export const SpotlightSchema = z.strictObject({ kind: z.enum(['idea', 'cluster']), id });
export type Spotlight = z.infer<typeof SpotlightSchema>;

/** Keys of the `meta` map and their value schemas. */
export const MetaSchemas = {
	schemaVersion: z.number().check(z.int(), z.positive()),
	title: line(LIMITS.title),
	createdAt: timestamp,
	phase: z.enum(PHASES),
	/** During ideation, new ideas stay private until the facilitator reveals them. */
	privateWriting: z.boolean(),
	/** Participants may post ideas outside the ideate phase. */
	lateIdeas: z.boolean(),
	/** Read-only for participants. */
	locked: z.boolean(),
	voteBudget: count(LIMITS.voteBudget),
	maxVotesPerIdea: count(LIMITS.voteBudget),
	/** Vote counts shown live, or only from the results phase on. */
	votesVisible: z.enum(['live', 'results']),
	/** Everyone may see who voted for what (otherwise only totals are shown). */
	openVoting: z.boolean(),
	spotlight: z.nullable(SpotlightSchema),
	timer: z.nullable(TimerSchema),
	/** When the facilitator closed the session; from then on it is read-only (server-written). */
	closed: timestamp
} as const;

/** Settings of a session that has never changed them. */
export const DEFAULT_SETTINGS = {
	phase: 'ideate',
	privateWriting: false,
	lateIdeas: false,
	locked: false,
	voteBudget: 5,
	maxVotesPerIdea: 3,
	votesVisible: 'live',
	openVoting: false,
	spotlight: null,
	timer: null
} as const satisfies Partial<Meta>;

/** Keys only the server writes. */
export const SERVER_META_KEYS: ReadonlySet<string> = new Set([
	'schemaVersion',
	'createdAt',
	'closed'
]);

/**
 * Author id of ideas whose author chose to stay anonymous after leaving the
 * group: the idea is kept, its author and industry are removed (server-written).
 */
export const ANONYMOUS_AUTHOR = '_anonymous';
export type MetaKey = keyof typeof MetaSchemas;
export type Meta = { [K in MetaKey]: z.infer<(typeof MetaSchemas)[K]> };
export type Settings = Pick<Meta, keyof typeof DEFAULT_SETTINGS>;

/** Validates that a string is a well-formed record id. */
export function isId(value: unknown): value is string {
	return id.safeParse(value).success;
}

export function isMetaKey(key: string): key is MetaKey {
	return Object.hasOwn(MetaSchemas, key);
}
