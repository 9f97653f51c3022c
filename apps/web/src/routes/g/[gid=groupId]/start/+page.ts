import { error, isRedirect, redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { ApiError } from '$lib/api';
import { getGroupHome, getReview } from '$lib/groups/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params, fetch }) => {
	try {
		const [home, review] = await Promise.all([
			getGroupHome(fetch, params.gid),
			getReview(fetch, params.gid)
		]);
		// Only a facilitator starts, and only when nothing runs: the group home shows why.
		if (home.me.role !== 'facilitator' || home.live) {
			redirect(307, resolve('/g/[gid=groupId]', { gid: params.gid }));
		}
		return { state: 'member' as const, home, review };
	} catch (failure) {
		if (isRedirect(failure)) throw failure;
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
