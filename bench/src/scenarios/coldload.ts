import type { Scenario } from '../lib/context.js';
export const coldload: Scenario = async () => ({ markdown: 'todo', json: {} });
