/**
 * The one decision every front door reads: from the history (observations), the managed
 * workflows and the usage figure, the controller's state; then pace's rates for the schedule
 * files, or the gate's proceed-or-skip for one firing. The action, the gate and the simulator
 * call these, so none of them re-implements the forecast or the controller.
 */
import { runsBetween } from '../schedule/cron.js';
import type { HistoryRecord } from '../usage/history.js';
import { DAY_MS } from '../usage/period.js';
import {
  budgetCovers,
  type PacedWorkflow,
  type PacePlan,
  type PaceState,
  planRates,
} from './controller.js';
import {
  deliveredShare,
  forecastOther,
  learnCostScale,
  type Observation,
  type OtherForecast,
  otherSamples,
  PRIOR_SPREAD,
  type SpendOf,
  spendAtRate,
  usedNow,
} from './forecast.js';
import { slotDue } from './rates.js';

export interface PacingWorkflow extends PacedWorkflow {
  /** The cost is the config's default, not the user's figure: learn it from the history. */
  learnCost?: boolean;
  /** The crons a rate is written as, when its runs follow crons (pace's schedule files). */
  cronsAt?: (rate: number) => readonly string[];
  timezone?: string;
}

/** Firings of a cron list over [from, to), remembered: the same intervals come back daily. */
const counted = new Map<string, number>();
function firings(crons: readonly string[], from: number, to: number, timezone?: string): number {
  const key = `${timezone ?? ''}|${crons.join('|')}|${from}|${to}`;
  let n = counted.get(key);
  if (n === undefined) {
    n = crons.reduce(
      (sum, c) => sum + runsBetween(c, new Date(from), new Date(to), timezone).length,
      0,
    );
    if (counted.size > 20_000) counted.clear();
    counted.set(key, n);
  }
  return n;
}

/** What each workflow spent at a rate over an interval: on its crons, else at the average rate. */
function spendOf(workflows: readonly PacingWorkflow[], cost: (name: string) => number): SpendOf {
  const byName = new Map(workflows.map((w) => [w.name, w]));
  const average = spendAtRate(cost);
  return (name, rate, from, to) => {
    const w = byName.get(name);
    const crons = w?.cronsAt?.(rate);
    return crons
      ? firings(crons, from, to, w?.timezone) * cost(name)
      : average(name, rate, from, to);
  };
}

export interface PacingInput {
  quota: number;
  /** The usage figure as billed (it may lag). */
  figure: number;
  /** How late the billing figure is (ms). */
  lagMs?: number;
  now: number;
  periodStart: number;
  periodEnd: number;
  targetPercent: number;
  observations: readonly Observation[];
  workflows: readonly PacingWorkflow[];
  mergeDelayMs?: number;
}

/** Before a day of history, the period's average use less the managed share (an install mid-period). */
const MIN_FALLBACK_MS = DAY_MS;

function fallbackForecast(input: PacingInput, managedPerDay: number): OtherForecast | undefined {
  const elapsed = input.now - input.periodStart;
  if (elapsed < MIN_FALLBACK_MS) return undefined;
  const days = elapsed / DAY_MS;
  return {
    level: Math.max(0, input.figure / days - managedPerDay),
    factors: Array<number>(7).fill(1),
    spread: PRIOR_SPREAD,
    days,
  };
}

/** The history's records as the forecast's observations, ending with the figure read now. */
export function observationsOf(
  records: readonly HistoryRecord[],
  now: number,
  used: number,
): Observation[] {
  return [
    ...records.map((r) => ({
      time: Date.parse(r.time),
      used: r.used,
      ...(r.rates ? { rates: { ...r.rates } } : {}),
      ...(r.managedPerDay !== undefined ? { managedPerDay: r.managedPerDay } : {}),
    })),
    { time: now, used },
  ];
}

/** When the rates in force last changed: the latest observation whose rates differ from the one before. */
function changedAt(observations: readonly Observation[]): { changedAt?: number } {
  for (let i = observations.length - 1; i > 0; i--) {
    const a = observations[i - 1]?.rates;
    const b = observations[i]?.rates;
    if (!a || !b) continue;
    const names = new Set([...Object.keys(a), ...Object.keys(b)]);
    if ([...names].some((n) => Math.abs((a[n] ?? 0) - (b[n] ?? 0)) > 1e-9))
      return { changedAt: (observations[i] as Observation).time };
  }
  return {};
}

/** The controller's state: costs learned where the config gave none, the forecast, used now. */
export function paceState(input: PacingInput): PaceState {
  const priorCost = new Map(input.workflows.map((w) => [w.name, w.cost]));
  const prior = (name: string) => priorCost.get(name) ?? 0;
  const scale = input.workflows.some((w) => w.learnCost)
    ? learnCostScale(input.observations, prior, spendOf(input.workflows, prior), input.now)
    : 1;
  // A dropped firing spends nothing: pace plans on the share of firings that run.
  const delivered = deliveredShare(
    input.observations,
    spendOf(input.workflows, () => 1),
    input.now,
  );
  const workflows = input.workflows.map((w) => ({
    ...w,
    cost: w.cost * (w.learnCost ? scale : 1) * delivered,
  }));
  const cost = new Map(workflows.map((w) => [w.name, w.cost]));
  const samples = otherSamples(
    input.observations,
    (name) => cost.get(name) ?? 0,
    spendOf(input.workflows, (name) => cost.get(name) ?? 0),
    input.now,
  );
  const managedPerDay = workflows.reduce((sum, w) => sum + (w.inForce ?? w.rate) * w.cost, 0);
  const other = forecastOther(samples) ?? fallbackForecast(input, managedPerDay);
  const otherPerDay = other?.level ?? 0;
  return {
    quota: input.quota,
    used: usedNow(input.figure, input.lagMs ?? 0, managedPerDay, otherPerDay),
    now: input.now,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    targetPercent: input.targetPercent,
    other,
    workflows: workflows.map(({ learnCost: _l, cronsAt: _c, timezone: _t, ...w }) => w),
    ...(input.mergeDelayMs ? { mergeDelayMs: input.mergeDelayMs } : {}),
    ...changedAt(input.observations),
  };
}

/** Pace's rates for the schedule files (each workflow with its steps). */
export function paceRates(input: PacingInput): PacePlan & { state: PaceState } {
  const state = paceState(input);
  return { ...planRates(state), state };
}

export interface BudgetAnswer {
  proceed: boolean;
  /** The rate (runs a day) the plan gives this workflow. */
  rate: number;
  reason: string;
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The budget gate for one firing of a workflow that keeps its fastest crons: the plan's rate
 * for it decides which firings go ahead (evenly spread), and a run goes ahead only while what
 * remains covers it, the other use forecast to the reset and the reserve.
 */
export function budgetGate(
  input: PacingInput,
  workflow: string,
  firing: { previous: number; now: number },
): BudgetAnswer {
  const state = paceState(input);
  const w = state.workflows.find((x) => x.name === workflow);
  if (!w)
    return { proceed: true, rate: 0, reason: `${workflow} is not managed, so the run proceeds.` };
  const plan = planRates(state);
  const rate = Math.min(w.maxRate, plan.rates[workflow] ?? w.rate);
  const budget = budgetCovers(state, w.cost);
  if (!budget.covers) {
    return {
      proceed: false,
      rate,
      reason: `What is left of the quota (${round(budget.left)}) does not cover this run, the other use forecast to the reset and the reserve (${round(budget.needed)} in all), so this run is skipped.`,
    };
  }
  if (!slotDue(rate, input.periodStart, firing.previous, firing.now)) {
    return {
      proceed: false,
      rate,
      reason: `The budget gives ${workflow} ${round(rate)} runs a day, and this firing is not one of them, so this run is skipped.`,
    };
  }
  return {
    proceed: true,
    rate,
    reason: `The budget gives ${workflow} ${round(rate)} runs a day and covers this one (${round(budget.left)} left, ${round(budget.needed)} needed to the reset), so this run proceeds.`,
  };
}
