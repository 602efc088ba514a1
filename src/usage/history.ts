/** Usage history: one record a day, bounded, and the 7-day trend it gives. Pure functions. */
import { DAY_MS } from './period.js';
import { type Alert, MODES, type Mode, type Usage } from './tracker.js';

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
  tiers?: Record<string, Mode>;
  /** What the managed workflows spend a day on those tiers (runs a day × cost). */
  managedPerDay?: number;
}

/** About 13 months of daily records: enough for a year's trends, small enough to review. */
export const MAX_RECORDS = 400;
/** The trend looks back this far. */
export const TREND_WINDOW_MS = 7 * DAY_MS;
/** A trend over less than this is noise. */
export const MIN_TREND_SPAN_MS = DAY_MS;

const ALERTS: readonly string[] = ['ok', 'warning', 'critical'];

function isRecord(value: unknown): value is HistoryRecord {
  const r = value as Record<string, unknown>;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.date === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(r.date) &&
    typeof r.time === 'string' &&
    !Number.isNaN(Date.parse(r.time)) &&
    typeof r.quota === 'number' &&
    typeof r.used === 'number' &&
    ([...MODES, 'pace'] as readonly unknown[]).includes(r.mode) &&
    ALERTS.includes(r.alert as string)
  );
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
  const bad = records.findIndex((r) => !isRecord(r));
  if (bad !== -1) return { problem: `record ${bad + 1} is not a usage record` };
  return { records: records as HistoryRecord[] };
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
  managed?: { tiers: Record<string, Mode>; managedPerDay: number },
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
  };
}

/** The file's text: stable key order, two-space indent, final line break. */
export function renderHistory(records: readonly HistoryRecord[]): string {
  return `${JSON.stringify({ version: 1, records }, null, 2)}\n`;
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
