import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';

export type ErrorCode =
	| 'invalid_body'
	| 'unauthenticated'
	| 'forbidden'
	| 'forbidden_origin'
	| 'not_found'
	| 'body_too_large'
	| 'unsupported_media_type'
	| 'rate_limited'
	| 'invalid_link'
	| 'session_closed'
	| 'conflict'
	| 'internal';

/** An error with an HTTP status and a message meant for the client. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: ErrorCode,
		message: string,
		readonly field?: string
	) {
		super(message);
	}
}

export function sendError(res: Response, error: HttpError): void {
	res.status(error.status).json({
		error: {
			code: error.code,
			message: error.message,
			...(error.field ? { field: error.field } : {})
		}
	});
}

/** Last express error handler: known errors as JSON, anything else as a logged 500. */
export function errorHandler(log: Logger): ErrorRequestHandler {
	return (error: unknown, _req, res, next) => {
		if (res.headersSent) return next(error);
		if (error instanceof HttpError) return sendError(res, error);
		const e = error as { type?: string; status?: number };
		if (e.type === 'entity.too.large') {
			return sendError(res, new HttpError(413, 'body_too_large', 'The request body is too large.'));
		}
		if (e.type === 'entity.parse.failed') {
			return sendError(res, new HttpError(400, 'invalid_body', 'The body is not valid JSON.'));
		}
		log.error({ err: error }, 'request failed');
		sendError(res, new HttpError(500, 'internal', 'Something went wrong on the server.'));
	};
}
