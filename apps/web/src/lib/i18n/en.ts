import { groupsEn } from './groups.en';
import { flowEn } from './flow.en';
import { screenEn } from './screen.en';
import type { Dictionary } from './types';

/**
 * English messages: the source of truth for keys and `{placeholders}`.
 * Keep keys grouped by the screen that shows them.
 */
export const en = {
	'app.name': 'Kipinä',
	'app.tagline': 'Ideas for the core group evening',
	'app.home': 'Kipinä — front page',
	'app.loading': 'Loading…',
	'app.footer': 'Kipinä is open source. No accounts, no tracking.',

	'lang.label': 'Language',

	'home.title': 'Spark ideas together',
	'home.lead':
		'A shared board for your core group evening. Everyone posts ideas from their own phone or laptop — and the best ones often come from someone in a completely different line of work.',
	'home.step1.title': 'Open the board',
	'home.step1.text': 'Give the evening a name and put the board on the big screen.',
	'home.step2.title': 'Members join with a link',
	'home.step2.text': 'No accounts or passwords — just a name and an industry.',
	'home.step3.title': 'Ideas appear at once',
	'home.step3.text': 'On every screen in the room, and nothing is lost if the Wi‑Fi wobbles.',

	'start.heading': 'Start an evening',
	'start.titleLabel': 'Name of the evening',
	'start.titleDefault': 'Core group, {month}',
	'start.submit': 'Start the evening',
	'start.submitting': 'Starting…',
	'start.facilitatorNote': 'You will be the facilitator of this evening.',

	'profile.nameLabel': 'Your name',
	'profile.industryLabel': 'Your industry',
	'profile.industryHint': 'For example bakery, tourism or accounting.',
	'profile.remembered': 'Your name and industry are remembered on this device.',
	'profile.optional': 'optional',

	'join.heading': 'Join the evening',
	'join.lead': 'Tell the others who you are — a name and an industry are enough.',
	'join.evening': 'Evening',
	'join.submit': 'Join',
	'join.submitting': 'Joining…',
	'join.expired': 'Your place in this evening has expired. Please join again.',

	'notFound.title': 'This evening was not found',
	'notFound.text':
		'Check the link — a character may be missing. The evening may also have been removed.',
	'notFound.home': 'Go to the front page',
	'error.title': 'Something went wrong',
	'error.retry': 'Try again',

	'error.network': 'Could not reach Kipinä. Check your connection and try again.',
	'error.rateLimited': 'Too many attempts in a short time. Wait a moment and try again.',
	'error.generic': 'Something went wrong. Please try again.',
	'error.required': 'Please fill in this field.',
	'error.tooLong': 'At most {max} characters, please.',

	'share.heading': 'Join the evening',
	'share.instructions': 'Open this link on your phone or laptop:',
	'share.copy': 'Copy link',
	'share.copied': 'Link copied',
	'share.copyFailed': 'Copying did not work. Select the link and copy it by hand.',
	'share.qr': 'QR code for the join link',
	'share.scan': 'Or scan the code with your phone camera.',
	'share.hide': 'Hide',
	'share.show': 'Show link',

	'composer.label': 'Your idea',
	'composer.placeholder': 'Write an idea…',
	'composer.hint': 'Enter posts, Shift + Enter starts a new line.',
	'composer.submit': 'Post idea',
	'composer.left': { one: '{count} character left', other: '{count} characters left' },
	'composer.over': { one: '{count} character too many', other: '{count} characters too many' },
	'composer.empty': 'Write your idea first.',
	'composer.posted': 'Your idea was posted.',

	'ideas.heading': 'Ideas',
	'ideas.count': { one: '{count} idea', other: '{count} ideas' },
	'ideas.industries': { one: 'from {count} industry', other: 'from {count} industries' },
	'ideas.empty.title': 'No ideas yet',
	'ideas.empty.text': 'The first idea is often the hardest one — and the most valuable.',

	'idea.by': 'Idea by {name}',
	'idea.you': 'you',
	'idea.edited': 'edited',
	'idea.editedAt': 'Edited at {time}',
	'idea.postedAt': 'Posted at {time}',
	'idea.edit': 'Edit',
	'idea.delete': 'Delete',
	'idea.save': 'Save',
	'idea.cancel': 'Cancel',
	'idea.editLabel': 'Edit the idea',
	'idea.confirmDelete': 'Delete this idea?',
	'idea.confirmYes': 'Yes, delete',
	'idea.keep': 'Keep it',
	'idea.gone': 'This idea was deleted meanwhile. Your text is still here if you want to copy it.',
	'idea.someone': 'Someone',
	'idea.deleted': 'The idea was deleted.',

	'online.heading': 'Here now',
	'online.count': { one: '{count} person', other: '{count} people' },
	'online.you': 'you',
	'online.alone': 'Only you so far.',
	'online.offline': 'Others will show up when the connection is back.',

	'role.facilitator': 'facilitator',

	'conn.connecting': 'Connecting…',
	'conn.offline': 'Offline — your ideas are kept and will be sent',
	'conn.saving': 'Saving…',
	'conn.saved': 'All changes saved',
	'closed.title': 'This evening has ended',
	'closed.text': 'The board stays as it was; nothing can be added or changed any more.',
	'conn.resetReplayed':
		'The server could not accept a change, so the board was reloaded. Your unsaved ideas were sent again.',
	'rescued.title': 'This text could not be saved. Post it again, or copy it.',
	'rescued.post': 'Post again',
	'conn.reset': 'A change could not be saved, so the board was reloaded from the server.',

	'notice.dismiss': 'Dismiss',

	'announce.newIdea': '{name} posted an idea: {text}',
	'announce.edited': '{name} edited an idea.',

	'title.session': '{title} · Kipinä',

	...flowEn,
	...screenEn,
	...groupsEn
} as const satisfies Dictionary;

export type EnMessages = typeof en;
