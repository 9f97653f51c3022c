/**
 * The JSON export of a session (docs/export.md): complete — every record of
 * the shared board, keyed as in the document — documented, and importable
 * into a new session. The archive viewer renders an export by writing it into
 * a fresh document and reading the same views the live board uses.
 *
 * Private ideas that were never revealed are not part of the board, so they
 * are never exported.
 */
import type * as Y from 'yjs';
import * as z from './valid.js';
import { boardMaps } from './doc.js';
import {
	ActionSchema,
	ClusterSchema,
	OfferSchema,
	PlacementSchema,
	VotesSchema,
	offerKey,
	type Action,
	type Cluster,
	type Offer,
	type Placement,
	type Votes
} from './records.js';
import {
	DEFAULT_SETTINGS,
	IdeaSchema,
	LIMITS,
	MetaSchemas,
	ParticipantSchema,
	SCHEMA_VERSION,
	isId,
	type Idea,
	type Participant,
	type Settings
} from './schema.js';
import { closedAt, summarize, type SessionSummary } from './summary.js';
import { getSessionInfo } from './views.js';

export const EXPORT_FORMAT = 'kipina-session';
export const EXPORT_VERSION = 1;

export interface SessionExport {
	format: typeof EXPORT_FORMAT;
	version: typeof EXPORT_VERSION;
	exportedAt: number;
	session: {
		id: string;
		title: string;
		createdAt: number;
		closedAt: number | null;
		schemaVersion: number;
	};
	/** The group the session belongs to (null for an evening without a group). */
	group: { id: string; name: string } | null;
	/** The session's settings at export time (phase, budgets, …). */
	settings: Partial<Settings>;
	participants: Participant[];
	ideas: Idea[];
	clusters: Cluster[];
	/** Idea id → its cluster and order. */
	placements: Record<string, Placement>;
	/** Participant id → idea id → dots. */
	votes: Record<string, Votes>;
	actions: Action[];
	offers: Offer[];
	/** Derived from the records above, for readers; ignored on import. */
	summary: SessionSummary;
}

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

const byCreated = <T extends { createdAt: number; id: string }>(a: T, b: T) =>
	a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sortedEntries = <T>(map: Y.Map<T>) =>
	Object.fromEntries([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The export of a session document, deterministic for a given document and time. */
export function exportSession(
	doc: Y.Doc,
	session: { id: string; group?: { id: string; name: string } | null },
	now = Date.now()
): SessionExport {
	const maps = boardMaps(doc);
	const info = getSessionInfo(doc);
	const settings: Partial<Settings> = {};
	for (const key of SETTING_KEYS) {
		const value = maps.meta.get(key);
		if (value !== undefined && MetaSchemas[key].safeParse(value).success) {
			(settings as Record<string, unknown>)[key] = value;
		}
	}
	return {
		format: EXPORT_FORMAT,
		version: EXPORT_VERSION,
		exportedAt: Math.floor(now),
		session: {
			id: session.id,
			title: info.title,
			createdAt: info.createdAt,
			closedAt: closedAt(doc),
			schemaVersion: (maps.meta.get('schemaVersion') as number | undefined) ?? SCHEMA_VERSION
		},
		group: session.group ?? null,
		settings,
		participants: [...maps.participants.values()].sort(
			(a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : 1)
		),
		ideas: [...maps.ideas.values()].sort(byCreated),
		clusters: [...maps.clusters.values()].sort(byCreated),
		placements: sortedEntries(maps.placements),
		votes: sortedEntries(maps.votes),
		actions: [...maps.actions.values()].sort(byCreated),
		offers: [...maps.offers.values()].sort(
			(a, b) =>
				a.at - b.at ||
				(offerKey(a.actionId, a.participantId) < offerKey(b.actionId, b.participantId) ? -1 : 1)
		),
		summary: summarize(doc)
	};
}

export type ParsedExport =
	{ ok: true; data: SessionExport } | { ok: false; path: string; message: string };

const timestamp = z.number().check(z.int(), z.nonnegative());
const Envelope = z.object({
	format: z.literal(EXPORT_FORMAT),
	version: z.literal(EXPORT_VERSION),
	exportedAt: z.optional(timestamp),
	session: z.object({
		id: z.optional(z.string()),
		title: z.string(),
		createdAt: timestamp,
		closedAt: z.optional(z.nullable(timestamp))
	}),
	group: z.optional(z.nullable(z.object({ id: z.string(), name: z.string() }))),
	settings: z.optional(z.record(z.string(), z.unknown())),
	participants: z.array(z.unknown()),
	ideas: z.array(z.unknown()),
	clusters: z.optional(z.array(z.unknown())),
	placements: z.optional(z.record(z.string(), z.unknown())),
	votes: z.optional(z.record(z.string(), z.unknown())),
	actions: z.optional(z.array(z.unknown())),
	offers: z.optional(z.array(z.unknown()))
});

class Invalid extends Error {
	constructor(
		readonly path: string,
		message: string
	) {
		super(message);
	}
}

function each<T>(items: unknown[], schema: z.Schema<T>, path: string): T[] {
	return items.map((item, i) => {
		const parsed = schema.safeParse(item);
		if (!parsed.success) throw new Invalid(`${path}.${i}`, 'does not match the schema');
		return parsed.data;
	});
}

function record<T>(
	entries: Record<string, unknown>,
	schema: z.Schema<T>,
	path: string
): Record<string, T> {
	const out: Record<string, T> = {};
	for (const [key, value] of Object.entries(entries)) {
		const parsed = schema.safeParse(value);
		if (!isId(key) || !parsed.success) {
			throw new Invalid(`${path}.${key}`, 'does not match the schema');
		}
		out[key] = parsed.data;
	}
	return out;
}

function unique<T>(items: T[], id: (item: T) => string, path: string): void {
	const seen = new Set<string>();
	for (const item of items) {
		const key = id(item);
		if (seen.has(key)) throw new Invalid(path, `duplicate id "${key}"`);
		seen.add(key);
	}
}

/**
 * Validates an export (e.g. a file someone uploads). Every record is checked
 * against the board's schema; the summary is ignored. At most `maxIdeas` ideas.
 */
export function parseSessionExport(value: unknown, maxIdeas = 5000): ParsedExport {
	const envelope = Envelope.safeParse(value);
	if (!envelope.success) {
		const issue = envelope.error.issues[0];
		return {
			ok: false,
			path: issue?.path.map(String).join('.') ?? '',
			message: 'is not a Kipinä session export (version 1)'
		};
	}
	const e = envelope.data;
	try {
		if (e.ideas.length > maxIdeas) throw new Invalid('ideas', `more than ${maxIdeas} ideas`);
		const settings: Partial<Settings> = {};
		for (const [key, v] of Object.entries(e.settings ?? {})) {
			if (!(SETTING_KEYS as string[]).includes(key)) continue;
			if (!MetaSchemas[key as keyof Settings].safeParse(v).success) {
				throw new Invalid(`settings.${key}`, 'is not a valid value');
			}
			(settings as Record<string, unknown>)[key] = v;
		}
		const data: SessionExport = {
			format: EXPORT_FORMAT,
			version: EXPORT_VERSION,
			exportedAt: e.exportedAt ?? 0,
			session: {
				id: e.session.id ?? '',
				title: e.session.title.replace(/\s+/g, ' ').trim().slice(0, LIMITS.title),
				createdAt: e.session.createdAt,
				closedAt: e.session.closedAt ?? null,
				schemaVersion: SCHEMA_VERSION
			},
			group: e.group ?? null,
			settings,
			participants: each(e.participants, ParticipantSchema, 'participants'),
			ideas: each(e.ideas, IdeaSchema, 'ideas'),
			clusters: each(e.clusters ?? [], ClusterSchema, 'clusters'),
			placements: record(e.placements ?? {}, PlacementSchema, 'placements'),
			votes: record(e.votes ?? {}, VotesSchema, 'votes'),
			actions: each(e.actions ?? [], ActionSchema, 'actions'),
			offers: each(e.offers ?? [], OfferSchema, 'offers'),
			summary: undefined as unknown as SessionSummary
		};
		unique(data.participants, (p) => p.id, 'participants');
		unique(data.ideas, (i) => i.id, 'ideas');
		unique(data.clusters, (c) => c.id, 'clusters');
		unique(data.actions, (a) => a.id, 'actions');
		unique(data.offers, (o) => offerKey(o.actionId, o.participantId), 'offers');
		return { ok: true, data };
	} catch (error) {
		if (error instanceof Invalid) return { ok: false, path: error.path, message: error.message };
		throw error;
	}
}

export interface WriteOptions {
	/**
	 * `view` restores the session as it was (the archive viewer); `import`
	 * seeds a new session: people of the export become plain participants
	 * without a login (nobody can act as them), and nothing is closed.
	 */
	mode: 'view' | 'import';
}

/**
 * Writes an export's records into `doc` (a fresh document) in one
 * transaction. Placements and offers that point at nothing are dropped.
 * The caller sets title, creation time and schema version for imports.
 */
export function writeSessionExport(
	doc: Y.Doc,
	data: SessionExport,
	options: WriteOptions,
	origin: unknown = null
): void {
	const maps = boardMaps(doc);
	doc.transact(() => {
		if (options.mode === 'view') {
			maps.meta.set('schemaVersion', data.session.schemaVersion);
			maps.meta.set('title', data.session.title);
			maps.meta.set('createdAt', data.session.createdAt);
			if (data.session.closedAt !== null) maps.meta.set('closed', data.session.closedAt);
		}
		for (const [key, value] of Object.entries(data.settings)) maps.meta.set(key, value);
		for (const p of data.participants) {
			if (options.mode === 'view' || !maps.participants.has(p.id)) {
				maps.participants.set(
					p.id,
					options.mode === 'view'
						? p
						: {
								id: p.id,
								name: p.name,
								industry: p.industry,
								role: 'participant',
								joinedAt: p.joinedAt
							}
				);
			}
		}
		for (const idea of data.ideas) maps.ideas.set(idea.id, idea);
		for (const cluster of data.clusters) maps.clusters.set(cluster.id, cluster);
		for (const [ideaId, placement] of Object.entries(data.placements)) {
			if (maps.ideas.has(ideaId) && maps.clusters.has(placement.clusterId)) {
				maps.placements.set(ideaId, placement);
			}
		}
		for (const [participantId, votes] of Object.entries(data.votes)) {
			maps.votes.set(participantId, votes);
		}
		for (const action of data.actions) maps.actions.set(action.id, action);
		for (const offer of data.offers) {
			if (maps.actions.has(offer.actionId)) {
				maps.offers.set(offerKey(offer.actionId, offer.participantId), offer);
			}
		}
	}, origin);
}
