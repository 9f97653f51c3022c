/**
 * The permission policy: who may change what in a session document.
 *
 * Shared by client and server. The client asks `can…` helpers to decide what
 * to offer; the server runs `checkUpdate` on every incoming update (after
 * `inspectUpdate` has turned it into key writes and deletions) and refuses
 * the whole update if any part of it breaks a rule.
 */
import type * as Y from 'yjs';
import { boardMaps } from './doc.js';
import type { KeyDelete, KeyWrite, UpdateSummary } from './inspect.js';
import { IdeaSchema, MetaSchemas, ROOTS, isMetaKey, type Idea, type Role } from './schema.js';

/** The identity of a connection, fixed by the server when it authenticates. */
export interface Actor {
	participantId: string;
	role: Role;
	industry: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });

interface RootRule {
	write(doc: Y.Doc, actor: Actor, write: KeyWrite): Verdict;
	remove(doc: Y.Doc, actor: Actor, change: KeyDelete): Verdict;
}

const isFacilitator = (actor: Actor) => actor.role === 'facilitator';

/** May `actor` change or delete the idea currently stored as `current`? */
export function canModifyIdea(actor: Actor, current: Pick<Idea, 'authorId'>): boolean {
	return isFacilitator(actor) || current.authorId === actor.participantId;
}

const ideaRule: RootRule = {
	write(doc, actor, { key, hasValue, value }) {
		const current = boardMaps(doc).ideas.get(key);
		if (current && !canModifyIdea(actor, current)) {
			return refuse('Only the author or the facilitator may change an idea.');
		}
		if (!hasValue) return OK; // arrives deleted: a deletion of `current`, allowed above
		const parsed = IdeaSchema.safeParse(value);
		if (!parsed.success) return refuse('The idea does not match the schema.');
		const next = parsed.data;
		if (next.id !== key) return refuse('An idea must be stored under its own id.');
		if (current) {
			if (
				next.authorId !== current.authorId ||
				next.industry !== current.industry ||
				next.createdAt !== current.createdAt
			) {
				return refuse("An idea's author, industry and creation time cannot change.");
			}
			return OK;
		}
		if (next.authorId !== actor.participantId) {
			return refuse('Ideas can only be posted in your own name.');
		}
		if (next.industry !== actor.industry) {
			return refuse('Ideas carry the industry of their author.');
		}
		return OK;
	},
	remove(_doc, actor, { value }) {
		const current = value as Idea | undefined;
		if (current && typeof current === 'object' && canModifyIdea(actor, current)) return OK;
		return refuse('Only the author or the facilitator may delete an idea.');
	}
};

const metaRule: RootRule = {
	write(_doc, actor, { key, hasValue, value }) {
		if (!isFacilitator(actor)) return refuse('Only the facilitator may change session settings.');
		if (!isMetaKey(key)) return refuse(`Unknown session setting "${key}".`);
		if (key === 'schemaVersion' || key === 'createdAt') {
			return refuse(`"${key}" is set by the server.`);
		}
		if (hasValue && !MetaSchemas[key].safeParse(value).success) {
			return refuse(`Invalid value for "${key}".`);
		}
		return OK;
	},
	remove(_doc, actor) {
		return isFacilitator(actor) ? OK : refuse('Only the facilitator may change session settings.');
	}
};

const serverOnly: RootRule = {
	write: () => refuse('Participants are managed by the server.'),
	remove: () => refuse('Participants are managed by the server.')
};

const RULES: Record<string, RootRule> = {
	[ROOTS.ideas]: ideaRule,
	[ROOTS.meta]: metaRule,
	[ROOTS.participants]: serverOnly
};

/**
 * Judges a whole update for `actor`. `doc` is the document the update would
 * be applied to, in its current state.
 */
export function checkUpdate(doc: Y.Doc, actor: Actor, summary: UpdateSummary): Verdict {
	for (const write of summary.writes) {
		const rule = RULES[write.root];
		if (!rule) return refuse(`Unknown part of the board: "${write.root}".`);
		const verdict = rule.write(doc, actor, write);
		if (!verdict.ok) return verdict;
	}
	for (const change of summary.deletes) {
		const rule = RULES[change.root];
		if (!rule) return refuse(`Unknown part of the board: "${change.root}".`);
		const verdict = rule.remove(doc, actor, change);
		if (!verdict.ok) return verdict;
	}
	return OK;
}
