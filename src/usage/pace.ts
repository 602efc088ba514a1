/**
 * The `pace` policy: each workflow's tier chosen separately so that usage at the reset lands
 * just under a target share of the quota. Pure functions, shared by the action and the simulator.
 */
import { DAY_MS } from './period.js';
import { MODES, type Mode, type Usage } from './tracker.js';

/** Slowest first. */
const SLOW_TO_FAST: readonly Mode[] = ['conservative', 'normal', 'aggressive'];

/** A projection this close under the target (share of the quota) is good enough: no change. */
export const BAND = 0.05;
/** A workflow keeps a new tier at least this long, unless the quota is at risk. */
export const DWELL_MS = 3 * DAY_MS;
/** In the last days unused quota is lost at the reset: the reserve is released. */
export const RELEASE_MS = 3 * DAY_MS;
/** The window over which the other consumers' rate is measured. */
export const OTHER_WINDOW_MS = 7 * DAY_MS;

export interface PacedWorkflow {
  name: string;
  /** Quota spent by one run. */
  cost: number;
  /** Higher speeds up first and slows down last. */
  priority: number;
  /** Runs per day in each tier. */
  runsPerDay: Record<Mode, number>;
  current: Mode;
  /** When its tier last changed (ms), if known. */
  changedAt?: number;
}

export interface PaceInput {
  quota: number;
  used: number;
  now: number;
  periodEnd: number;
  /** Target share of the quota at the reset, in percent (default 95). */
  targetPercent: number;
  /** Usage per day of everything that is not a managed workflow; undefined before any history. */
  otherPerDay: number | undefined;
  workflows: readonly PacedWorkflow[];
}

export interface PaceDecision {
  tiers: Record<string, Mode>;
  /** Usage expected at the reset with these tiers. */
  projected: number;
  /** What the tiers aim under: the target share of the quota (more once the reserve is released). */
  target: number;
  reason: string;
}

const spendPerDay = (w: PacedWorkflow, tier: Mode) => w.runsPerDay[tier] * w.cost;

function projection(input: PaceInput, tiers: Record<string, Mode>): number {
  const days = Math.max(0, input.periodEnd - input.now) / DAY_MS;
  let perDay = input.otherPerDay ?? 0;
  for (const w of input.workflows) perDay += spendPerDay(w, tiers[w.name] ?? w.current);
  return input.used + perDay * days;
}

/**
 * Tiers filling a daily budget: every workflow starts at its slowest tier, then the highest
 * priority speeds up first, one tier at a time, while the budget allows.
 */
function fill(input: PaceInput, budgetPerDay: number): Record<string, Mode> {
  const tiers: Record<string, Mode> = {};
  let spend = 0;
  for (const w of input.workflows) {
    tiers[w.name] = 'conservative';
    spend += spendPerDay(w, 'conservative');
  }
  const order = [...input.workflows].sort(
    (a, b) => b.priority - a.priority || a.name.localeCompare(b.name),
  );
  for (const step of [1, 2]) {
    for (const w of order) {
      const from = SLOW_TO_FAST[step - 1] as Mode;
      const to = SLOW_TO_FAST[step] as Mode;
      if (tiers[w.name] !== from) continue;
      const extra = spendPerDay(w, to) - spendPerDay(w, from);
      if (spend + extra <= budgetPerDay) {
        tiers[w.name] = to;
        spend += extra;
      }
    }
  }
  return tiers;
}

/** The pace policy's choice for this moment. */
export function decidePace(input: PaceInput): PaceDecision {
  const current = Object.fromEntries(input.workflows.map((w) => [w.name, w.current]));
  const slowest = Object.fromEntries(input.workflows.map((w) => [w.name, 'conservative' as Mode]));
  const cheapest = Math.min(...input.workflows.map((w) => w.cost), Number.POSITIVE_INFINITY);
  if (input.quota - input.used < cheapest) {
    return {
      tiers: slowest,
      projected: projection(input, slowest),
      target: input.quota * (input.targetPercent / 100),
      reason: 'less than one run is left: every workflow at its slowest tier',
    };
  }
  const left = input.periodEnd - input.now;
  const release = left <= RELEASE_MS;
  // Released, the reserve shrinks to one run of the dearest workflow: enough not to run out.
  const dearest = Math.max(0, ...input.workflows.map((w) => w.cost));
  const target = release
    ? Math.max(input.quota * (input.targetPercent / 100), input.quota - dearest)
    : input.quota * (input.targetPercent / 100);
  const now = projection(input, current);
  const released = release ? ' (reserve released for the last days)' : '';
  // Hysteresis: a projection in the band just under the target needs no change.
  if (now <= target && now >= target - BAND * input.quota) {
    return {
      tiers: current,
      projected: now,
      target,
      reason: `on course for ${round(now)} of a target of ${round(target)}${released}`,
    };
  }
  const days = Math.max(left, 3_600_000) / DAY_MS;
  // Aim at the middle of the band, so that the next day's noise does not push it out again.
  const aim = target - (BAND / 2) * input.quota;
  const ideal = fill(input, (aim - input.used) / days - (input.otherPerDay ?? 0));
  if (
    input.otherPerDay === undefined &&
    input.workflows.some((w) => ideal[w.name] !== 'aggressive')
  ) {
    // Before any history the other consumers' share is unknown: change nothing yet, unless
    // even every workflow at its fastest tier falls short of the target.
    return {
      tiers: current,
      projected: now,
      target,
      reason: 'no usage history yet to measure the other consumers: tiers kept',
    };
  }
  // Dwell: a recent change stands, unless keeping it would pass the target.
  const tiers: Record<string, Mode> = {};
  for (const w of input.workflows) {
    const want = ideal[w.name] as Mode;
    const recent = w.changedAt !== undefined && input.now - w.changedAt < DWELL_MS;
    const slower = MODES.indexOf(want) > MODES.indexOf(w.current);
    tiers[w.name] = recent && !(slower && now > target) ? w.current : want;
  }
  const projected = projection(input, tiers);
  const moved = input.workflows.some((w) => tiers[w.name] !== w.current);
  return {
    tiers,
    projected,
    target,
    reason: moved
      ? `tiers set to land at ${round(projected)} of a target of ${round(target)}${released}`
      : `tiers kept (each changed in the last ${DWELL_MS / DAY_MS} days): landing at ${round(projected)} of a target of ${round(target)}${released}`,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** What the orchestrator saw at a run: used, and the managed spend per day it then set. */
export interface Observation {
  time: number;
  used: number;
  managedPerDay: number;
}

/**
 * Usage per day of the other consumers over the recent window: the growth of `used`, less what
 * the managed workflows spent at the rates set at each observation; never below 0. Undefined
 * when no observation is old enough.
 */
export function otherRate(
  observations: readonly Observation[],
  now: { time: number; used: number },
): number | undefined {
  const window = observations.filter(
    (o) => o.time >= now.time - OTHER_WINDOW_MS && o.time < now.time - 3_600_000,
  );
  const from = window[0];
  if (!from) return undefined;
  let managed = 0;
  const later = observations.filter((o) => o.time >= from.time && o.time < now.time);
  later.forEach((o, i) => {
    const until = later[i + 1]?.time ?? now.time;
    managed += (o.managedPerDay * (until - o.time)) / DAY_MS;
  });
  const days = (now.time - from.time) / DAY_MS;
  return Math.max(0, (now.used - from.used - managed) / days);
}

/**
 * The other consumers' rate: measured from the observations when they reach back far enough,
 * else the period's average rate less the managed share once a day of the period has passed
 * (an install mid-period), else unknown.
 */
export function estimateOther(
  observations: readonly Observation[],
  usage: Usage,
  managedPerDay: number,
  now: number,
): number | undefined {
  const measured = otherRate(observations, { time: now, used: usage.used });
  if (measured !== undefined) return measured;
  if (now - usage.period.start.getTime() < DAY_MS) return undefined;
  return Math.max(0, usage.burnRate - managedPerDay);
}
