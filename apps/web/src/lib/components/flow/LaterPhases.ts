/** The views of the phases after the ideas, one chunk (see `../lazy.ts`). */
export { default as ThemeBoard } from './ThemeBoard.svelte';
export { default as VoteBoard } from './VoteBoard.svelte';
export { default as ResultsView } from './ResultsView.svelte';
export { default as ActionsView } from './ActionsView.svelte';
export { default as DotBudget } from './DotBudget.svelte';
