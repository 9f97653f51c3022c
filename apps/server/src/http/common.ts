/** Helpers shared by the API routers: body validation, credentials, cookies. */
import { isId } from '@kipina/board';
import type { Schema } from '@kipina/board/valid';
import type { Request, Response } from 'express';
import type { Credentials } from '../access.js';
import type { ParticipantRecord } from '../storage/Storage.js';
import { HttpError } from './errors.js';

export const COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;

export function parseBody<T>(schema: Schema<T>, body: unknown): T {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new HttpError(400, 'invalid_body', 'The body must be a JSON object.');
	}
	const result = schema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0]!;
		const field = issue.path.map(String).join('.');
		throw new HttpError(
			400,
			'invalid_body',
			`${field || 'body'}: ${issue.message}`,
			field || undefined
		);
	}
	return result.data;
}

export function publicParticipant(p: ParticipantRecord) {
	return {
		id: p.id,
		name: p.name,
		industry: p.industry,
		role: p.role,
		joinedAt: p.joinedAt,
		proxy: p.proxy
	};
}

/** `Authorization: Bearer <token>` for non-browser clients. */
export function bearerToken(req: Request): string | null {
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

export function credentials(req: Request): Credentials {
	return { cookie: req.headers.cookie, token: bearerToken(req) };
}

/** An id route parameter; anything that is not an id is a 404 without a lookup. */
export function idParam(req: Request, name: string, what = 'session'): string {
	const id = req.params[name];
	if (typeof id !== 'string' || !isId(id)) {
		throw new HttpError(404, 'not_found', `No such ${what}.`);
	}
	return id;
}

export function setSignedCookie(req: Request, res: Response, name: string, signed: string): void {
	res.cookie(name, signed, {
		httpOnly: true,
		sameSite: 'lax',
		secure: req.secure,
		path: '/',
		maxAge: COOKIE_MAX_AGE_MS
	});
}

export const notFound = (what = 'session') => new HttpError(404, 'not_found', `No such ${what}.`);
