import type { Scenario } from '../lib/context.js';
export const calibration: Scenario = async () => ({ markdown: 'todo', json: {} });
