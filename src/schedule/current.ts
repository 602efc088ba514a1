/** The schedule a managed workflow has now, checked the way the config's crons are. */

import { FileProblems } from './config.js';
import { cronProblem, runsPerDay } from './cron.js';
import type { ScheduleEntry } from './workflow.js';
import { keyIs, lineAt, locate } from './workflow.js';

/** The FileProblems a check throws, as a list (empty when it passes). */
export function collect(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (error instanceof FileProblems) return error.problems;
    throw error;
  }
}

/**
 * Checks the crons and time zones a workflow has now, which the config never vetted: croner
 * would throw on them later, in the pace decision or the report, with neither file nor line.
 * Returns the entries; throws FileProblems naming each bad one's line.
 */
export function checkCurrent(
  text: string,
  path: string,
  entries: ScheduleEntry[],
): ScheduleEntry[] {
  const bad = entries.map((e) => {
    const cron = cronProblem(e.cron);
    if (cron) return { key: 'cron', problem: `cron '${e.cron}' is not valid for GitHub: ${cron}` };
    if (e.timezone === undefined) return undefined;
    try {
      runsPerDay([e.cron], e.timezone);
      return undefined;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return {
        key: 'timezone',
        problem: `timezone '${e.timezone}' is not a time zone (use an IANA name such as Europe/Berlin): ${why}`,
      };
    }
  });
  if (bad.every((b) => b === undefined)) return entries;
  // Only a bad file pays for finding the lines.
  const located = locate(text, path, false).entries;
  const problems = bad.flatMap((b, i) => {
    if (!b) return [];
    const item = located[i]?.item;
    const node = item?.items.find((p) => keyIs(p, b.key))?.value as { range?: number[] } | null;
    return [`${path}:${lineAt(text, node?.range?.[0] ?? 0)}: ${b.problem}`];
  });
  throw new FileProblems(problems);
}
