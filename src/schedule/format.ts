/**
 * The two kinds of schedule file behind one interface: a workflow `.yml` (its `on.schedule`
 * crons) and a gh-aw agentic workflow `.md` (the schedule in its frontmatter). The pipeline picks
 * the kind once per managed file, by its name, and from then on only calls these.
 */
import { checkAgentic, readAgentic, rewriteAgentic } from './agentic.js';
import { checkCurrent } from './current.js';
import { type RewriteResult, refuseLock, rewriteSchedule } from './rewriter.js';
import { readSchedule, type ScheduleEntry } from './workflow.js';

export interface ScheduleFormat {
  /** The schedule entries as they are; FileProblems when the file cannot be read as one. */
  read(text: string, file: string): ScheduleEntry[];
  /** The entries, each checked (crons, gh-aw forms, time zones); FileProblems naming lines. */
  check(text: string, file: string): ScheduleEntry[];
  /** The file with exactly `wanted` as its schedule, every other byte kept, verified. */
  rewrite(text: string, wanted: readonly string[], file: string): RewriteResult;
}

const workflow: ScheduleFormat = {
  read(text, file) {
    refuseLock(text, file);
    return readSchedule(text, file);
  },
  check(text, file) {
    return checkCurrent(text, file, this.read(text, file));
  },
  rewrite(text, wanted, file) {
    const result = rewriteSchedule(text, wanted, file);
    checkCurrent(text, file, result.before);
    return result;
  },
};

const agentic: ScheduleFormat = { read: readAgentic, check: checkAgentic, rewrite: rewriteAgentic };

/** The kind of schedule file a managed name is: `.md` is a gh-aw agentic workflow. */
export function formatFor(file: string): ScheduleFormat {
  return file.endsWith('.md') ? agentic : workflow;
}
