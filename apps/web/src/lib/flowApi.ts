/**
 * The facilitator's HTTP calls of the meeting-night flow (docs/api.md):
 * revealing private ideas and adding people without a device. Both are
 * cookie-authenticated and facilitator-only on the server.
 */
import type { Participant } from '@kipina/board';
import { ApiError, type ProfileInput } from './api';

async function post(path: string, body: unknown): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(path, {
			method: 'POST',
			headers: { accept: 'application/json', 'content-type': 'application/json' },
			body: JSON.stringify(body),
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
		// Not JSON: the status says enough.
	}
	throw new ApiError(response.status, code, field);
}

const sessionPath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

/** Moves every private idea of the session onto the board; returns how many moved. */
export async function revealIdeas(sessionId: string): Promise<number> {
	const response = await post(`${sessionPath(sessionId)}/reveal`, {});
	const { revealed } = (await response.json()) as { revealed?: unknown };
	return typeof revealed === 'number' ? revealed : 0;
}

/** Adds a person without a device; the facilitator then acts for them. */
export async function addProxy(sessionId: string, input: ProfileInput): Promise<Participant> {
	const response = await post(`${sessionPath(sessionId)}/proxies`, input);
	return ((await response.json()) as { participant: Participant }).participant;
}
