/** Built-in schedule classes. Minutes sit off the top of the hour, where GitHub delays and drops runs. */
import type { Mode } from '../usage/tracker.js';

/** A workflow's crons per mode; `paused`, when given, may be empty: no scheduled run at all. */
export type Schedules = Record<Mode, string[]> & { paused?: string[] };

export const PRESETS: Readonly<Record<string, Readonly<Schedules>>> = Object.freeze({
  /** Learning jobs: every 3 hours / twice a day / daily. */
  learning: {
    aggressive: ['23 */3 * * *'],
    normal: ['23 8,20 * * *'],
    conservative: ['23 12 * * *'],
  },
  /** Idea generators: every 4 hours / daily / Mondays and Thursdays. */
  ideas: {
    aggressive: ['37 */4 * * *'],
    normal: ['37 10 * * *'],
    conservative: ['37 10 * * 1,4'],
  },
  /** AI idea spawners: every 3 hours / every 4 hours / daily. */
  'ai-ideas': {
    aggressive: ['47 */3 * * *'],
    normal: ['47 */4 * * *'],
    conservative: ['47 10 * * *'],
  },
  /** Agents: every 2 hours / every 3 hours / every 6 hours. */
  agents: {
    aggressive: ['17 */2 * * *'],
    normal: ['17 */3 * * *'],
    conservative: ['17 */6 * * *'],
  },
});
