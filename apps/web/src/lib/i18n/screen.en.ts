import type { Dictionary } from './types';

/**
 * English messages of the shared timer, the projector screen and the /join
 * page. Spread into `en.ts`; `screen.fi.ts` translates them.
 */
export const screenEn = {
	'timer.label': 'Time left',
	'timer.paused': 'Paused',
	'timer.finalMinute': 'Last minute',
	'timer.up': 'Time is up',
	'timer.announceMinute': 'One minute left.',
	'timer.announceUp': 'Time is up.',
	'chime.label': 'Chime when the time is up'
} as const satisfies Dictionary;
