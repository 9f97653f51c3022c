/**
 * What a role may do in which phase. Pure functions over the settings, shared
 * by the policy (server-enforced) and the UI (what to offer). Phases guide,
 * they don't imprison: the facilitator may do anything at any time, and may
 * let participants post late ideas.
 */
import type * as Y from 'yjs';
import { boardMaps } from './doc.js';
import { DEFAULT_SETTINGS, MetaSchemas, type Role, type Settings } from './schema.js';

/** Who is acting: enough to apply the rules. */
export interface RoleHolder {
	role: Role;
}

/** The session's settings, with defaults for anything unset or invalid. */
export function getSettings(doc: Y.Doc): Settings {
	const { meta } = boardMaps(doc);
	const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
	for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
		const value = meta.get(key);
		if (value !== undefined && MetaSchemas[key].safeParse(value).success) out[key] = value;
	}
	return out as Settings;
}

const isFacilitator = (who: RoleHolder) => who.role === 'facilitator';

export function canPostIdeas(who: RoleHolder, s: Settings): boolean {
	return isFacilitator(who) || (!s.locked && (s.phase === 'ideate' || s.lateIdeas));
}

export function canCluster(who: RoleHolder, s: Settings): boolean {
	return isFacilitator(who) || (!s.locked && s.phase === 'cluster');
}

export function canVote(who: RoleHolder, s: Settings): boolean {
	return isFacilitator(who) || (!s.locked && s.phase === 'vote');
}

export function canPlanActions(who: RoleHolder, s: Settings): boolean {
	return isFacilitator(who) || (!s.locked && s.phase === 'actions');
}

/** Whether vote counts are shown to everyone now. */
export function votesShown(s: Settings): boolean {
	return s.votesVisible === 'live' || s.phase === 'results' || s.phase === 'actions';
}

/** Whether new ideas of participants go to their private desk. */
export function writesPrivately(s: Settings): boolean {
	return s.privateWriting && s.phase === 'ideate';
}
