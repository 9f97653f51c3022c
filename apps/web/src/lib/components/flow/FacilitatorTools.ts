/** The facilitator's tools, one chunk (see `../lazy.ts`). */
export { default as FacilitatorPanel } from './FacilitatorPanel.svelte';
export { default as FacilitatorSheet } from './FacilitatorSheet.svelte';
export { default as SharePanel } from '../board/SharePanel.svelte';
