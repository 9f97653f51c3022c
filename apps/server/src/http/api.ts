import express, { type Request, type Response, Router } from 'express';
import type { Access, SessionAccess } from '../access.js';
import type { Archive } from '../archive.js';
import type { Groups } from '../groups.js';
import { cookieName } from '../identity.js';
import { KeyedLimiter, RATE_LIMITS, type BucketSpec } from '../limits.js';
import { JOIN_CODE_LENGTH, normalizeJoinCode, type Sessions } from '../sessions.js';
import type { GroupStorage, Storage } from '../storage/Storage.js';
import type { Authenticator } from './auth.js';
import { CreateSessionBody, ProfileBody } from './bodies.js';
import {
	credentials,
	idParam,
	notFound,
	parseBody,
	publicParticipant,
	setSignedCookie
} from './common.js';
import { HttpError } from './errors.js';
import { closedError, requireFacilitator, visibleSession } from './guards.js';
import { archiveRoutes } from './archive.js';
import { groupRoutes } from './groups.js';

export interface ApiDeps {
	storage: Storage;
	groupStorage: GroupStorage;
	sessions: Sessions;
	auth: Authenticator;
	access: Access;
	groups: Groups;
	archive: Archive;
	/** Join-code attempts per IP (default `RATE_LIMITS.joinCodes`). */
	joinCodes?: BucketSpec;
}

export function apiRouter(deps: ApiDeps): Router {
	const { storage, sessions, auth, access } = deps;
	const router = Router();
	const codeLookups = new KeyedLimiter(deps.joinCodes ?? RATE_LIMITS.joinCodes);

	// Routes that take large bodies (imports) parse their own, after authorisation.
	router.use(archiveRoutes({ ...deps, codeLookups }));
	router.use(groupRoutes(deps));
	router.use(express.json({ limit: '16kb', type: () => true }));

	const setCookie = (req: Request, res: Response, sessionId: string, token: string) =>
		setSignedCookie(req, res, cookieName(sessionId), auth.signer.sign(token));
	const sessionAccess = (req: Request) => access.session(idParam(req, 'id'), credentials(req));
	const live = (a: SessionAccess) => {
		if (a.closedAt !== null) throw closedError();
		return a;
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
		const a = visibleSession(await sessionAccess(req));
		const { session } = a;
		const facts = { id: session.id, title: session.title, createdAt: session.createdAt };
		if (!a.group) {
			res.json(a.closedAt === null ? facts : { ...facts, closedAt: a.closedAt });
			return;
		}
		const inGroup = a.kind === 'member' || a.kind === 'facilitator';
		res.json({
			...facts,
			closedAt: a.closedAt,
			group: inGroup ? { id: a.group.id, name: a.group.name } : null
		});
	});

	router.post('/sessions/:id/participants', async (req, res) => {
		const a = visibleSession(await sessionAccess(req));
		if (a.group) {
			throw new HttpError(
				403,
				'forbidden',
				'Members join automatically; guests join with the guest link.'
			);
		}
		live(a);
		const body = parseBody(ProfileBody, req.body);
		const joined = await sessions.join(a.session.id, body);
		if (!joined) throw notFound();
		setCookie(req, res, a.session.id, joined.token);
		res.status(201).json({
			participantId: joined.participant.id,
			token: joined.token,
			participant: publicParticipant(joined.participant)
		});
	});

	router.get('/sessions/:id/me', async (req, res) => {
		const a = visibleSession(await sessionAccess(req));
		const participant = await access.participantOf(a);
		if (!participant) {
			if (a.member) throw closedError();
			throw new HttpError(401, 'unauthenticated', 'You have not joined this session yet.');
		}
		const showCode = !a.group || a.kind !== 'guest';
		res.json({
			participant: publicParticipant(participant),
			...(showCode ? { joinCode: a.session.code } : {})
		});
	});

	router.post('/sessions/:id/reveal', async (req, res) => {
		const a = live(requireFacilitator(await sessionAccess(req)));
		await access.participantOf(a);
		res.json({ revealed: await sessions.reveal(a.session.id) });
	});

	router.post('/sessions/:id/proxies', async (req, res) => {
		const a = live(requireFacilitator(await sessionAccess(req)));
		await access.participantOf(a);
		const body = parseBody(ProfileBody, req.body);
		const joined = await sessions.join(a.session.id, body, true);
		if (!joined) throw notFound();
		res.status(201).json({ participant: publicParticipant(joined.participant) });
	});

	router.get('/join/:code', async (req, res) => {
		if (!codeLookups.take(req.ip ?? 'unknown')) {
			throw new HttpError(429, 'rate_limited', 'Too many attempts; try again in a minute.');
		}
		const code = normalizeJoinCode(String(req.params.code));
		const session =
			code.length === JOIN_CODE_LENGTH ? await storage.getSessionByCode(code) : undefined;
		const closed = session && (await deps.groupStorage.getClosure(session.id));
		if (!session || closed) throw new HttpError(404, 'not_found', 'No evening has that code.');
		// In a group session the code is a guest capability: the guest page exchanges it.
		const grouped = await deps.groupStorage.groupOfSession(session.id);
		res.json({
			id: session.id,
			title: session.title,
			joinPath: grouped ? `/guest/${session.id}#${code}` : `/s/${session.id}`
		});
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
