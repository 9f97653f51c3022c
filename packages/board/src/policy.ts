/**
 * The permission policy: who may change what in a session document.
 *
 * Shared by client and server. The client asks the `can…` rules (rules.ts)
 * what to offer; the server runs `checkUpdate` on every incoming update
 * (after `inspectUpdate` has turned it into key writes and deletions) and
 * refuses the whole update if any part of it breaks a rule. Rules read the
 * document as it is before the update: its settings (phase, lock, budgets)
 * and the records being replaced.
 */
import type * as Y from 'yjs';
import { boardMaps, deskMaps } from './doc.js';
import type { KeyDelete, KeyWrite, UpdateSummary } from './inspect.js';
import {
	ActionSchema,
	ClusterSchema,
	OfferSchema,
	PlacementSchema,
	VotesSchema,
	offerKey,
	type Action,
	type Votes
} from './records.js';
import { canCluster, canPlanActions, canPostIdeas, canVote, getSettings } from './rules.js';
import {
	DESK_ROOTS,
	IdeaSchema,
	MetaSchemas,
	ROOTS,
	SERVER_META_KEYS,
	isId,
	isMetaKey,
	type Idea,
	type Role,
	type Settings
} from './schema.js';

/** The identity of a connection, fixed by the server when it authenticates. */
export interface Actor {
	participantId: string;
	role: Role;
	industry: string;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const refuse = (reason: string): Verdict => ({ ok: false, reason });
const when = (condition: boolean, reason: string): Verdict => (condition ? OK : refuse(reason));

interface Context {
	doc: Y.Doc;
	actor: Actor;
	settings: Settings;
	/** Keys (`root/key`) this update writes a value to: their deletions are replacements. */
	rewritten?: ReadonlySet<string>;
}

interface RootRule {
	write(ctx: Context, write: KeyWrite): Verdict;
	remove(ctx: Context, change: KeyDelete): Verdict;
}

const isFacilitator = (actor: Actor) => actor.role === 'facilitator';

/** May `actor` change or delete the idea currently stored as `current`? */
export function canModifyIdea(actor: Actor, current: Pick<Idea, 'authorId'>): boolean {
	return isFacilitator(actor) || current.authorId === actor.participantId;
}

/** May `actor` act as participant `participantId` (themself, or a proxy as facilitator)? */
export function actsFor(doc: Y.Doc, actor: Actor, participantId: string): boolean {
	if (actor.participantId === participantId) return true;
	return isFacilitator(actor) && boardMaps(doc).participants.get(participantId)?.proxy === true;
}

/** Checks a new idea value against the idea it replaces (if any) and its author. */
function checkIdeaValue(
	ctx: Context,
	key: string,
	value: unknown,
	current: Idea | undefined
): Verdict {
	const parsed = IdeaSchema.safeParse(value);
	if (!parsed.success) return refuse('The idea does not match the schema.');
	const next = parsed.data;
	if (next.id !== key) return refuse('An idea must be stored under its own id.');
	if (current) {
		return when(
			next.authorId === current.authorId &&
				next.industry === current.industry &&
				next.createdAt === current.createdAt,
			"An idea's author, industry and creation time cannot change."
		);
	}
	if (!actsFor(ctx.doc, ctx.actor, next.authorId)) {
		return refuse('Ideas can only be posted in your own name.');
	}
	const author = boardMaps(ctx.doc).participants.get(next.authorId);
	const industry =
		next.authorId === ctx.actor.participantId ? ctx.actor.industry : author?.industry;
	return when(next.industry === industry, 'Ideas carry the industry of their author.');
}

const ideaRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		const current = boardMaps(ctx.doc).ideas.get(key);
		if (current && !canModifyIdea(ctx.actor, current)) {
			return refuse('Only the author or the facilitator may change an idea.');
		}
		if (!canPostIdeas(ctx.actor, ctx.settings)) {
			return refuse('Ideas cannot be posted or changed in this phase.');
		}
		return hasValue ? checkIdeaValue(ctx, key, value, current) : OK;
	},
	remove(ctx, { value }) {
		const current = value as Idea | undefined;
		if (!current || typeof current !== 'object' || !canModifyIdea(ctx.actor, current)) {
			return refuse('Only the author or the facilitator may delete an idea.');
		}
		return when(canPostIdeas(ctx.actor, ctx.settings), 'Ideas cannot be deleted in this phase.');
	}
};

const clusterRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!canCluster(ctx.actor, ctx.settings)) return refuse('Clustering is not open.');
		if (!hasValue) return OK;
		const parsed = ClusterSchema.safeParse(value);
		if (!parsed.success || parsed.data.id !== key) return refuse('Invalid cluster.');
		const current = boardMaps(ctx.doc).clusters.get(key);
		if (current) {
			return when(
				parsed.data.createdBy === current.createdBy && parsed.data.createdAt === current.createdAt,
				"A cluster's creator and creation time cannot change."
			);
		}
		return when(
			parsed.data.createdBy === ctx.actor.participantId,
			'Clusters are created in your own name.'
		);
	},
	remove(ctx) {
		return when(canCluster(ctx.actor, ctx.settings), 'Clustering is not open.');
	}
};

// Placements may point at ideas or clusters removed concurrently; views ignore
// such dangling entries instead of refusing (and resetting) the mover.
const placementRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!canCluster(ctx.actor, ctx.settings)) return refuse('Clustering is not open.');
		if (!isId(key)) return refuse('Invalid placement key.');
		return when(!hasValue || PlacementSchema.safeParse(value).success, 'Invalid placement.');
	},
	remove(ctx) {
		return when(canCluster(ctx.actor, ctx.settings), 'Clustering is not open.');
	}
};

/** Budget rules hold for what is added; taking dots back is always allowed. */
function checkVotes(ctx: Context, current: Votes, next: Votes): Verdict {
	const { ideas } = boardMaps(ctx.doc);
	const { voteBudget, maxVotesPerIdea } = ctx.settings;
	let nextSum = 0;
	let currentSum = 0;
	for (const [ideaId, n] of Object.entries(current)) if (ideas.has(ideaId)) currentSum += n;
	for (const [ideaId, n] of Object.entries(next)) {
		const before = current[ideaId] ?? 0;
		if (!ideas.has(ideaId)) {
			if (n > before) return refuse('Dots can only go on existing ideas.');
			continue;
		}
		if (n > maxVotesPerIdea && n > before) {
			return refuse(`At most ${maxVotesPerIdea} dots on one idea.`);
		}
		nextSum += n;
	}
	return when(nextSum <= voteBudget || nextSum <= currentSum, 'No dots left.');
}

const voteRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!actsFor(ctx.doc, ctx.actor, key)) return refuse('You can only vote with your own dots.');
		if (!canVote(ctx.actor, ctx.settings)) return refuse('Voting is not open.');
		if (!hasValue) return OK;
		const parsed = VotesSchema.safeParse(value);
		if (!parsed.success) return refuse('Invalid votes.');
		return checkVotes(ctx, boardMaps(ctx.doc).votes.get(key) ?? {}, parsed.data);
	},
	remove(ctx, { key }) {
		if (!actsFor(ctx.doc, ctx.actor, key)) return refuse('You can only take back your own dots.');
		return when(canVote(ctx.actor, ctx.settings), 'Voting is not open.');
	}
};

const mayEditAction = (actor: Actor, action: Action) =>
	isFacilitator(actor) ||
	action.createdBy === actor.participantId ||
	action.ownerIds.includes(actor.participantId);

const actionRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!canPlanActions(ctx.actor, ctx.settings)) return refuse('Actions are not open.');
		const current = boardMaps(ctx.doc).actions.get(key);
		if (current && !mayEditAction(ctx.actor, current)) {
			return refuse('Only its creator, its owners or the facilitator may change an action.');
		}
		if (!hasValue) return OK;
		const parsed = ActionSchema.safeParse(value);
		if (!parsed.success || parsed.data.id !== key) return refuse('Invalid action.');
		if (current) {
			return when(
				parsed.data.createdBy === current.createdBy && parsed.data.createdAt === current.createdAt,
				"An action's creator and creation time cannot change."
			);
		}
		return when(
			parsed.data.createdBy === ctx.actor.participantId,
			'Actions are created in your own name.'
		);
	},
	remove(ctx, { key, value }) {
		if (!canPlanActions(ctx.actor, ctx.settings)) return refuse('Actions are not open.');
		const current = value as Action;
		// Owners may edit (judged as a write), and an edit deletes the version it
		// replaces. Accepted cost: an owner whose new version does not survive the
		// same update (crafted, or set and deleted at once with gc: false) deletes.
		if (
			ctx.rewritten?.has(`${ROOTS.actions}/${key}`) &&
			current &&
			mayEditAction(ctx.actor, current)
		) {
			return OK;
		}
		return when(
			isFacilitator(ctx.actor) || current?.createdBy === ctx.actor.participantId,
			'Only its creator or the facilitator may delete an action.'
		);
	}
};

const offerRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!canPlanActions(ctx.actor, ctx.settings)) return refuse('Actions are not open.');
		const participantId = key.slice(key.indexOf('.') + 1);
		if (!actsFor(ctx.doc, ctx.actor, participantId)) {
			return refuse('You can only offer your own help.');
		}
		if (!hasValue) return OK;
		const parsed = OfferSchema.safeParse(value);
		return when(
			parsed.success && key === offerKey(parsed.data.actionId, parsed.data.participantId),
			'Invalid offer.'
		);
	},
	remove(ctx, { key }) {
		if (!canPlanActions(ctx.actor, ctx.settings)) return refuse('Actions are not open.');
		const participantId = key.slice(key.indexOf('.') + 1);
		return when(
			isFacilitator(ctx.actor) || participantId === ctx.actor.participantId,
			'You can only withdraw your own offer.'
		);
	}
};

const metaRule: RootRule = {
	write(ctx, { key, hasValue, value }) {
		if (!isFacilitator(ctx.actor)) {
			return refuse('Only the facilitator may change session settings.');
		}
		if (!isMetaKey(key)) return refuse(`Unknown session setting "${key}".`);
		if (SERVER_META_KEYS.has(key)) return refuse(`"${key}" is set by the server.`);
		return when(
			!hasValue || MetaSchemas[key].safeParse(value).success,
			`Invalid value for "${key}".`
		);
	},
	remove(ctx, { key }) {
		if (!isFacilitator(ctx.actor)) {
			return refuse('Only the facilitator may change session settings.');
		}
		return when(!SERVER_META_KEYS.has(key), `"${key}" is set by the server.`);
	}
};

const serverOnly = (what: string): RootRule => ({
	write: () => refuse(`${what} are managed by the server.`),
	remove: () => refuse(`${what} are managed by the server.`)
});

const RULES: Record<string, RootRule> = {
	[ROOTS.ideas]: ideaRule,
	[ROOTS.clusters]: clusterRule,
	[ROOTS.placements]: placementRule,
	[ROOTS.votes]: voteRule,
	[ROOTS.actions]: actionRule,
	[ROOTS.offers]: offerRule,
	[ROOTS.meta]: metaRule,
	[ROOTS.participants]: serverOnly('Participants'),
	[ROOTS.stats]: serverOnly('Counters')
};

function judge(rules: Record<string, RootRule>, base: Context, summary: UpdateSummary): Verdict {
	const rewritten = new Set(
		summary.writes.filter((w) => w.hasValue).map((w) => `${w.root}/${w.key}`)
	);
	const ctx: Context = { ...base, rewritten };
	for (const write of summary.writes) {
		const rule = rules[write.root];
		if (!rule) return refuse(`Unknown part of the board: "${write.root}".`);
		const verdict = rule.write(ctx, write);
		if (!verdict.ok) return verdict;
	}
	for (const change of summary.deletes) {
		const rule = rules[change.root];
		if (!rule) return refuse(`Unknown part of the board: "${change.root}".`);
		const verdict = rule.remove(ctx, change);
		if (!verdict.ok) return verdict;
	}
	return OK;
}

/**
 * Judges a whole update for `actor`. `doc` is the session document the
 * update would be applied to, in its current state.
 */
export function checkUpdate(doc: Y.Doc, actor: Actor, summary: UpdateSummary): Verdict {
	return judge(RULES, { doc, actor, settings: getSettings(doc) }, summary);
}

/**
 * Judges an update to the private desk of participant `ownerId`. Only the
 * owner writes there (or the facilitator, for a proxy participant); the
 * ideas must be the owner's, and posting must be open in the session.
 */
export function checkDeskUpdate(
	desk: Y.Doc,
	session: Y.Doc,
	actor: Actor,
	ownerId: string,
	summary: UpdateSummary
): Verdict {
	if (!actsFor(session, actor, ownerId)) return refuse('This is someone else’s private desk.');
	const ctx: Context = { doc: session, actor, settings: getSettings(session) };
	const deskIdeas = deskMaps(desk).ideas;
	const rule: RootRule = {
		write(c, { key, hasValue, value }) {
			if (!canPostIdeas(c.actor, c.settings))
				return refuse('Ideas cannot be posted in this phase.');
			if (!hasValue) return OK;
			const current = deskIdeas.get(key);
			const verdict = checkIdeaValue(c, key, value, current);
			if (!verdict.ok) return verdict;
			return when((value as Idea).authorId === ownerId, 'Private ideas belong to their author.');
		},
		remove(c) {
			return when(canPostIdeas(c.actor, c.settings), 'Ideas cannot be changed in this phase.');
		}
	};
	return judge({ [DESK_ROOTS.ideas]: rule }, ctx, summary);
}
