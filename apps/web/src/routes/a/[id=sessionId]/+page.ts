import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { getSessionExport } from '$lib/groups/api';
import { archiveView } from '$lib/groups/archive';
import type { PageLoad } from './$types';

/** The archive viewer and the printable page read the same complete export. */
export const load: PageLoad = async ({ params, fetch }) => {
	try {
		const data = await getSessionExport(fetch, params.id);
		return { state: 'ok' as const, view: archiveView(data) };
	} catch (failure) {
		if (failure instanceof ApiError && (failure.status === 403 || failure.status === 410)) {
			return { state: 'guest' as const };
		}
		if (failure instanceof ApiError && (failure.status === 404 || failure.status === 401)) {
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
