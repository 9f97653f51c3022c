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
	'chime.label': 'Chime when the time is up',

	'joinCode.title': 'Join with a code · Kipinä',
	'joinCode.heading': 'Join with a code',
	'joinCode.lead': 'Type the code shown on the big screen.',
	'joinCode.label': 'Code',
	'joinCode.hint': 'Six letters and numbers, for example K7P 2QX.',
	'joinCode.submit': 'Continue',
	'joinCode.checking': 'Checking…',
	'joinCode.opening': 'Opening {title}…',
	'joinCode.noCode': 'No code? Ask the facilitator for the link.',
	'joinCode.error.empty': 'Type the code from the screen first.',
	'joinCode.error.short': 'The code has 6 characters; this one is shorter.',
	'joinCode.error.long': 'The code has 6 characters; this one is longer.',
	'joinCode.error.characters': 'Codes have no O, 0, I or 1. Check that character on the screen.',
	'joinCode.error.unknown':
		'No evening has this code. Check it against the screen — the evening may also have ended.',
	'joinCode.error.rateLimited': 'Too many tries in a short time. Wait a minute and try again.'
} as const satisfies Dictionary;
