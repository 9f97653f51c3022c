export { I18n, getI18n, setI18n } from './locale.svelte';
export { LOCALES, type Locale } from './types';
export { INDUSTRY_SUGGESTIONS } from './industries';
