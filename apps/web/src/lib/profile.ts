import { LIMITS, cleanLine } from '@kipina/board';
import { KEYS, readItem, writeItem } from './storage';

/** What a person tells about themselves; remembered on this device for next time. */
export interface Profile {
	name: string;
	industry: string;
}

export function parseProfile(raw: string | null): Profile {
	try {
		const value = JSON.parse(raw ?? '{}') as Partial<Record<keyof Profile, unknown>>;
		return {
			name: typeof value.name === 'string' ? value.name.slice(0, LIMITS.name) : '',
			industry: typeof value.industry === 'string' ? value.industry.slice(0, LIMITS.industry) : ''
		};
	} catch {
		return { name: '', industry: '' };
	}
}

export function loadProfile(): Profile {
	return parseProfile(readItem(KEYS.profile));
}

export function saveProfile(profile: Profile): void {
	writeItem(
		KEYS.profile,
		JSON.stringify({ name: cleanLine(profile.name), industry: cleanLine(profile.industry) })
	);
}
