/**
 * The HTTP API (docs/api.md). Each call takes SvelteKit's `fetch` (or the
 * global one) and throws `ApiError` for anything but the expected answers.
 */
import type { Participant } from '@kipina/board';

export interface SessionSummary {
	id: string;
	title: string;
	createdAt: number;
}

export interface CreatedSession {
	id: string;
	title: string;
	joinPath: string;
	participant: Participant;
}

export interface ProfileInput {
	name: string;
	industry: string;
}

/** A failed request. `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly field?: string
	) {
		super(`API ${status} ${code}${field ? ` (${field})` : ''}`);
		this.name = 'ApiError';
	}

	get isNetwork(): boolean {
		return this.status === 0;
	}
}

type Fetch = typeof fetch;

async function request(fetchFn: Fetch, method: 'GET' | 'POST', path: string, body?: unknown) {
	let response: Response;
	try {
		response = await fetchFn(path, {
			method,
			headers: body === undefined ? { accept: 'application/json' } : JSON_HEADERS,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network');
	}
	if (response.ok) return response;
	const detail = await readError(response);
	throw new ApiError(response.status, detail.code, detail.field);
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

async function readError(response: Response): Promise<{ code: string; field?: string }> {
	try {
		const json = (await response.json()) as { error?: { code?: unknown; field?: unknown } };
		const code = typeof json.error?.code === 'string' ? json.error.code : 'unknown';
		const field = typeof json.error?.field === 'string' ? json.error.field : undefined;
		return { code, field };
	} catch {
		return { code: 'unknown' };
	}
}

export async function createSession(
	fetchFn: Fetch,
	input: ProfileInput & { title: string }
): Promise<CreatedSession> {
	const response = await request(fetchFn, 'POST', '/api/sessions', input);
	return (await response.json()) as CreatedSession;
}

/** The session's public facts, or `null` when it does not exist. */
export async function getSession(fetchFn: Fetch, id: string): Promise<SessionSummary | null> {
	try {
		const response = await request(fetchFn, 'GET', `/api/sessions/${encodeURIComponent(id)}`);
		return (await response.json()) as SessionSummary;
	} catch (error) {
		if (error instanceof ApiError && error.status === 404) return null;
		throw error;
	}
}

/** Who this browser is in the session, or `null` when it has not joined. */
export async function getMe(fetchFn: Fetch, id: string): Promise<Participant | null> {
	try {
		const response = await request(fetchFn, 'GET', `/api/sessions/${encodeURIComponent(id)}/me`);
		return ((await response.json()) as { participant: Participant }).participant;
	} catch (error) {
		if (error instanceof ApiError && error.status === 401) return null;
		throw error;
	}
}

export async function joinSession(
	fetchFn: Fetch,
	id: string,
	input: ProfileInput
): Promise<Participant> {
	const response = await request(
		fetchFn,
		'POST',
		`/api/sessions/${encodeURIComponent(id)}/participants`,
		input
	);
	return ((await response.json()) as { participant: Participant }).participant;
}

export interface Membership {
	participant: Participant;
	/** The evening's short join code; absent for guests of a group's evening. */
	joinCode: string | null;
}

/** Like `getMe`, with the join code the projector shows; `null` when not joined. */
export async function getMembership(fetchFn: Fetch, id: string): Promise<Membership | null> {
	try {
		const response = await request(fetchFn, 'GET', `/api/sessions/${encodeURIComponent(id)}/me`);
		const body = (await response.json()) as { participant: Participant; joinCode?: string };
		return { participant: body.participant, joinCode: body.joinCode ?? null };
	} catch (error) {
		if (error instanceof ApiError && error.status === 401) return null;
		throw error;
	}
}

export interface JoinTarget {
	id: string;
	title: string;
	/** Where the join form is (for a group's evening, a guest link carrying the code). */
	joinPath: string;
}

/**
 * The evening a short code belongs to, or `null` for an unknown (or closed)
 * one. Rate-limited per address: throws `ApiError` 429 after many attempts.
 */
export async function lookupJoinCode(fetchFn: Fetch, code: string): Promise<JoinTarget | null> {
	try {
		const response = await request(fetchFn, 'GET', `/api/join/${encodeURIComponent(code)}`);
		return (await response.json()) as JoinTarget;
	} catch (error) {
		if (error instanceof ApiError && error.status === 404) return null;
		throw error;
	}
}
