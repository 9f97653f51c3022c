/**
 * Routes around a session's life after the meeting and beyond its members:
 * closing it, its summary and exports, importing an export into a new
 * session, and guests (docs/api.md, "Closing, archive and exports", "Guests").
 */
import { exportSession, parseSessionExport, writeSessionExport } from '@kipina/board';
import express, { type Request, Router } from 'express';
import { toCsv } from '../exports/csv.js';
import { toMarkdown } from '../exports/markdown.js';
import { fileName, type ExportLanguage } from '../exports/text.js';
import { cookieName } from '../identity.js';
import { MAX_IDEAS_PER_SESSION, type KeyedLimiter } from '../limits.js';
import type { ApiDeps } from './api.js';
import { requireFacilitator, requireReader } from './guards.js';
import { GuestBody, ImportBody } from './bodies.js';
import { credentials, idParam, parseBody, publicParticipant, setSignedCookie } from './common.js';
import { HttpError } from './errors.js';
import { IMPORT_LIMIT } from './groups.js';

const FORMATS = {
	md: 'text/markdown; charset=utf-8',
	csv: 'text/csv; charset=utf-8',
	json: 'application/json; charset=utf-8'
} as const;

export function archiveRoutes(deps: ApiDeps & { codeLookups: KeyedLimiter }): Router {
	const { access, archive, groups, sessions, auth, codeLookups } = deps;
	const router = Router();
	const sessionAccess = (req: Request) => access.session(idParam(req, 'id'), credentials(req));

	router.post(
		'/sessions/import',
		express.json({ limit: IMPORT_LIMIT, type: () => true }),
		async (req, res) => {
			const body = parseBody(ImportBody, req.body);
			const parsed = parseSessionExport(body.data, MAX_IDEAS_PER_SESSION);
			if (!parsed.ok) {
				throw new HttpError(
					400,
					'invalid_body',
					`data.${parsed.path}: ${parsed.message}`,
					`data.${parsed.path}`
				);
			}
			const title = body.title ?? (parsed.data.session.title || 'Kipinä');
			const { session, participant, token } = await sessions.create(title, body, {
				seed: (doc) => writeSessionExport(doc, parsed.data, { mode: 'import' })
			});
			setSignedCookie(req, res, cookieName(session.id), auth.signer.sign(token));
			res.status(201).json({
				id: session.id,
				title: session.title,
				createdAt: session.createdAt,
				joinPath: `/s/${session.id}`,
				participant: publicParticipant(participant),
				token
			});
		}
	);

	router.use(express.json({ limit: '16kb', type: () => true }));

	router.post('/sessions/:id/close', async (req, res) => {
		const a = requireFacilitator(await sessionAccess(req));
		const closed = await archive.close(a.session.id);
		if (!closed) throw new HttpError(409, 'session_closed', 'This evening is closed already.');
		res.json(closed);
	});

	router.get('/sessions/:id/summary', async (req, res) => {
		const a = requireReader(await sessionAccess(req));
		res.json({ summary: await archive.summary(a.session.id) });
	});

	router.get('/sessions/:id/export/:format', async (req, res) => {
		const a = requireReader(await sessionAccess(req));
		const format = req.params.format;
		if (format !== 'md' && format !== 'csv' && format !== 'json') {
			throw new HttpError(404, 'not_found', 'Exports are md, csv or json.');
		}
		const lang = req.query.lang;
		const language: ExportLanguage =
			lang === 'fi' || lang === 'en' ? lang : (a.group?.language ?? 'fi');
		const doc = await archive.readDoc(a.session.id);
		try {
			const body =
				format === 'json'
					? JSON.stringify(
							exportSession(doc, {
								id: a.session.id,
								group: a.group && { id: a.group.id, name: a.group.name }
							}),
							null,
							'\t'
						)
					: format === 'csv'
						? toCsv(doc, language)
						: toMarkdown(doc, language, a.group);
			const name = fileName(a.session.title, a.session.createdAt, format);
			res
				.set('Content-Type', FORMATS[format])
				.set('Cache-Control', 'no-store')
				.set(
					'Content-Disposition',
					`attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`
				)
				.send(body);
		} finally {
			doc.destroy();
		}
	});

	router.post('/sessions/:id/guest-link', async (req, res) => {
		const a = requireFacilitator(await sessionAccess(req));
		if (!a.group) throw new HttpError(404, 'not_found', 'Only group evenings have guest links.');
		if (a.closedAt !== null) {
			throw new HttpError(410, 'session_closed', 'This evening is closed.');
		}
		res.json({ link: await groups.rotateGuestLink(a.session.id) });
	});

	router.post('/sessions/:id/guests', async (req, res) => {
		const sessionId = idParam(req, 'id');
		const body = parseBody(GuestBody, req.body);
		const a = await access.session(sessionId, credentials(req));
		const invalid = () =>
			new HttpError(403, 'invalid_link', 'This guest link does not work (any more).');
		if (!a?.group) throw invalid();
		// A join code is short: guessing it is limited like looking one up.
		if (body.secret.length <= 12 && !codeLookups.take(req.ip ?? 'unknown')) {
			throw new HttpError(429, 'rate_limited', 'Too many attempts; try again in a minute.');
		}
		const via = await groups.guestCapability(a.session, body.secret);
		if (!via) throw invalid();
		if (a.closedAt !== null) {
			throw new HttpError(410, 'session_closed', 'This evening is over.');
		}
		if (!body.name) {
			res.json({ needsProfile: true, session: { id: a.session.id, title: a.session.title } });
			return;
		}
		const { participant, token } = await groups.admitGuest(
			a.session.id,
			{ name: body.name, industry: body.industry },
			via
		);
		setSignedCookie(req, res, cookieName(a.session.id), auth.signer.sign(token));
		res.status(201).json({
			participantId: participant.id,
			token,
			participant: publicParticipant(participant),
			joinPath: `/s/${a.session.id}`
		});
	});

	return router;
}
