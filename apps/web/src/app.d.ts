// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Which friendly page to show; the message itself is for logs only. */
			kind?: 'not-found' | 'network' | 'unexpected';
		}
	}
}

export {};
