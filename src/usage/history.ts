/** Usage history: one record a day, bounded, and the 7-day trend it gives. Pure functions. */
import { DAY_MS, periodFor } from './period.js';
import { type Alert, MODES, type Mode, TIERS, type Tier, type Usage } from './tracker.js';

export interface HistoryRecord {
  /** The UTC day, YYYY-MM-DD; one record per day. */
  date: string;
  /** When the run saw these figures, ISO 8601. */
  time: string;
  quota: number;
  used: number;
  mode: Mode | 'pace';
  alert: Alert;
  /** Each managed workflow's tier after this run, by file name. */
  tiers?: Record<string, Tier>;
  /** What the managed workflows spend a day on those tiers (runs a day × cost). */
  managedPerDay?: number;
  /** With pace: each managed workflow's rate (runs a day) after this run, by file name. */
  rates?: Record<string, number>;
  /** A fleet's control run: each workflow's runs this period so far, by `owner/repo/workflow`. */
  runs?: Record<string, number>;
}

/** About 13 months of daily records: enough for a year's trends, small enough to review. */
export const MAX_RECORDS = 400;
/** The trend looks back this far. */
export const TREND_WINDOW_MS = 7 * DAY_MS;
/** A trend over less than this is noise. */
export const MIN_TREND_SPAN_MS = DAY_MS;

const ALERTS: readonly string[] = ['ok', 'warning', 'critical'];

const finite = (x: unknown, min: number): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x >= min;

/** A calendar day that exists, such as 2026-02-28 (2026-02-30 does not). */
const realDay = (day: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

/**
 * What is wrong with one record, or undefined. The file is data from outside: every field this
 * action reads is checked, and `tiers` may hold only tiers, under its own keys (no `__proto__`).
 */
function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.date !== 'string' || !realDay(r.date)) return "'date' is not a day (YYYY-MM-DD)";
  if (typeof r.time !== 'string' || Number.isNaN(Date.parse(r.time)))
    return "'time' is not an ISO 8601 time";
  if (!finite(r.quota, 0) || r.quota === 0) return "'quota' is not a number greater than 0";
  if (!finite(r.used, 0)) return "'used' is not a finite number of 0 or more";
  if (!([...MODES, 'pace'] as readonly unknown[]).includes(r.mode))
    return `'mode' is not one of ${[...MODES, 'pace'].join(', ')}`;
  if (!ALERTS.includes(r.alert as string)) return `'alert' is not one of ${ALERTS.join(', ')}`;
  if (r.tiers !== undefined) {
    if (typeof r.tiers !== 'object' || r.tiers === null || Array.isArray(r.tiers))
      return "'tiers' is not an object";
    for (const [name, tier] of Object.entries(r.tiers)) {
      if (!(TIERS as readonly unknown[]).includes(tier))
        return `'tiers' gives ${JSON.stringify(name).slice(0, 80)} the tier ${JSON.stringify(tier).slice(0, 40)}, which is not one of ${TIERS.join(', ')}`;
    }
  }
  if (r.managedPerDay !== undefined && !finite(r.managedPerDay, 0))
    return "'managedPerDay' is not a finite number of 0 or more";
  if (r.rates !== undefined) {
    if (typeof r.rates !== 'object' || r.rates === null || Array.isArray(r.rates))
      return "'rates' is not an object";
    for (const [name, rate] of Object.entries(r.rates)) {
      if (!finite(rate, 0))
        return `'rates' gives ${JSON.stringify(name).slice(0, 80)} the rate ${JSON.stringify(rate).slice(0, 40)}, which is not a finite number of runs a day, 0 or more`;
    }
  }
  if (r.runs !== undefined) {
    if (typeof r.runs !== 'object' || r.runs === null || Array.isArray(r.runs))
      return "'runs' is not an object";
    for (const [name, n] of Object.entries(r.runs)) {
      if (!Number.isInteger(n) || (n as number) < 0)
        return `'runs' gives ${JSON.stringify(name).slice(0, 80)} ${JSON.stringify(n).slice(0, 40)}, which is not a whole number of runs`;
    }
  }
  return undefined;
}

/** Reads a history file's text; a problem in words when it is not a history this action wrote. */
export function parseHistory(text: string): { records: HistoryRecord[] } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const records = (data as { records?: unknown })?.records;
  if (!Array.isArray(records)) return { problem: "expected an object with a 'records' list" };
  for (const [i, r] of records.entries()) {
    const problem = recordProblem(r);
    if (problem) return { problem: `record ${i + 1} is not a usage record: ${problem}` };
  }
  // Tiers are copied into a prototype-free object, so no name can reach Object.prototype.
  return {
    records: (records as HistoryRecord[]).map((r) => ({
      ...r,
      ...(r.tiers ? { tiers: Object.assign(Object.create(null), r.tiers) } : {}),
      ...(r.rates ? { rates: Object.assign(Object.create(null), r.rates) } : {}),
      ...(r.runs ? { runs: Object.assign(Object.create(null), r.runs) } : {}),
    })),
  };
}

/** The history with this run's record: a record of the same day is replaced; oldest dropped past the bound. */
export function recordRun(
  records: readonly HistoryRecord[],
  record: HistoryRecord,
): HistoryRecord[] {
  return [...records.filter((r) => r.date !== record.date), record]
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
    .slice(-MAX_RECORDS);
}

/** The record of a run. */
export function recordOf(
  usage: Usage,
  mode: Mode | 'pace',
  now: Date,
  managed?: { tiers: Record<string, Tier>; managedPerDay: number; rates?: Record<string, number> },
): HistoryRecord {
  return {
    date: now.toISOString().slice(0, 10),
    time: now.toISOString(),
    quota: usage.quota,
    used: usage.used,
    mode,
    alert: usage.alert,
    ...(managed && Object.keys(managed.tiers).length > 0
      ? { tiers: managed.tiers, managedPerDay: Math.round(managed.managedPerDay * 1000) / 1000 }
      : {}),
    ...(managed?.rates && Object.keys(managed.rates).length > 0
      ? {
          rates: Object.fromEntries(
            Object.entries(managed.rates).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
          ),
        }
      : {}),
  };
}

/**
 * The file's text: stable key order, two-space indent, final line break. `extra` adds top-level
 * keys beside the records (a fleet's control run keeps its request cache there).
 */
export function renderHistory(
  records: readonly HistoryRecord[],
  extra: Readonly<Record<string, unknown>> = {},
): string {
  return `${JSON.stringify({ version: 1, ...extra, records }, null, 2)}\n`;
}

/** Usage points of the current period, oldest first: the period start at 0, then the records. */
export function periodPoints(
  records: readonly HistoryRecord[],
  usage: Usage,
): { time: number; used: number }[] {
  const start = usage.period.start.getTime();
  return [
    { time: start, used: 0 },
    ...records
      .map((r) => ({ time: Date.parse(r.time), used: r.used }))
      .filter((p) => p.time > start && p.time < usage.period.end.getTime()),
  ];
}

/**
 * Usage per day over the last 7 days (from the oldest point at least a day old in that window,
 * within this period), or undefined when the history does not reach back a day.
 */
export function trendBurnRate(
  records: readonly HistoryRecord[],
  usage: Usage,
  now: Date,
): number | undefined {
  const t = now.getTime();
  const from = periodPoints(records, usage).find(
    (p) => p.time >= t - TREND_WINDOW_MS && p.time <= t - MIN_TREND_SPAN_MS,
  );
  if (!from) return undefined;
  return Math.max(0, (usage.used - from.used) / ((t - from.time) / DAY_MS));
}

/**
 * How far runner clocks may disagree: a record this far ahead of the clock is skew, not a
 * record from the future, and the gate takes a firing this far ahead for the one that started it.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The records up to now, and those dated later, which no decision may take as the latest. */
export function splitFuture(
  records: readonly HistoryRecord[],
  now: Date,
): { past: HistoryRecord[]; future: HistoryRecord[] } {
  const limit = now.getTime() + CLOCK_SKEW_MS;
  return {
    past: records.filter((r) => Date.parse(r.time) <= limit),
    future: records.filter((r) => Date.parse(r.time) > limit),
  };
}

/**
 * The record a decision may rest on: the newest one up to now, if it is of the current period
 * and at most maxAgeMs old; otherwise why not, in words, for a warning.
 */
export function trustedLatest(
  records: readonly HistoryRecord[],
  now: Date,
  resetDay: number,
  maxAgeMs: number,
): { record: HistoryRecord; notes: string[] } | { problem: string; notes: string[] } {
  const notes: string[] = [];
  const { past, future } = splitFuture(records, now);
  if (future.length > 0) {
    notes.push(
      `${future.length} history record(s) are dated after now (${future.map((r) => r.time).join(', ')}) and are ignored`,
    );
  }
  const last = past.at(-1);
  if (!last) return { problem: 'no recorded mode', notes };
  const start = periodFor(now, resetDay).start.getTime();
  if (Date.parse(last.time) < start) {
    return {
      problem: `the newest record (${last.time}) is from an earlier billing period: the daily orchestrator seems to have stopped`,
      notes,
    };
  }
  const age = now.getTime() - Date.parse(last.time);
  if (age > maxAgeMs) {
    return {
      problem: `the newest record (${last.time}) is ${(age / DAY_MS).toFixed(1)} days old, more than max-record-age (${round(maxAgeMs / DAY_MS)} days): the daily orchestrator seems to have stopped`,
      notes,
    };
  }
  return { record: last, notes };
}

const round = (x: number) => Math.round(x * 100) / 100;
