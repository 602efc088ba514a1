/**
 * The gate's decision from a fleet plan (the plan variable): the plan's rate for this workflow
 * decides which firings go ahead, evenly spread from the period start (slotDue), as a recorded
 * rate does. A plan of another period, one older than max-record-age, or one without this
 * workflow is not trusted: the run proceeds, with a warning. Pure; the gate step calls it.
 */
import { DAY_MS } from '../usage/period.js';
import { firingWindow, type GateAnswer } from './gate.js';
import { slotDue } from './rates.js';

/** What the decision reads of a plan (src/fleet/plan.ts holds the format). */
export interface PlanView {
  period: { start: string; end: string };
  issuedAt: string;
  workflows: Readonly<Record<string, { perDay: number; reason: string }>>;
}

export interface PlanQuestion {
  plan: PlanView;
  /** `owner/repo/workflow`. */
  key: string;
  now: Date;
  maxAgeMs: number;
  /** The crons that may have fired this run: the workflow's own, or the one the event names. */
  crons: readonly string[];
  timezone?: string;
}

export interface PlanAnswer extends GateAnswer {
  /** The plan's rate, when it was trusted. */
  rate?: number;
  warning?: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Whether a scheduled run of the workflow goes ahead under the plan, and why. */
export function decideFromPlan(q: PlanQuestion): PlanAnswer {
  const now = q.now.getTime();
  const start = Date.parse(q.plan.period.start);
  const end = Date.parse(q.plan.period.end);
  const issued = Date.parse(q.plan.issuedAt);
  const proceed = (warning: string): PlanAnswer => ({
    proceed: true,
    reason: `${warning}, so the run proceeds.`,
    warning,
  });
  if (now < start || now >= end) {
    return proceed(
      `The plan is for the period ${q.plan.period.start.slice(0, 10)} to ${q.plan.period.end.slice(0, 10)}, not the current one: the fleet's control run seems to have stopped`,
    );
  }
  if (now - issued > q.maxAgeMs) {
    return proceed(
      `The plan was issued ${((now - issued) / DAY_MS).toFixed(1)} days ago, more than max-record-age (${round(q.maxAgeMs / DAY_MS)} days): the fleet's control run seems to have stopped`,
    );
  }
  const entry = q.plan.workflows[q.key];
  if (!entry) {
    return proceed(`The plan has no entry for ${q.key}: the control run does not manage it`);
  }
  const window = firingWindow(q.crons, q.now, q.timezone);
  if (!window) {
    return {
      proceed: true,
      rate: entry.perDay,
      reason: 'The workflow has no earlier firing to measure from, so the run proceeds.',
    };
  }
  const runs = round(entry.perDay);
  return slotDue(entry.perDay, start, window.previous, window.current)
    ? {
        proceed: true,
        rate: entry.perDay,
        reason: `The fleet plan gives ${q.key} ${runs} runs a day, and this firing is one of them, so this run proceeds.`,
      }
    : {
        proceed: false,
        rate: entry.perDay,
        reason: `The fleet plan gives ${q.key} ${runs} runs a day, and this firing is not one of them, so this run is skipped.`,
      };
}
