/**
 * The group, guest and archive parts of the HTTP API (docs/api.md). Same
 * conventions as `$lib/api`: each call takes SvelteKit's `fetch` (or the
 * global one) and throws `ApiError` for anything but the expected answers.
 */
import type { SessionExport, SessionSummary, SummaryAction, SummaryIdea } from '@kipina/board';
import { ApiError, type ProfileInput } from '$lib/api';

type Fetch = typeof fetch;

export type GroupLanguage = 'fi' | 'en';
export type GroupRole = 'facilitator' | 'member';

export interface Group {
	id: string;
	name: string;
	place: string;
	language: GroupLanguage;
	createdAt: number;
}

export interface Member {
	id: string;
	name: string;
	industry: string;
	role: GroupRole;
	joinedAt: number;
}

export interface LiveSession {
	id: string;
	title: string;
	createdAt: number;
	ideaCount: number;
	participantCount: number;
}

export interface GroupHome {
	group: Group;
	me: Member;
	members: Member[];
	live: LiveSession | null;
}

export interface ArchivedSession {
	id: string;
	title: string;
	createdAt: number;
	closedAt: number;
	ideaCount: number;
	participantCount: number;
	actionCount: number;
	topIdeas: { text: string; votes: number }[];
}

export interface GroupAction {
	id: string;
	text: string;
	status: 'open' | 'done';
	due: string | null;
	owners: string[];
	session: { id: string; title: string; createdAt: number; live: boolean };
}

export interface Review {
	from: { id: string; title: string; closedAt: number } | null;
	actions: SummaryAction[];
	ideas: SummaryIdea[];
}

export type LinkKind = 'facilitator' | 'invite';

export type Exchange =
	| { needsProfile: true; kind: LinkKind; group: Group }
	| { needsProfile?: false; group: Group; member: Member };

export type GuestExchange =
	| { needsProfile: true; session: { id: string; title: string } }
	| { needsProfile?: false; joinPath: string };

async function call(
	fetchFn: Fetch,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	body?: unknown
): Promise<Response> {
	let response: Response;
	try {
		response = await fetchFn(path, {
			method,
			headers:
				body === undefined
					? { accept: 'application/json' }
					: { accept: 'application/json', 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network');
	}
	if (response.ok) return response;
	let code = 'unknown';
	let field: string | undefined;
	try {
		const json = (await response.json()) as { error?: { code?: unknown; field?: unknown } };
		if (typeof json.error?.code === 'string') code = json.error.code;
		if (typeof json.error?.field === 'string') field = json.error.field;
	} catch {
		// Not JSON: keep 'unknown'.
	}
	throw new ApiError(response.status, code, field);
}

const json = async <T>(response: Promise<Response>): Promise<T> =>
	(await (await response).json()) as T;
const enc = encodeURIComponent;

export function createGroup(
	fetchFn: Fetch,
	input: ProfileInput & { groupName: string; place: string; language: GroupLanguage }
): Promise<{ group: Group; member: Member; links: Record<LinkKind, string> }> {
	return json(call(fetchFn, 'POST', '/api/groups', input));
}

/** Exchanges a link's secret for membership on this device (see docs/api.md). */
export function exchangeLink(
	fetchFn: Fetch,
	groupId: string,
	secret: string,
	profile?: ProfileInput
): Promise<Exchange> {
	return json(call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/access`, { secret, ...profile }));
}

export function getGroupHome(fetchFn: Fetch, groupId: string): Promise<GroupHome> {
	return json(call(fetchFn, 'GET', `/api/groups/${enc(groupId)}`));
}

export async function getArchive(
	fetchFn: Fetch,
	groupId: string,
	query = ''
): Promise<ArchivedSession[]> {
	const q = query.trim() ? `?q=${enc(query.trim())}` : '';
	return (
		await json<{ sessions: ArchivedSession[] }>(
			call(fetchFn, 'GET', `/api/groups/${enc(groupId)}/archive${q}`)
		)
	).sessions;
}

export async function getActions(fetchFn: Fetch, groupId: string): Promise<GroupAction[]> {
	return (
		await json<{ actions: GroupAction[] }>(
			call(fetchFn, 'GET', `/api/groups/${enc(groupId)}/actions`)
		)
	).actions;
}

export function getReview(fetchFn: Fetch, groupId: string): Promise<Review> {
	return json(call(fetchFn, 'GET', `/api/groups/${enc(groupId)}/review`));
}

export function startSession(
	fetchFn: Fetch,
	groupId: string,
	input: { title: string; carry?: { from: string; ideas: string[]; actions: string[] } }
): Promise<{ id: string; title: string; guestLink: string }> {
	return json(call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/sessions`, input));
}

export async function rotateLink(fetchFn: Fetch, groupId: string, kind: LinkKind): Promise<string> {
	return (
		await json<{ link: string }>(
			call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/links/${kind}/rotate`, {})
		)
	).link;
}

export async function issuePersonalLink(fetchFn: Fetch, groupId: string): Promise<string> {
	return (
		await json<{ link: string }>(
			call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/personal-link`, {})
		)
	).link;
}

export async function setMemberRole(
	fetchFn: Fetch,
	groupId: string,
	memberId: string,
	role: GroupRole
): Promise<Member> {
	return (
		await json<{ member: Member }>(
			call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/members/${enc(memberId)}/role`, { role })
		)
	).member;
}

export async function removeMember(fetchFn: Fetch, groupId: string, memberId: string) {
	await call(fetchFn, 'DELETE', `/api/groups/${enc(groupId)}/members/${enc(memberId)}`, {});
}

export async function leaveGroup(
	fetchFn: Fetch,
	groupId: string,
	ideas: 'delete' | 'anonymise'
): Promise<void> {
	await call(fetchFn, 'POST', `/api/groups/${enc(groupId)}/leave`, { ideas });
}

export async function deleteGroup(fetchFn: Fetch, groupId: string): Promise<void> {
	await call(fetchFn, 'DELETE', `/api/groups/${enc(groupId)}`, {});
}

export async function newGuestLink(fetchFn: Fetch, sessionId: string): Promise<string> {
	return (
		await json<{ link: string }>(
			call(fetchFn, 'POST', `/api/sessions/${enc(sessionId)}/guest-link`, {})
		)
	).link;
}

export function exchangeGuestLink(
	fetchFn: Fetch,
	sessionId: string,
	secret: string,
	profile?: ProfileInput
): Promise<GuestExchange> {
	return json(
		call(fetchFn, 'POST', `/api/sessions/${enc(sessionId)}/guests`, { secret, ...profile })
	);
}

export function closeSession(
	fetchFn: Fetch,
	sessionId: string
): Promise<{ closedAt: number; summary: SessionSummary }> {
	return json(call(fetchFn, 'POST', `/api/sessions/${enc(sessionId)}/close`, {}));
}

/** The complete export of a session (the archive viewer renders it with the board's views). */
export function getSessionExport(fetchFn: Fetch, sessionId: string): Promise<SessionExport> {
	return json(call(fetchFn, 'GET', `/api/sessions/${enc(sessionId)}/export/json`));
}

/** Whether this browser is in the session already (as a member or an admitted guest). */
export async function isInSession(fetchFn: Fetch, sessionId: string): Promise<boolean> {
	try {
		await call(fetchFn, 'GET', `/api/sessions/${enc(sessionId)}/me`);
		return true;
	} catch (error) {
		if (error instanceof ApiError && [401, 404, 410].includes(error.status)) return false;
		throw error;
	}
}

export const exportUrl = (sessionId: string, format: 'md' | 'csv' | 'json', lang: string) =>
	`/api/sessions/${enc(sessionId)}/export/${format}?lang=${lang}`;
