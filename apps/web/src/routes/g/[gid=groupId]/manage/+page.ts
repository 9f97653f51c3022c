import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { getGroupHome } from '$lib/groups/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch }) => {
	try {
		return { state: 'member' as const, home: await getGroupHome(fetch, params.gid) };
	} catch (failure) {
		if (failure instanceof ApiError && failure.status === 404) return { state: 'outside' as const };
		if (failure instanceof ApiError) {
			error(failure.isNetwork ? 503 : 500, {
				message: failure.message,
				kind: failure.isNetwork ? 'network' : 'unexpected'
			});
		}
		throw failure;
	}
};
