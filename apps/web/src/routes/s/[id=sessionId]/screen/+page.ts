import { error } from '@sveltejs/kit';
import { ApiError, getMembership, getSession } from '$lib/api';
import { withEarlyResponses } from '$lib/early';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch: kitFetch }) => {
	// The page's first load may find both reads already under way (see $lib/early.ts).
	const fetch = withEarlyResponses(kitFetch);
	try {
		const [session, membership] = await Promise.all([
			getSession(fetch, params.id),
			getMembership(fetch, params.id).catch((failure: unknown) => {
				if (failure instanceof ApiError && failure.status === 404) return null;
				throw failure;
			})
		]);
		if (!session) error(404, { message: 'Session not found', kind: 'not-found' });
		return { session, membership };
	} catch (failure) {
		if (failure instanceof ApiError) {
			error(failure.isNetwork ? 503 : 500, {
				message: failure.message,
				kind: failure.isNetwork ? 'network' : 'unexpected'
			});
		}
		throw failure;
	}
};
