import { isId } from '@kipina/board';
import type { ParamMatcher } from '@sveltejs/kit';

/** Group ids are short [A-Za-z0-9_-] strings, like session ids. */
export const match: ParamMatcher = (param) => isId(param);
