/** GitHub's cron subset: validation on top of croner, run counting and descriptions. */
import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { DAY_MS } from '../usage/period.js';
import { fuzzyForm, fuzzyProblem, isWords } from './fuzzy.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** What names[0] stands for. */
  nameBase?: number;
}

const FIELDS: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, nameBase: 0 },
];

const ITEM = /^(\*|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:\/(\d+))?$/;

function fieldValue(token: string, field: Field): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const at = field.names?.indexOf(token.toUpperCase()) ?? -1;
  return at >= 0 ? at + (field.nameBase ?? 0) : undefined;
}

/**
 * Checks a cron against the subset GitHub's scheduler accepts: five fields of numbers,
 * names, `*`, `,`, `-` and `/`. Returns the problem in words, or undefined when valid.
 */
export function cronProblem(cron: string): string | undefined {
  let problem = problems.get(cron);
  if (problem === undefined) {
    problem = checkCron(cron) ?? '';
    problems.set(cron, problem);
  }
  return problem || undefined;
}

// Configs repeat the same few crons (presets): check each string once.
const problems = new Map<string, string>();
const descriptions = new Map<string, string>();

function checkCron(cron: string): string | undefined {
  if (cron.trim().startsWith('@')) return 'macros such as @daily are not supported by GitHub';
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`;
  }
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i] as Field;
    for (const item of part.split(',')) {
      const m = ITEM.exec(item);
      if (!m) {
        return `${field.name} field '${part}' is not supported: use numbers, names, '*', ',', '-' and '/' only (no L, W, # or ?)`;
      }
      const [, , from, to, step] = m;
      for (const token of [from, to]) {
        if (token === undefined) continue;
        const n = fieldValue(token, field);
        if (n === undefined && !/^\d+$/.test(token)) {
          return `${field.name} value '${token}' is not supported: use numbers${field.names ? ` or names such as ${field.names[1]}` : ''} (no L, W, # or ?)`;
        }
        if (n === undefined || n < field.min || n > field.max) {
          return `${field.name} value '${token}' is out of range ${field.min}-${field.max}`;
        }
      }
      if (from !== undefined && to !== undefined) {
        if ((fieldValue(from, field) as number) > (fieldValue(to, field) as number)) {
          return `${field.name} range '${from}-${to}' runs backwards`;
        }
      }
      if (step !== undefined && Number(step) === 0) return `${field.name} step '/0' is not allowed`;
    }
  }
  try {
    compile(cron);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}

const compiled = new Map<string, Cron>();

/** A croner instance for a cron in a time zone (UTC unless given); cached, since crons repeat. */
function compile(cron: string, timezone?: string): Cron {
  const key = `${timezone ?? ''}|${cron}`;
  let job = compiled.get(key);
  if (!job) {
    // utcOffset 0 is croner's fast path for UTC; named zones go through Intl.
    job = new Cron(
      cron,
      timezone ? { timezone, mode: '5-part' } : { utcOffset: 0, mode: '5-part' },
    );
    compiled.set(key, job);
  }
  return job;
}

/**
 * What is wrong with a schedule string of an agentic workflow (a gh-aw form or a cron), or
 * undefined; a workflow `.yml` takes crons only (cronProblem).
 */
export function scheduleProblem(value: string): string | undefined {
  if (isWords(value)) return fuzzyProblem(value);
  const problem = cronProblem(value);
  return problem && `cron '${value}' is not valid for GitHub: ${problem}`;
}

/**
 * The cron that places a schedule string's runs: itself, or a gh-aw form's model (its fixed
 * cron, or one in the middle of its window: gh-aw picks the real minute when it compiles).
 */
const placed = (cron: string) => fuzzyForm(cron)?.model ?? cron;

/** Firing times of a cron (or a gh-aw form, as its model places them) in [from, to). */
export function runsBetween(cron: string, from: Date, to: Date, timezone?: string): Date[] {
  const job = compile(placed(cron), timezone);
  const runs: Date[] = [];
  // nextRun is strictly after its argument, so start one millisecond early to include `from`.
  let next = job.nextRun(new Date(from.getTime() - 1));
  while (next && next.getTime() < to.getTime()) {
    runs.push(next);
    next = job.nextRun(next);
  }
  return runs;
}

/** The last firing at or before `at`, or undefined. */
export function previousRun(cron: string, at: Date, timezone?: string): Date | undefined {
  // croner looks strictly before its reference, at whole seconds.
  const reference = Math.floor(at.getTime() / 1000) * 1000 + 1000;
  return compile(placed(cron), timezone).previousRuns(1, new Date(reference))[0];
}

// A reference week, so the figure does not depend on the day it is asked.
const WEEK_START = new Date('2025-01-06T00:00:00Z');
const WEEK_END = new Date(WEEK_START.getTime() + 7 * DAY_MS);
const perDay = new Map<string, number>();

/**
 * Average runs per day of a list of crons over a reference week; a gh-aw form counts by its
 * table (fuzzy.ts), so `every 2 days` is a half and `bi-weekly` a fourteenth. The one count for
 * both kinds of schedule file.
 */
export function runsPerDay(crons: readonly string[], timezone?: string): number {
  let total = 0;
  for (const cron of crons) {
    const key = `${timezone ?? ''}|${cron}`;
    let n = perDay.get(key);
    if (n === undefined) {
      const form = fuzzyForm(cron);
      n = form ? form.runsPerDay : runsBetween(cron, WEEK_START, WEEK_END, timezone).length / 7;
      perDay.set(key, n);
    }
    total += n;
  }
  return total;
}

/**
 * A cron in words, such as "At 17 minutes past the hour, every 2 hours"; a gh-aw form is words
 * already, so it says who picks its time.
 */
export function describeCron(cron: string): string {
  let text = descriptions.get(cron);
  const form = fuzzyForm(cron);
  if (text === undefined && form) {
    text = form.fixed
      ? `gh-aw form, fixed: ${describeCron(form.model)}`
      : 'gh-aw form: gh-aw scatters its time when it compiles';
    descriptions.set(cron, text);
  }
  if (text === undefined) {
    try {
      text = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
    } catch {
      text = cron;
    }
    descriptions.set(cron, text);
  }
  return text;
}
