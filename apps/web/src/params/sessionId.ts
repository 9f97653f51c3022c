import { isId } from '@kipina/board';
import type { ParamMatcher } from '@sveltejs/kit';

/** Session ids are short [A-Za-z0-9_-] strings; anything else is a 404 without asking the API. */
export const match: ParamMatcher = (param) => isId(param);
