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
	'chime.label': 'Merkkiääni, kun aika loppuu',

	'joinCode.title': 'Liity koodilla · Kipinä',
	'joinCode.heading': 'Liity koodilla',
	'joinCode.lead': 'Kirjoita isolla näytöllä näkyvä koodi.',
	'joinCode.label': 'Koodi',
	'joinCode.hint': 'Kuusi kirjainta ja numeroa, esimerkiksi K7P 2QX.',
	'joinCode.submit': 'Jatka',
	'joinCode.checking': 'Tarkistetaan…',
	'joinCode.opening': 'Avataan: {title}…',
	'joinCode.noCode': 'Eikö sinulla ole koodia? Pyydä illan vetäjältä linkki.',
	'joinCode.error.empty': 'Kirjoita ensin näytöllä näkyvä koodi.',
	'joinCode.error.short': 'Koodissa on 6 merkkiä – tästä puuttuu jotain.',
	'joinCode.error.long': 'Koodissa on 6 merkkiä – tässä on liikaa.',
	'joinCode.error.characters':
		'Koodeissa ei ole O:ta, 0:aa, I:tä eikä 1:tä. Tarkista merkki näytöltä.',
	'joinCode.error.unknown':
		'Tällä koodilla ei löytynyt iltaa. Vertaa koodia näyttöön – ilta voi myös olla jo päättynyt.',
	'joinCode.error.rateLimited':
		'Liian monta yritystä lyhyessä ajassa. Odota hetki ja yritä uudelleen.'
};
