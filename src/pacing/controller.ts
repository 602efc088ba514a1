/**
 * The controller: the rate (runs a day) of each managed workflow so that usage at the reset
 * lands just under the quota less a reserve. The reserve is sized from how much the other use
 * varies over the time a correction takes, and shrinks toward the reset (the release); a
 * schedule file changes only when the landing point moves by more than the band.
 */
import { DAY_MS } from '../usage/period.js';
import { expectedOther, type OtherForecast, otherUncertainty } from './forecast.js';

export interface PacedWorkflow {
  name: string;
  /** Quota one run spends. */
  cost: number;
  /** Higher speeds up first and slows down last. */
  priority: number;
  /** Runs a day of the slowest and the fastest tier. */
  minRate: number;
  maxRate: number;
  /** The rates a schedule file can hold (see rates.ts); none for the gate, which takes any rate. */
  steps?: readonly number[];
  /** Runs a day now: the schedule in force, or the open pull request's. */
  rate: number;
  /** Runs a day in force until the open pull request is merged, when one is. */
  inForce?: number;
  /** The fleet: the repository this workflow belongs to and the spend a day it may always have. */
  group?: FillGroup;
}

/** A group of workflows (a repository of the fleet) and its floor: spend a day kept for it. */
export interface FillGroup {
  name: string;
  floorPerDay: number;
}

export interface PaceState {
  quota: number;
  /** Used now, already corrected for billing lag (forecast.usedNow). */
  used: number;
  now: number;
  periodEnd: number;
  periodStart: number;
  /**
   * The share of the quota aimed at early in the period, in percent: the rest is a reserve
   * against a change of regime that is released evenly until the reset.
   */
  targetPercent: number;
  other: OtherForecast | undefined;
  workflows: readonly PacedWorkflow[];
  /** How long a schedule change takes to be merged (ms); the rates in force run meanwhile. */
  mergeDelayMs?: number;
  /** When the rates last changed, from the history. */
  changedAt?: number;
  /**
   * The reserve released within this long (ms) may be spent now: for a plan that gates follow
   * without checking the budget, so that the release is spread over the days before the reset
   * rather than piled onto the last ones, where the fastest rates cap what can be spent.
   */
  releaseAheadMs?: number;
}

/** A landing point off the aim by more than this share of the quota moves the schedules. */
export const BAND = 0.02;
/** Schedule files move only when the landing point is off by this many of its uncertainties. */
export const BAND_Z = 2;
/** How far ahead of the reserve's release a schedule change aims. */
export const LEAD_MS = 3 * DAY_MS;
/** Standard deviations of the other use the reserve covers. */
export const RESERVE_Z = 2;
/** The reserve covers what may go wrong before a correction lands: about this long. */
export const CORRECTION_MS = 3 * DAY_MS;
/** The target's reserve is held until this long before the reset, then released evenly. */
export const RELEASE_MS = 6 * DAY_MS;
/** For this long after a change of schedules the band is twice as wide: the change settles. */
export const SETTLE_MS = 7 * DAY_MS;
/** The least reserve, as a share of the quota, besides one run of the dearest workflow. */
export const MIN_RESERVE = 0.005;

const daysLeft = (s: PaceState) => Math.max(0, s.periodEnd - s.now) / DAY_MS;

/** One run of the dearest workflow, or a little more: what is never planned to be spent. */
const baseReserve = (s: PaceState) =>
  Math.max(0, ...s.workflows.map((w) => w.cost), MIN_RESERVE * s.quota);

/** Days until the reserve's release is over (the release window plus a merge's delay). */
const releaseDays = (s: PaceState) => (RELEASE_MS + (s.mergeDelayMs ?? 0)) / DAY_MS;

/**
 * What is kept unspent at the reset: the base reserve, plus the larger of the held reserve,
 * released evenly over the last days (a change of regime the history cannot show must find
 * slack left), and RESERVE_Z deviations of the other use over the time a correction takes.
 *
 * The held reserve is the target's share of the quota and, for schedule files, what their
 * slowest schedules spend over the release window and a correction: a schedule file cannot go
 * below its slowest tier, so a late spike in the other use can only be met from slack, while
 * the gate can stop every run at once.
 */
export function reserve(s: PaceState): number {
  const left = daysLeft(s);
  const release = releaseDays(s);
  const slowest = s.workflows.some((w) => w.steps)
    ? s.workflows.reduce((sum, w) => sum + w.minRate * w.cost, 0) *
      (release + CORRECTION_MS / DAY_MS)
    : 0;
  const releasing = s.releaseAheadMs ? Math.max(0, left - s.releaseAheadMs / DAY_MS) : left;
  const held = ((1 - s.targetPercent / 100) * s.quota + slowest) * Math.min(1, releasing / release);
  if (!s.other) return baseReserve(s) + held;
  const horizon = Math.min(left, (CORRECTION_MS + (s.mergeDelayMs ?? 0)) / DAY_MS);
  return baseReserve(s) + Math.max(held, RESERVE_Z * otherUncertainty(s.other, horizon));
}

/** Where usage is to land: the quota less the reserve. */
export function aimOf(s: PaceState): number {
  return s.quota - reserve(s);
}

/** Usage expected at the reset with these rates. */
export function landing(s: PaceState, rates: Readonly<Record<string, number>>): number {
  const days = daysLeft(s);
  const delay = Math.min(days, (s.mergeDelayMs ?? 0) / DAY_MS);
  let total = s.used + (s.other ? expectedOther(s.other, s.now, s.periodEnd) : 0);
  for (const w of s.workflows) {
    const rate = rates[w.name] ?? w.rate;
    total += (w.inForce ?? w.rate) * w.cost * delay + rate * w.cost * (days - delay);
  }
  return total;
}

const byPriority = (ws: readonly PacedWorkflow[]) =>
  [...ws].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));

/**
 * Rates that spend a managed budget a day: every workflow at its slowest, then the highest
 * priority speeds up first, as far as the budget allows (to a step, where it has steps).
 * A budget below the slowest rates scales them down, which only the gate can follow.
 */
export function fill(
  workflows: readonly PacedWorkflow[],
  budgetPerDay: number,
): Record<string, number> {
  if (workflows.some((w) => w.group)) return fillGroups(workflows, budgetPerDay);
  const rates: Record<string, number> = {};
  const floor = workflows.reduce((sum, w) => sum + w.minRate * w.cost, 0);
  if (budgetPerDay < floor) {
    const share = floor > 0 ? Math.max(0, budgetPerDay) / floor : 0;
    for (const w of workflows) rates[w.name] = w.steps ? w.minRate : w.minRate * share;
    return rates;
  }
  for (const w of workflows) rates[w.name] = w.minRate;
  speedUp(workflows, rates, budgetPerDay - floor);
  return rates;
}

/** Spends `left` a day on speed-ups from `rates`, by priority; returns what is left. */
function speedUp(
  workflows: readonly PacedWorkflow[],
  rates: Record<string, number>,
  budget: number,
): number {
  let left = budget;
  // Two passes: the first gives each its share by priority; the second lets a workflow with
  // finer steps use what a coarser one above it could not.
  for (let pass = 0; pass < 2; pass++) {
    for (const w of byPriority(workflows)) {
      const now = rates[w.name] as number;
      const want = Math.min(w.maxRate, now + left / w.cost);
      const step = w.steps ? Math.max(now, ...w.steps.filter((r) => r <= want + 1e-9)) : want;
      left -= (step - now) * w.cost;
      rates[w.name] = step;
    }
  }
  return left;
}

const spendOf = (workflows: readonly PacedWorkflow[], rates: Readonly<Record<string, number>>) =>
  workflows.reduce((sum, w) => sum + (rates[w.name] ?? 0) * w.cost, 0);

/**
 * Priority all the way down: the slowest rates by priority (a budget short of them cuts the
 * lowest first, to zero if need be, which only the gate can follow), then the speed-ups by
 * priority. Starts from `start` and never slows a workflow below it.
 */
function byPriorityFrom(
  workflows: readonly PacedWorkflow[],
  budgetPerDay: number,
  start: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const rates: Record<string, number> = {};
  let left = budgetPerDay;
  for (const w of byPriority(workflows)) {
    const now = start[w.name] ?? 0;
    // A schedule file cannot run slower than its slowest tier.
    const to = w.steps
      ? Math.max(now, w.minRate)
      : Math.max(now, Math.min(w.minRate, now + Math.max(0, left) / w.cost));
    left -= (to - now) * w.cost;
    rates[w.name] = to;
  }
  if (left > 0) speedUp(workflows, rates, left);
  return rates;
}

/**
 * The fleet's fill: first each group (a repository) gets up to its floor, as far as its
 * workflows can spend it, in priority order within the group (floors that together exceed the
 * budget are scaled down alike); then what is left goes by priority across every group. So one
 * repository's spike, or its higher priority, cannot starve another's floor.
 */
function fillGroups(
  workflows: readonly PacedWorkflow[],
  budgetPerDay: number,
): Record<string, number> {
  const groups = new Map<string, PacedWorkflow[]>();
  for (const w of workflows) {
    const name = w.group?.name ?? '';
    groups.set(name, [...(groups.get(name) ?? []), w]);
  }
  const wants = [...groups.values()].map((members) =>
    Math.min(
      Math.max(0, members[0]?.group?.floorPerDay ?? 0),
      members.reduce((sum, w) => sum + w.maxRate * w.cost, 0),
    ),
  );
  const total = wants.reduce((a, b) => a + b, 0);
  const budget = Math.max(0, budgetPerDay);
  const scale = total > budget ? budget / total : 1;
  const floors: Record<string, number> = {};
  [...groups.values()].forEach((members, i) => {
    if ((wants[i] as number) > 0)
      Object.assign(floors, byPriorityFrom(members, (wants[i] as number) * scale));
  });
  return byPriorityFrom(workflows, budget - spendOf(workflows, floors), floors);
}

export interface PacePlan {
  rates: Record<string, number>;
  /** Usage expected at the reset with these rates, and where it was aimed. */
  landing: number;
  aim: number;
  changed: boolean;
  reason: string;
}

/** The managed budget a day that lands on `aim`, with the rates in force until a merge. */
function budgetPerDay(s: PaceState, aim: number): number {
  const days = daysLeft(s);
  const delay = Math.min(days, (s.mergeDelayMs ?? 0) / DAY_MS);
  const other = s.other ? expectedOther(s.other, s.now, s.periodEnd) : 0;
  const during = s.workflows.reduce((sum, w) => sum + (w.inForce ?? w.rate) * w.cost * delay, 0);
  return (aim - s.used - other - during) / Math.max(days - delay, 1 / 24);
}

/** The rates to run at now; continuous for the gate, to a step for a schedule file. */
export function planRates(s: PaceState): PacePlan {
  const aim = aimOf(s);
  const current = Object.fromEntries(s.workflows.map((w) => [w.name, w.rate]));
  const now = landing(s, current);
  const round = (x: number) => Math.round(x * 100) / 100;
  if (!s.other) {
    return {
      rates: current,
      landing: now,
      aim,
      changed: false,
      reason: 'no usage history yet to forecast the other consumers: rates kept',
    };
  }
  const stepped = s.workflows.some((w) => w.steps);
  const left = daysLeft(s);
  // Hysteresis, for schedule files only: a landing point within the band stays. The band is
  // BAND_Z times what the forecast may be off by, so noise does not move files. Once a week
  // of history measures the spread, it narrows to one on the side of spending too much; for a
  // week after a change it is twice as wide, so a change is not chased by the next day's noise.
  // It never lets a landing past the quota (less half the base reserve) stand.
  const uncertain = otherUncertainty(s.other, left);
  const settling = s.changedAt !== undefined && s.now - s.changedAt < SETTLE_MS ? 2 : 1;
  const below = settling * Math.max(BAND * s.quota, BAND_Z * uncertain);
  const above =
    settling *
    Math.max(BAND * s.quota, (s.other.measuredSpread === undefined ? BAND_Z : 1) * uncertain);
  // The reserve shrinks as the reset nears: a change aims where the aim will be a little
  // later, and inside the release window at the end's aim less what the other use may still
  // run over by, so the release does not move the files day after day.
  const releasing = left <= releaseDays(s);
  const ahead = releasing
    ? Math.max(aim, s.quota - baseReserve(s) - RESERVE_Z * uncertain)
    : Math.max(aim, aimOf({ ...s, now: s.now + Math.min(LEAD_MS, (s.periodEnd - s.now) / 2) }));
  const ceiling = s.quota - baseReserve(s) / 2;
  const inBand =
    now >= (releasing ? ahead : aim) - below && now <= Math.min(ceiling, ahead + above);
  if (stepped && inBand) {
    return {
      rates: current,
      landing: now,
      aim,
      changed: false,
      reason: `on course for ${round(now)} of an aim of ${round(aim)}: schedules kept`,
    };
  }
  // Before a week of history a schedule file slows down below the aim by what the forecast may
  // be off by, so that a forecast still rising does not slow it again day after day.
  const early = s.other.measuredSpread === undefined && now > ahead;
  const target = stepped ? (early ? Math.max(aim - uncertain, s.used) : ahead) : aim;
  const rates = fill(s.workflows, budgetPerDay(s, target));
  const changed = s.workflows.some((w) => Math.abs((rates[w.name] as number) - w.rate) > 1e-9);
  const projected = landing(s, rates);
  return {
    rates,
    landing: projected,
    aim,
    changed,
    reason: changed
      ? `rates set to land at ${round(projected)} of an aim of ${round(aim)} (the quota less a reserve of ${round(s.quota - aim)})`
      : `rates kept: landing at ${round(projected)} of an aim of ${round(aim)}`,
  };
}

/** Whether what remains covers one more run, the other use forecast to the reset, and the reserve. */
export function budgetCovers(
  s: PaceState,
  cost: number,
): { covers: boolean; left: number; needed: number } {
  const other = s.other ? expectedOther(s.other, s.now, s.periodEnd) : 0;
  const left = s.quota - s.used;
  const needed = cost + other + reserve(s);
  return { covers: left >= needed, left, needed };
}
