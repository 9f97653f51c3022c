/**
 * The archive viewer's data: an export written into a fresh document and
 * read with the same views the live board uses (`results`, `boardLayout`,
 * `listActions`, `listParticipants`), so archived evenings rank and group
 * exactly as the room saw them.
 */
import {
	ANONYMOUS_AUTHOR,
	boardLayout,
	createBoardDoc,
	listActions,
	listParticipants,
	results,
	summarize,
	writeSessionExport,
	type ActionView,
	type Layout,
	type Participant,
	type Results,
	type SessionExport,
	type SessionSummary
} from '@kipina/board';

export interface ArchiveView {
	data: SessionExport;
	summary: SessionSummary;
	results: Results;
	layout: Layout;
	actions: ActionView[];
	participants: Participant[];
	/** Name of a participant id; '' when unknown (left) or anonymous. */
	nameOf: (participantId: string) => string;
	/** Votes of an idea by id. */
	votesOf: (ideaId: string) => number;
	anonymous: (participantId: string) => boolean;
}

export function archiveView(data: SessionExport): ArchiveView {
	const doc = createBoardDoc();
	try {
		writeSessionExport(doc, data, { mode: 'view' });
		const participants = listParticipants(doc);
		const names = new Map(participants.map((p) => [p.id, p.name]));
		const ranked = results(doc);
		const votes = new Map(ranked.ideas.map((r) => [r.idea.id, r.votes]));
		return {
			data,
			summary: summarize(doc),
			results: ranked,
			layout: boardLayout(doc),
			actions: listActions(doc),
			participants,
			nameOf: (id) => names.get(id) ?? '',
			votesOf: (id) => votes.get(id) ?? 0,
			anonymous: (id) => id === ANONYMOUS_AUTHOR
		};
	} finally {
		doc.destroy();
	}
}
