import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { getActions, getArchive, getGroupHome } from '$lib/groups/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch }) => {
	try {
		const [home, actions, archive] = await Promise.all([
			getGroupHome(fetch, params.gid),
			getActions(fetch, params.gid),
			getArchive(fetch, params.gid)
		]);
		return { state: 'member' as const, home, actions, archive };
	} catch (failure) {
		// Outsiders, and members who left: the group is not theirs to see.
		if (failure instanceof ApiError && failure.status === 404) {
			return { state: 'outside' as const };
		}
		if (failure instanceof ApiError) {
			error(failure.isNetwork ? 503 : 500, {
				message: failure.message,
				kind: failure.isNetwork ? 'network' : 'unexpected'
			});
		}
		throw failure;
	}
};
