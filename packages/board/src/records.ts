/**
 * Record types of the meeting-night flow: clusters, placements of ideas in
 * clusters, votes, actions and offers of help. Each is stored as a plain JSON
 * value under one key of its root map (see `schema.ts`), with one owner per
 * key, so the policy can judge every write on its own.
 */
import * as z from './valid.js';
import { LIMITS, cleanLine, cleanText } from './schema.js';

const id = z.string().check(z.minLength(1), z.maxLength(LIMITS.id), z.regex(/^[A-Za-z0-9_-]+$/));
const timestamp = z.number().check(z.int(), z.nonnegative());
const trimmedLine = (max: number, min = 0) =>
	z.string().check(
		z.minLength(min),
		z.maxLength(max),
		z.refine((s) => s === cleanLine(s), 'must be a trimmed single line')
	);

/** Fractional index keys (see `order.ts`): short, printable, comparable as strings. */
const orderKey = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[0-9A-Za-z]+$/));

export const CLUSTER_COLORS = [
	'sun',
	'sea',
	'forest',
	'berry',
	'sky',
	'heather',
	'sand',
	'stone'
] as const;
export type ClusterColor = (typeof CLUSTER_COLORS)[number];

/** A named group of ideas, at `clusters[id]`. */
export const ClusterSchema = z.strictObject({
	id,
	/** May be empty while nobody has named it yet. */
	title: trimmedLine(LIMITS.clusterTitle),
	order: orderKey,
	color: z.enum(CLUSTER_COLORS),
	createdBy: id,
	createdAt: timestamp
});
export type Cluster = z.infer<typeof ClusterSchema>;

/** Where an idea sits, at `placements[ideaId]`; no entry means "not grouped". */
export const PlacementSchema = z.strictObject({
	clusterId: id,
	order: orderKey
});
export type Placement = z.infer<typeof PlacementSchema>;

/** One participant's dots, at `votes[participantId]`: idea id → dots on it. */
export const VotesSchema = z.record(id, z.number().check(z.int(), z.positive(), z.lte(50)));
export type Votes = z.infer<typeof VotesSchema>;

export const ACTION_STATUSES = ['open', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A next step agreed on the evening, at `actions[id]`. */
export const ActionSchema = z.strictObject({
	id,
	text: z.string().check(
		z.minLength(1),
		z.maxLength(LIMITS.actionText),
		z.refine((s) => s === cleanText(s), 'text must be trimmed')
	),
	/** The idea or cluster it grew from. */
	source: z.nullable(z.strictObject({ kind: z.enum(['idea', 'cluster']), id })),
	/** Participants who take it on. */
	ownerIds: z.array(id).check(z.maxLength(10)),
	/** Target date, `YYYY-MM-DD`. */
	due: z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
	status: z.enum(ACTION_STATUSES),
	createdBy: id,
	createdAt: timestamp
});
export type Action = z.infer<typeof ActionSchema>;

/** "I can help": a participant offering to partner on an action, at `offers["<actionId>.<participantId>"]`. */
export const OfferSchema = z.strictObject({
	actionId: id,
	participantId: id,
	at: timestamp
});
export type Offer = z.infer<typeof OfferSchema>;

export function offerKey(actionId: string, participantId: string): string {
	return `${actionId}.${participantId}`;
}

/**
 * Server-maintained counters live at `stats[key]`. `private.<participantId>`
 * holds how many ideas that participant has written privately and not yet
 * revealed — the only trace of private ideas in the shared document.
 */
export function privateStatKey(participantId: string): string {
	return `private.${participantId}`;
}

export interface PrivateIdeaStats {
	ideas: number;
	people: number;
}
