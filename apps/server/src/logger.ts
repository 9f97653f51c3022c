import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Credentials never reach a log line: cookie
 * and token fields are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: undefined,
		redact: {
			paths: ['token', '*.token', 'cookie', '*.cookie', 'headers.cookie', '*.headers.cookie'],
			censor: '[redacted]'
		}
	});
}
