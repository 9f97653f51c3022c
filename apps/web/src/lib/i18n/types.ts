/**
 * Types of the message dictionaries. English (`en.ts`) is the source of truth:
 * its keys define what every other locale must translate, and its `{name}`
 * placeholders define the parameters a message takes.
 */

export const LOCALES = ['fi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A message that depends on a count, chosen with `Intl.PluralRules`. */
export interface Plural {
	readonly one: string;
	readonly other: string;
}

export type Message = string | Plural;

export type Dictionary = Readonly<Record<string, Message>>;

/** `'Hi {name}, {count} new'` → `'name' | 'count'`. */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
	? P | Placeholders<Rest>
	: never;

/** A translation of a dictionary: same keys, same kinds of message, any text. */
export type Translation<D extends Dictionary> = {
	readonly [K in keyof D]: D[K] extends string ? string : Plural;
};

export type Params = Readonly<Record<string, string | number>>;
