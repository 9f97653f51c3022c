/**
 * Board commands: the only way the UI changes a session document. Each runs
 * one transaction with a command origin and validates its input first, so a
 * command never writes something the server's policy would refuse for
 * reasons of shape. Permission is the caller's concern (see `policy.ts`).
 */
import type * as Y from 'yjs';
import { boardMaps } from './doc.js';
import { randomId } from './ids.js';
import { commandOrigin } from './origins.js';
import {
	IdeaSchema,
	LIMITS,
	MetaSchemas,
	cleanLine,
	cleanText,
	type Idea,
	type Meta,
	type MetaKey
} from './schema.js';

export class CommandError extends Error {
	constructor(
		readonly code: 'empty' | 'too-long' | 'not-found' | 'invalid',
		message: string
	) {
		super(message);
		this.name = 'CommandError';
	}
}

/** Who is issuing a command: the participant of this device. */
export interface Author {
	participantId: string;
	industry: string;
}

function checkIdeaText(raw: string): string {
	const text = cleanText(raw);
	if (text.length === 0) throw new CommandError('empty', 'An idea needs some text.');
	if (text.length > LIMITS.ideaText)
		throw new CommandError('too-long', `An idea can have at most ${LIMITS.ideaText} characters.`);
	return text;
}

/** Posts a new idea; returns its id. */
export function addIdea(doc: Y.Doc, author: Author, rawText: string, now = Date.now()): string {
	const idea: Idea = {
		id: randomId(),
		text: checkIdeaText(rawText),
		authorId: author.participantId,
		industry: cleanLine(author.industry).slice(0, LIMITS.industry),
		createdAt: Math.floor(now)
	};
	if (!IdeaSchema.safeParse(idea).success) {
		throw new CommandError('invalid', 'An idea needs an author with a valid id and industry.');
	}
	doc.transact(() => boardMaps(doc).ideas.set(idea.id, idea), commandOrigin('addIdea'));
	return idea.id;
}

/** Replaces an idea's text, keeping everything else. */
export function editIdea(doc: Y.Doc, ideaId: string, rawText: string, now = Date.now()): void {
	const { ideas } = boardMaps(doc);
	const current = ideas.get(ideaId);
	if (!current) throw new CommandError('not-found', 'That idea no longer exists.');
	const text = checkIdeaText(rawText);
	if (text === current.text) return;
	const next: Idea = { ...current, text, editedAt: Math.max(Math.floor(now), current.createdAt) };
	doc.transact(() => ideas.set(ideaId, next), commandOrigin('editIdea'));
}

export function deleteIdea(doc: Y.Doc, ideaId: string): void {
	const { ideas } = boardMaps(doc);
	if (!ideas.has(ideaId)) return;
	doc.transact(() => ideas.delete(ideaId), commandOrigin('deleteIdea'));
}

/** Sets one facilitator-only setting of the session. */
export function setMeta<K extends MetaKey>(doc: Y.Doc, key: K, value: Meta[K]): void {
	const result = MetaSchemas[key].safeParse(value);
	if (!result.success) throw new CommandError('invalid', `Invalid value for ${key}.`);
	const { meta } = boardMaps(doc);
	if (meta.get(key) === value) return;
	doc.transact(() => meta.set(key, value), commandOrigin(`setMeta:${key}`));
}
