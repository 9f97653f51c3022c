import { ApiError } from './api';
import type { TextKey } from './i18n/translate';

/** The message to show for a failed request, in the user's words. */
export function requestErrorKey(
	error: unknown
): Extract<TextKey, 'error.network' | 'error.rateLimited' | 'error.generic'> {
	if (error instanceof ApiError) {
		if (error.isNetwork) return 'error.network';
		if (error.status === 429) return 'error.rateLimited';
	}
	return 'error.generic';
}

/** The field the server found invalid, if it said so. */
export function invalidField(error: unknown): string | null {
	return error instanceof ApiError && error.code === 'invalid_body' && error.field
		? error.field
		: null;
}
