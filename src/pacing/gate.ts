/**
 * The gate's rule, pure: a scheduled run of a workflow that keeps its fastest crons proceeds
 * on the share of firings its rate gives (a recorded rate, or the budget's with live usage),
 * or, from an older record with only a tier, when that tier's crons fire in the window since
 * the triggering cron's previous firing. Shared by the gate step and the simulator.
 */
import { previousRun, runsBetween } from '../schedule/cron.js';
import { CLOCK_SKEW_MS } from '../usage/history.js';
import { slotDue } from './rates.js';

export interface GateQuestion {
  /** GITHUB_EVENT_NAME. */
  event: string;
  /** The cron that fired (the event payload's `schedule`), for a schedule event. */
  firingCron?: string;
  now: Date;
  /** The current tier's crons for this workflow; undefined when the tier is unknown. */
  tierCrons?: readonly string[];
  tierName?: string;
  timezone?: string;
  /** The quota is used up and blocking is asked for. */
  blockExhausted?: boolean;
  /** Why the tier is unknown, when it is (a stale or corrupt history). */
  unknownReason?: string;
  /**
   * The rate (runs a day) recorded for this workflow, with the workflow's own crons and the
   * period's start: the gate proceeds on the share of firings that gives the rate.
   */
  rate?: {
    runsPerDay: number;
    crons: readonly string[];
    periodStart: Date;
    /** What gave the rate, for the reason; the recorded rate unless said. */
    source?: string;
  };
  /** With live usage, the budget gate's answer, which then decides. */
  budget?: GateAnswer;
}

export interface GateAnswer {
  proceed: boolean;
  /** One sentence a person understands. */
  reason: string;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** A gate window in words: "after 00:17, up to 03:17 UTC on 2025-11-12". */
export function windowInWords(from: Date, to: Date): string {
  return day(from) === day(to)
    ? `after ${hhmm(from)}, up to ${hhmm(to)} UTC on ${day(to)}`
    : `after ${hhmm(from)} on ${day(from)}, up to ${hhmm(to)} UTC on ${day(to)}`;
}

/**
 * The window a scheduled run stands for: from the triggering cron's previous firing (excluded)
 * to its firing that started this run (included). A run that starts late still stands for its
 * own firing, so no firing of the tier's crons is counted twice.
 */
export function gateWindow(
  firingCron: string,
  now: Date,
  timezone?: string,
): { from: Date; to: Date } | undefined {
  const to = firingFor(firingCron, now, timezone);
  if (!to) return undefined;
  const from = previousRun(firingCron, new Date(to.getTime() - 1000), timezone);
  return from ? { from, to } : undefined;
}

/**
 * The firing that started this run: the latest one up to now, or one a little ahead of a
 * runner clock that lags (by up to CLOCK_SKEW_MS, and less than half the cron's interval, so
 * that a frequent cron's next firing is never taken for this one).
 */
function firingFor(cron: string, now: Date, timezone?: string): Date | undefined {
  const ahead = previousRun(cron, new Date(now.getTime() + CLOCK_SKEW_MS), timezone);
  if (ahead && ahead.getTime() > now.getTime()) {
    const before = previousRun(cron, new Date(ahead.getTime() - 1000), timezone);
    const interval = before ? ahead.getTime() - before.getTime() : Number.POSITIVE_INFINITY;
    if (ahead.getTime() - now.getTime() < interval / 2) return ahead;
  }
  return previousRun(cron, now, timezone);
}

/** Whether this run goes ahead, and why. */
export function decideGate(q: GateQuestion): GateAnswer {
  if (q.blockExhausted) {
    return {
      proceed: false,
      reason: 'The quota is used up for this period, and block-when-exhausted is on.',
    };
  }
  if (q.event !== 'schedule') {
    return {
      proceed: true,
      reason: `A ${q.event} run always proceeds: a person or another event asked for it.`,
    };
  }
  if (q.budget) return q.budget;
  if (q.rate) {
    const window = firingWindow(q.rate.crons, q.now, q.timezone);
    const runs = Math.round(q.rate.runsPerDay * 100) / 100;
    const source = q.rate.source ?? 'The recorded rate';
    if (!window) {
      return {
        proceed: true,
        reason: `The workflow's crons have no earlier firing to measure from, so the run proceeds.`,
      };
    }
    return slotDue(q.rate.runsPerDay, q.rate.periodStart.getTime(), window.previous, window.current)
      ? {
          proceed: true,
          reason: `${source} is ${runs} runs a day, and this firing is one of them, so this run proceeds.`,
        }
      : {
          proceed: false,
          reason: `${source} is ${runs} runs a day, and this firing is not one of them, so this run is skipped.`,
        };
  }
  if (!q.tierCrons || !q.tierName) {
    return {
      proceed: true,
      reason: q.unknownReason
        ? `${q.unknownReason}, so the run proceeds.`
        : 'No mode is known yet (no history and no token), so the run proceeds.',
    };
  }
  if (q.tierCrons.length === 0) {
    return {
      proceed: false,
      reason: `The workflow is ${q.tierName}: its ${q.tierName} tier has no schedule, so every scheduled run is skipped.`,
    };
  }
  if (!q.firingCron) {
    return {
      proceed: true,
      reason: 'The event does not say which cron fired, so the run proceeds.',
    };
  }
  const window = gateWindow(q.firingCron, q.now, q.timezone);
  if (!window) {
    return {
      proceed: true,
      reason: `The cron '${q.firingCron}' has no earlier firing to measure from, so the run proceeds.`,
    };
  }
  // Firings in (from, to]: shift both ends by a millisecond for runsBetween's [from, to).
  const from = new Date(window.from.getTime() + 1);
  const to = new Date(window.to.getTime() + 1);
  const hits = q.tierCrons.flatMap((cron) => runsBetween(cron, from, to, q.timezone));
  const span = windowInWords(window.from, window.to);
  return hits.length > 0
    ? {
        proceed: true,
        reason: `The ${q.tierName} schedule fires ${span} (at ${hhmm(hits[0] as Date)}), so this run proceeds.`,
      }
    : {
        proceed: false,
        reason: `The ${q.tierName} schedule does not fire ${span}, so this run is skipped.`,
      };
}

/**
 * The firing of a workflow's crons that started this run (within the runner's clock skew) and
 * the firing of any of them before it (ms), or undefined when there is none.
 */
export function firingWindow(
  crons: readonly string[],
  now: Date,
  timezone?: string,
): { previous: number; current: number } | undefined {
  const firings = crons
    .map((cron) => firingFor(cron, now, timezone))
    .filter((d): d is Date => d !== undefined);
  if (firings.length === 0) return undefined;
  const current = Math.max(...firings.map((d) => d.getTime()));
  const before = crons
    .map((cron) => previousRun(cron, new Date(current - 1000), timezone))
    .filter((d): d is Date => d !== undefined)
    .map((d) => d.getTime());
  return before.length > 0 ? { previous: Math.max(...before), current } : undefined;
}
