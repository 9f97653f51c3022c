import type { Scenario } from '../lib/context.js';
export const capacity: Scenario = async () => ({ markdown: 'todo', json: {} });
