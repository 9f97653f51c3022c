import type { Scenario } from '../lib/context.js';
export const joinpage: Scenario = async () => ({ markdown: 'todo', json: {} });
