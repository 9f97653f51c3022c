import type { screenEn } from './screen.en';
import type { Translation } from './types';

/** Finnish messages of the shared timer, the projector screen and the /join page. */
export const screenFi: Translation<typeof screenEn> = {
	'timer.label': 'Aikaa jäljellä',
	'timer.paused': 'Tauolla',
	'timer.finalMinute': 'Viimeinen minuutti',
	'timer.up': 'Aika on loppu',
	'timer.announceMinute': 'Minuutti aikaa jäljellä.',
	'timer.announceUp': 'Aika on loppu.',
	'chime.label': 'Merkkiääni, kun aika loppuu'
};
