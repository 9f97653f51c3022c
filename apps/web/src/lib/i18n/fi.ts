import type { en } from './en';
import { groupsFi } from './groups.fi';
import { flowFi } from './flow.fi';
import { screenFi } from './screen.fi';
import type { Translation } from './types';

/** Finnish messages. A key missing here (or a plural given as text) fails type-check. */
export const fi: Translation<typeof en> = {
	'app.name': 'Kipinä',
	'app.tagline': 'Ideoita ydinryhmän iltaan',
	'app.home': 'Kipinä – etusivu',
	'app.loading': 'Ladataan…',
	'app.footer': 'Kipinä on avointa lähdekoodia. Ei tunnuksia, ei seurantaa.',

	'lang.label': 'Kieli',

	'home.title': 'Sytytetään ideoita yhdessä',
	'home.lead':
		'Yhteinen taulu ydinryhmän illalle. Jokainen kirjoittaa ideoita omalta puhelimeltaan tai läppäriltään – ja parhaat ideat tulevat usein aivan toisen alan yrittäjältä.',
	'home.step1.title': 'Avaa taulu',
	'home.step1.text': 'Anna illalle nimi ja heijasta taulu isolle näytölle.',
	'home.step2.title': 'Jäsenet liittyvät linkillä',
	'home.step2.text': 'Ei tunnuksia eikä salasanoja – pelkkä nimi ja toimiala.',
	'home.step3.title': 'Ideat näkyvät heti',
	'home.step3.text': 'Jokaisella näytöllä, eikä mitään katoa, vaikka verkko pätkisi.',

	'start.heading': 'Aloita ilta',
	'start.titleLabel': 'Illan nimi',
	'start.titleDefault': 'Ydinryhmä, {month}',
	'start.submit': 'Aloita ilta',
	'start.submitting': 'Aloitetaan…',
	'start.facilitatorNote': 'Sinusta tulee illan vetäjä.',

	'profile.nameLabel': 'Nimesi',
	'profile.industryLabel': 'Toimialasi',
	'profile.industryHint': 'Esimerkiksi leipomo, matkailu tai kirjanpito.',
	'profile.remembered': 'Nimesi ja toimialasi muistetaan tällä laitteella.',
	'profile.optional': 'vapaaehtoinen',

	'join.heading': 'Liity iltaan',
	'join.lead': 'Kerro muille, kuka olet – nimi ja toimiala riittävät.',
	'join.evening': 'Ilta',
	'join.submit': 'Liity',
	'join.submitting': 'Liitytään…',
	'join.expired': 'Paikkasi tässä illassa on vanhentunut. Liity uudelleen.',

	'notFound.title': 'Iltaa ei löytynyt',
	'notFound.text': 'Tarkista linkki – siitä voi puuttua merkki. Ilta on voitu myös poistaa.',
	'notFound.home': 'Etusivulle',
	'error.title': 'Jokin meni vikaan',
	'error.retry': 'Yritä uudelleen',

	'error.network': 'Kipinään ei saatu yhteyttä. Tarkista verkkoyhteys ja yritä uudelleen.',
	'error.rateLimited': 'Liian monta yritystä lyhyessä ajassa. Odota hetki ja yritä uudelleen.',
	'error.generic': 'Jokin meni vikaan. Yritä uudelleen.',
	'error.required': 'Täytä tämä kenttä.',
	'error.tooLong': 'Enintään {max} merkkiä.',

	'share.heading': 'Liity mukaan',
	'share.instructions': 'Avaa tämä linkki puhelimella tai läppärillä:',
	'share.copy': 'Kopioi linkki',
	'share.copied': 'Linkki kopioitu',
	'share.copyFailed': 'Kopiointi ei onnistunut. Valitse linkki ja kopioi se käsin.',
	'share.qr': 'QR-koodi liittymislinkkiin',
	'share.scan': 'Tai skannaa koodi puhelimen kameralla.',
	'share.hide': 'Piilota',
	'share.show': 'Näytä linkki',

	'composer.label': 'Ideasi',
	'composer.placeholder': 'Kirjoita idea…',
	'composer.hint': 'Enter lähettää, Shift + Enter aloittaa uuden rivin.',
	'composer.submit': 'Lähetä idea',
	'composer.left': { one: '{count} merkki jäljellä', other: '{count} merkkiä jäljellä' },
	'composer.over': { one: '{count} merkki liikaa', other: '{count} merkkiä liikaa' },
	'composer.empty': 'Kirjoita ensin ideasi.',
	'composer.posted': 'Ideasi lähetettiin.',

	'ideas.heading': 'Ideat',
	'ideas.count': { one: '{count} idea', other: '{count} ideaa' },
	'ideas.industries': { one: '{count} toimialalta', other: '{count} toimialalta' },
	'ideas.empty.title': 'Ei vielä ideoita',
	'ideas.empty.text': 'Ensimmäinen idea on usein vaikein – ja arvokkain.',

	'idea.by': 'Idean kirjoitti {name}',
	'idea.you': 'sinä',
	'idea.edited': 'muokattu',
	'idea.editedAt': 'Muokattu klo {time}',
	'idea.postedAt': 'Lähetetty klo {time}',
	'idea.edit': 'Muokkaa',
	'idea.delete': 'Poista',
	'idea.save': 'Tallenna',
	'idea.cancel': 'Peruuta',
	'idea.editLabel': 'Muokkaa ideaa',
	'idea.confirmDelete': 'Poistetaanko idea?',
	'idea.confirmYes': 'Kyllä, poista',
	'idea.keep': 'Säilytä',
	'idea.gone': 'Idea poistettiin sillä välin. Tekstisi on yhä tässä, jos haluat kopioida sen.',
	'idea.someone': 'Joku',
	'idea.deleted': 'Idea poistettiin.',

	'online.heading': 'Paikalla nyt',
	'online.count': { one: '{count} henkilö', other: '{count} henkilöä' },
	'online.you': 'sinä',
	'online.alone': 'Vain sinä toistaiseksi.',
	'online.offline': 'Muut näkyvät, kun yhteys palaa.',

	'role.facilitator': 'vetäjä',

	'conn.connecting': 'Yhdistetään…',
	'conn.offline': 'Ei yhteyttä – ideasi säilyvät ja lähtevät, kun yhteys palaa',
	'conn.saving': 'Tallennetaan…',
	'conn.saved': 'Kaikki muutokset tallennettu',
	'closed.title': 'Tämä ilta on päättynyt',
	'closed.text': 'Taulu säilyy sellaisenaan; siihen ei voi enää lisätä eikä muuttaa mitään.',
	'conn.resetReplayed':
		'Palvelin ei voinut ottaa muutosta vastaan, joten taulu ladattiin uudelleen. Tallentamattomat ideasi lähetettiin uudelleen.',
	'rescued.title': 'Tätä tekstiä ei voitu tallentaa. Lähetä se uudelleen tai kopioi se talteen.',
	'rescued.post': 'Lähetä uudelleen',
	'conn.reset': 'Yhtä muutosta ei voitu tallentaa, joten taulu ladattiin uudelleen palvelimelta.',

	'notice.dismiss': 'Sulje',

	'announce.newIdea': '{name} lisäsi idean: {text}',
	'announce.edited': '{name} muokkasi ideaa.',

	'title.session': '{title} · Kipinä',

	...flowFi,
	...screenFi,
	...groupsFi
};
