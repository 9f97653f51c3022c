import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { KeyedLimiter, type BucketSpec } from '../limits.js';
import type { Logger } from '../logger.js';
import { HttpError, errorHandler } from './errors.js';

export interface OriginPolicy {
	trustProxy: boolean;
	allowedOrigins: readonly string[];
}

/**
 * Is `origin` allowed to change state? Requests without an Origin header
 * come from non-browser clients (browsers always send one on POST and on
 * websocket upgrades) and are allowed; the same host, or an origin on the
 * configured allowlist, is allowed; everything else is refused.
 */
export function isAllowedOrigin(
	policy: OriginPolicy,
	origin: string | undefined,
	req: http.IncomingMessage
): boolean {
	if (origin === undefined) return true;
	if (policy.allowedOrigins.includes(origin)) return true;
	let parsed: URL;
	try {
		parsed = new URL(origin);
	} catch {
		return false;
	}
	const forwardedHost = policy.trustProxy ? req.headers['x-forwarded-host'] : undefined;
	const host = (typeof forwardedHost === 'string' ? forwardedHost : req.headers.host) ?? '';
	return parsed.host === host && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

function originCheck(policy: OriginPolicy): RequestHandler {
	return (req, _res, next) => {
		if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
		if (!isAllowedOrigin(policy, req.headers.origin, req)) {
			return next(
				new HttpError(403, 'forbidden_origin', 'Requests from this origin are not allowed.')
			);
		}
		if (!req.is('application/json')) {
			return next(
				new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.')
			);
		}
		next();
	};
}

/** The client's address; X-Forwarded-For counts only behind a trusted proxy. */
export function clientIp(trustProxy: boolean, req: http.IncomingMessage): string {
	const forwarded = req.headers['x-forwarded-for'];
	if (trustProxy && typeof forwarded === 'string') return forwarded.split(',')[0]!.trim();
	return req.socket.remoteAddress ?? 'unknown';
}

function writeRateLimit(policy: OriginPolicy, spec: BucketSpec): RequestHandler {
	const limiter = new KeyedLimiter(spec);
	return (req, _res, next) => {
		if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
		if (limiter.take(clientIp(policy.trustProxy, req))) return next();
		next(new HttpError(429, 'rate_limited', 'Too many requests; try again in a moment.'));
	};
}

/** Loads the SvelteKit adapter-node handler, if the web app has been built. */
export async function loadWebHandler(dir: string | null): Promise<RequestHandler | null> {
	if (!dir) return null;
	const file = path.join(dir, 'handler.js');
	if (!fs.existsSync(file)) return null;
	const mod = (await import(pathToFileURL(file).href)) as { handler: RequestHandler };
	return mod.handler;
}

export function createApp(options: {
	log: Logger;
	policy: OriginPolicy;
	api: express.Router;
	web: RequestHandler | null;
	httpWrites: BucketSpec;
}): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', options.policy.trustProxy);
	// SvelteKit sets its own CSP (with hashes for its inline bootstrap); the API gets a strict one.
	app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
	app.use(
		'/api',
		helmet.contentSecurityPolicy({
			useDefaults: false,
			directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }
		}),
		originCheck(options.policy),
		writeRateLimit(options.policy, options.httpWrites),
		options.api
	);
	if (options.web) {
		app.use(options.web);
	} else {
		app.get('/', (_req, res) => {
			res
				.type('text/plain')
				.send('Kipinä server is running, but the web app is not built (pnpm build).');
		});
	}
	app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'Not found.')));
	app.use(errorHandler(options.log));
	return app;
}
