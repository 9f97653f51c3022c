/**
 * Group routes (docs/api.md, "Groups"): creating a group, exchanging its
 * links for membership, the group home's data, links and members, leaving
 * and deleting. Outsiders get 404 for everything of a group; members get 403
 * for what only facilitators may do.
 */
import { parseSessionExport, type SessionExport } from '@kipina/board';
import express, { type Request, type Response, Router } from 'express';
import type { GroupAccess } from '../access.js';
import { groupCookieName } from '../identity.js';
import { MAX_IDEAS_PER_SESSION } from '../limits.js';
import type { GroupRecord, MemberRecord } from '../storage/Storage.js';
import type { ApiDeps } from './api.js';
import { AccessBody, CreateGroupBody, LeaveBody, RoleBody, StartBody } from './bodies.js';
import { credentials, idParam, notFound, parseBody, setSignedCookie } from './common.js';
import { HttpError } from './errors.js';

/** Imports carry whole sessions; everything else stays under the 16 KiB limit. */
export const IMPORT_LIMIT = '4mb';

function publicGroup(g: GroupRecord) {
	return { id: g.id, name: g.name, place: g.place, language: g.language, createdAt: g.createdAt };
}

function publicMember(m: MemberRecord) {
	return { id: m.id, name: m.name, industry: m.industry, role: m.role, joinedAt: m.joinedAt };
}

export function groupRoutes(deps: ApiDeps): Router {
	const { access, groups, auth, groupStorage } = deps;
	const router = Router();
	const bigJson = express.json({ limit: IMPORT_LIMIT, type: () => true });

	const setCookie = (req: Request, res: Response, groupId: string, token: string) =>
		setSignedCookie(req, res, groupCookieName(groupId), auth.signer.sign(token));

	/** The group as seen by a member of it; 404 for everyone else. */
	const member = async (req: Request): Promise<GroupAccess & { member: MemberRecord }> => {
		const found = await access.group(idParam(req, 'gid', 'group'), credentials(req));
		if (!found?.member) throw notFound('group');
		return found as GroupAccess & { member: MemberRecord };
	};
	const facilitator = async (req: Request) => {
		const found = await member(req);
		if (found.member.role !== 'facilitator') {
			throw new HttpError(403, 'forbidden', 'Only a facilitator of the group may do that.');
		}
		return found;
	};
	const otherMember = async (group: GroupRecord, req: Request) => {
		const target = await groupStorage.getMember(group.id, idParam(req, 'mid', 'member'));
		if (!target) throw notFound('member');
		return target;
	};

	router.post('/groups/:gid/sessions', async (req, res, next) => {
		const { group, member: me } = await facilitator(req);
		// Only a facilitator's body may be large (an import).
		bigJson(req, res, async (error?: unknown) => {
			try {
				if (error) throw error;
				const body = parseBody(StartBody, req.body);
				if (await groups.liveSession(group.id)) {
					throw new HttpError(409, 'conflict', 'Close the live session before starting a new one.');
				}
				let imported: SessionExport | undefined;
				if (body.import !== undefined) {
					const parsed = parseSessionExport(body.import, MAX_IDEAS_PER_SESSION);
					if (!parsed.ok) {
						throw new HttpError(
							400,
							'invalid_body',
							`import.${parsed.path}: ${parsed.message}`,
							`import.${parsed.path}`
						);
					}
					imported = parsed.data;
				}
				if (body.carry && (await groupStorage.groupOfSession(body.carry.from)) !== group.id) {
					throw new HttpError(
						400,
						'invalid_body',
						'carry.from: not a session of this group',
						'carry.from'
					);
				}
				const started = await groups.startSession(group, me, body.title, {
					carry: body.carry,
					imported
				});
				res.status(201).json({
					id: started.session.id,
					title: started.session.title,
					createdAt: started.session.createdAt,
					joinPath: `/s/${started.session.id}`,
					guestLink: started.guestLink
				});
			} catch (failure) {
				next(failure);
			}
		});
	});

	router.use(express.json({ limit: '16kb', type: () => true }));

	router.post('/groups', async (req, res) => {
		const body = parseBody(CreateGroupBody, req.body);
		const created = await groups.create(
			{ name: body.groupName, place: body.place, language: body.language },
			body
		);
		setCookie(req, res, created.group.id, created.token);
		res.status(201).json({
			group: publicGroup(created.group),
			member: publicMember(created.member),
			links: created.links,
			token: created.token
		});
	});

	router.post('/groups/:gid/access', async (req, res) => {
		const gid = idParam(req, 'gid', 'group');
		const body = parseBody(AccessBody, req.body);
		const found = await access.group(gid, credentials(req));
		const outcome = found
			? await groups.exchange(
					found.group,
					body.secret,
					found.member,
					body.name ? { name: body.name, industry: body.industry } : null
				)
			: ({ result: 'invalid' } as const);
		if (outcome.result === 'invalid') {
			throw new HttpError(
				403,
				'invalid_link',
				'This link does not work (any more). Ask the group’s facilitator for a new one.'
			);
		}
		if (outcome.result === 'profile-needed') {
			res.json({ needsProfile: true, kind: outcome.kind, group: publicGroup(found!.group) });
			return;
		}
		setCookie(req, res, gid, outcome.token);
		res.status(outcome.created ? 201 : 200).json({
			group: publicGroup(found!.group),
			member: publicMember(outcome.member),
			token: outcome.token
		});
	});

	router.get('/groups/:gid', async (req, res) => {
		const { group, member: me } = await member(req);
		const live = await groups.liveSession(group.id);
		const liveSummary = live && (await deps.archive.summary(live.id));
		res.json({
			group: publicGroup(group),
			me: publicMember(me),
			members: (await groupStorage.listMembers(group.id)).map(publicMember),
			live: live
				? {
						id: live.id,
						title: live.title,
						createdAt: live.createdAt,
						ideaCount: liveSummary!.ideaCount,
						participantCount: liveSummary!.participantCount
					}
				: null
		});
	});

	router.get('/groups/:gid/archive', async (req, res) => {
		const { group } = await member(req);
		const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
		res.json({ sessions: await groups.archiveList(group.id, q) });
	});

	router.get('/groups/:gid/actions', async (req, res) => {
		const { group } = await member(req);
		res.json({ actions: await groups.actions(group.id) });
	});

	router.get('/groups/:gid/review', async (req, res) => {
		const { group } = await member(req);
		res.json(await groups.review(group.id));
	});

	router.post('/groups/:gid/links/:kind/rotate', async (req, res) => {
		const { group, member: me } = await facilitator(req);
		const kind = req.params.kind;
		if (kind !== 'facilitator' && kind !== 'invite') throw notFound('link');
		res.json({ link: await groups.rotate(group, kind, me) });
	});

	router.post('/groups/:gid/personal-link', async (req, res) => {
		const { member: me } = await member(req);
		res.json({ link: await groups.personalLink(me) });
	});

	router.post('/groups/:gid/members/:mid/role', async (req, res) => {
		const { group, member: me } = await facilitator(req);
		const target = await otherMember(group, req);
		const { role } = parseBody(RoleBody, req.body);
		if (target.id === me.id) {
			throw new HttpError(400, 'invalid_body', 'role: you cannot change your own role', 'role');
		}
		res.json({ member: publicMember(await groups.setRole(target, role)) });
	});

	router.delete('/groups/:gid/members/:mid', async (req, res) => {
		const { group, member: me } = await facilitator(req);
		const target = await otherMember(group, req);
		if (target.id === me.id) {
			throw new HttpError(400, 'invalid_body', 'To leave the group yourself, use leave.');
		}
		// Someone removed did not choose: their ideas stay, without their name.
		await groups.removeMember(target, 'anonymise');
		res.json({ removed: target.id });
	});

	router.post('/groups/:gid/leave', async (req, res) => {
		const { group, member: me } = await member(req);
		const { ideas } = parseBody(LeaveBody, req.body);
		const sessions = await groups.removeMember(me, ideas);
		res.clearCookie(groupCookieName(group.id), { path: '/' });
		res.json({ left: true, sessions });
	});

	router.delete('/groups/:gid', async (req, res) => {
		const { group } = await facilitator(req);
		await groups.delete(group);
		res.clearCookie(groupCookieName(group.id), { path: '/' });
		res.json({ deleted: group.id });
	});

	return router;
}
