import type { Scenario } from '../lib/context.js';
export const durability: Scenario = async () => ({ markdown: 'todo', json: {} });
