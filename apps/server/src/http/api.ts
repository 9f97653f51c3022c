import { LIMITS, cleanLine, isId } from '@kipina/board';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { cookieName } from '../identity.js';
import type { Sessions } from '../sessions.js';
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
	return { id: p.id, name: p.name, industry: p.industry, role: p.role, joinedAt: p.joinedAt };
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
		const participant = await auth.participantFor(sessionId, req.headers.cookie, null);
		if (!participant) {
			throw new HttpError(401, 'unauthenticated', 'You have not joined this session yet.');
		}
		res.json({ participant: publicParticipant(participant) });
	});

	router.use(() => {
		throw new HttpError(404, 'not_found', 'No such API endpoint.');
	});
	return router;
}
