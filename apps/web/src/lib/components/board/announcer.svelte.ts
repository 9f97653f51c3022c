import { createContext, untrack } from 'svelte';

interface Announcement {
	id: number;
	text: string;
}

/**
 * Messages for screen readers (a polite live region). Each message is a new
 * node, so saying the same words twice is announced twice.
 */
export class Announcer {
	#messages = $state<Announcement[]>([]);
	#next = 0;

	get messages(): readonly Announcement[] {
		return this.#messages;
	}

	/** Safe to call from an effect: it does not make the caller depend on the messages. */
	say(text: string): void {
		untrack(() => {
			this.#messages = [...this.#messages.slice(-2), { id: this.#next++, text }];
		});
	}
}

const [getAnnouncer, setAnnouncer] = createContext<Announcer>();

export { getAnnouncer, setAnnouncer };
