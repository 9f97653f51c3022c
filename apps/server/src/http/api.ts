import { LIMITS, cleanLine, isId } from '@kipina/board';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { cookieName } from '../identity.js';
import { KeyedLimiter } from '../limits.js';
import { JOIN_CODE_LENGTH, normalizeJoinCode, type Sessions } from '../sessions.js';
import type { ParticipantRecord, Storage } from '../storage/Storage.js';
import type { Authenticator } from './auth.js';
import { HttpError } from './errors.js';

const COOKIE_MAX_AGE_MS = 180 * 24 * 60 * 60 * 1000;

const line = (max: number, min = 1) =>
	z
		.string({ error: 'must be text' })
		.transform(cleanLine)
		.pipe(
			z
				.string()
				.min(min, { error: `must be ${min}–${max} characters` })
				.max(max, { error: `must be ${min}–${max} characters` })
		);

const ProfileBody = z.object({
	name: line(LIMITS.name),
	industry: line(LIMITS.industry, 0).optional().default('')
});
const CreateSessionBody = ProfileBody.extend({ title: line(LIMITS.title) });

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
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

function publicParticipant(p: ParticipantRecord) {
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
function bearerToken(req: Request): string | null {
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

function sessionIdParam(req: Request): string {
	const id = req.params.id;
	if (typeof id !== 'string' || !isId(id))
		throw new HttpError(404, 'not_found', 'No such session.');
	return id;
}

export interface ApiDeps {
	storage: Storage;
	sessions: Sessions;
	auth: Authenticator;
}

export function apiRouter({ storage, sessions, auth }: ApiDeps): Router {
	const router = Router();
	router.use(express.json({ limit: '16kb', type: () => true }));

	const setCookie = (req: Request, res: Response, sessionId: string, token: string) => {
		res.cookie(cookieName(sessionId), auth.signer.sign(token), {
			httpOnly: true,
			sameSite: 'lax',
			secure: req.secure,
			path: '/',
			maxAge: COOKIE_MAX_AGE_MS
		});
	};

	router.get('/health', (_req, res) => {
		res.json({ ok: true });
	});

	router.post('/sessions', async (req, res) => {
		const body = parseBody(CreateSessionBody, req.body);
		const { session, participant, token } = await sessions.create(body.title, body);
		setCookie(req, res, session.id, token);
		res.status(201).json({
			id: session.id,
			title: session.title,
			createdAt: session.createdAt,
			joinPath: `/s/${session.id}`,
			participant: publicParticipant(participant),
			token
		});
	});

	router.get('/sessions/:id', async (req, res) => {
		const session = await storage.getSession(sessionIdParam(req));
		if (!session) throw new HttpError(404, 'not_found', 'No such session.');
		res.json({ id: session.id, title: session.title, createdAt: session.createdAt });
	});

	router.post('/sessions/:id/participants', async (req, res) => {
		const sessionId = sessionIdParam(req);
		const body = parseBody(ProfileBody, req.body);
		const joined = await sessions.join(sessionId, body);
		if (!joined) throw new HttpError(404, 'not_found', 'No such session.');
		setCookie(req, res, sessionId, joined.token);
		res.status(201).json({
			participantId: joined.participant.id,
			token: joined.token,
			participant: publicParticipant(joined.participant)
		});
	});

	router.get('/sessions/:id/me', async (req, res) => {
		const sessionId = sessionIdParam(req);
		if (!(await storage.getSession(sessionId))) {
			throw new HttpError(404, 'not_found', 'No such session.');
		}
		const participant = await auth.participantFor(sessionId, req.headers.cookie, bearerToken(req));
		if (!participant) {
			throw new HttpError(401, 'unauthenticated', 'You have not joined this session yet.');
		}
		const session = (await storage.getSession(sessionId))!;
		res.json({ participant: publicParticipant(participant), joinCode: session.code });
	});

	/** The facilitator of the session, from the cookie; 401/403 otherwise. */
	const requireFacilitator = async (req: Request, sessionId: string) => {
		if (!(await storage.getSession(sessionId))) {
			throw new HttpError(404, 'not_found', 'No such session.');
		}
		const participant = await auth.participantFor(sessionId, req.headers.cookie, bearerToken(req));
		if (!participant) throw new HttpError(401, 'unauthenticated', 'Join the session first.');
		if (participant.role !== 'facilitator') {
			throw new HttpError(403, 'forbidden', 'Only the facilitator may do that.');
		}
		return participant;
	};

	router.post('/sessions/:id/reveal', async (req, res) => {
		const sessionId = sessionIdParam(req);
		await requireFacilitator(req, sessionId);
		res.json({ revealed: await sessions.reveal(sessionId) });
	});

	router.post('/sessions/:id/proxies', async (req, res) => {
		const sessionId = sessionIdParam(req);
		await requireFacilitator(req, sessionId);
		const body = parseBody(ProfileBody, req.body);
		const joined = await sessions.join(sessionId, body, true);
		if (!joined) throw new HttpError(404, 'not_found', 'No such session.');
		res.status(201).json({ participant: publicParticipant(joined.participant) });
	});

	const codeLookups = new KeyedLimiter({ capacity: 30, perSecond: 0.5 });
	router.get('/join/:code', async (req, res) => {
		if (!codeLookups.take(req.ip ?? 'unknown')) {
			throw new HttpError(429, 'rate_limited', 'Too many attempts; try again in a minute.');
		}
		const code = normalizeJoinCode(String(req.params.code));
		const session =
			code.length === JOIN_CODE_LENGTH ? await storage.getSessionByCode(code) : undefined;
		if (!session) throw new HttpError(404, 'not_found', 'No evening has that code.');
		res.json({ id: session.id, title: session.title, joinPath: `/s/${session.id}` });
	});

	/** Server time, for clients to correct their clocks (the shared timer). */
	router.get('/time', (_req, res) => {
		res.set('Cache-Control', 'no-store').json({ now: Date.now() });
	});

	router.use(() => {
		throw new HttpError(404, 'not_found', 'No such API endpoint.');
	});
	return router;
}
