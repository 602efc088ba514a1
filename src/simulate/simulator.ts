/**
 * Plays a billing period hour by hour: managed workflows fire on their crons, other consumers
 * spend their share, and the orchestrator runs on its own cron and moves the crons by a policy.
 * It uses the action's own tracker, mode rule, pacing (forecast, controller, rates), gate rule
 * and cron counting; noise, dropped runs, cost jitter and billing lag come from a seeded draw,
 * so a run repeats exactly.
 */

import {
  budgetGate,
  type PacingInput,
  type PacingWorkflow,
  paceRates,
} from '../pacing/decision.js';
import type { Observation } from '../pacing/forecast.js';
import { decideGate } from '../pacing/gate.js';
import { cronsFor, rateSteps } from '../pacing/rates.js';
import { runsBetween, runsPerDay } from '../schedule/cron.js';
import { inWords } from '../schedule/fuzzy.js';
import { DAY_MS, periodFor } from '../usage/period.js';
import { computeUsage, decideMode, MODES, type Mode } from '../usage/tracker.js';
import { draw } from './random.js';
import type { Scenario, ScenarioWorkflow } from './scenario.js';

export { parseScenario, type Scenario, type ScenarioWorkflow } from './scenario.js';

/**
 * auto and pace rewrite the crons (through a pull request that waits `mergeDelayDays`);
 * gate-auto keeps every workflow on its fastest crons and lets the gate skip the runs the
 * recorded tier would not have made; gate-pace is the budget gate, deciding each run from
 * live usage.
 */
export const POLICIES = ['auto', 'pace', 'gate-auto', 'gate-pace'] as const;
export type Policy = (typeof POLICIES)[number];

export interface PolicyResult {
  finalUsed: number;
  utilization: number;
  exhaustedAt: string | null;
  scheduleChanges: number;
  runs: Record<string, number>;
  /** Used at the end of each day, for the chart. */
  daily: number[];
}

export interface SimulateOptions {
  /** Each day's other use is scaled by a factor drawn from [1 − noise, 1 + noise]. */
  noise?: number;
  /** Picks the draws; the same seed gives the same run. */
  seed?: number;
  /** Hears each daily decision in words, for a person reading along. */
  trace?: (line: string) => void;
}

const HOUR_MS = 3_600_000;
/** Where each random draw comes from, so policies see the same day and the same run alike. */
const STREAM = { noise: 1, drop: 2, jitter: 3 } as const;

/** Firing times (ms) of a cron list over [from, to), sorted; cached per period. */
function firingsOf(
  cache: Map<string, number[]>,
  crons: readonly string[],
  from: number,
  to: number,
  timezone?: string,
): number[] {
  const key = `${timezone ?? ''}|${crons.join('|')}`;
  let list = cache.get(key);
  if (!list) {
    list = crons
      .flatMap((c) =>
        runsBetween(c, new Date(from), new Date(to), timezone).map((d) => d.getTime()),
      )
      .sort((a, b) => a - b);
    cache.set(key, list);
  }
  return list;
}

/** A policy's result, rounded as the tables print it. */
export function resultOf(
  used: number,
  quota: number,
  exhaustedAt: number | undefined,
  scheduleChanges: number,
  runs: Record<string, number>,
  daily: number[],
): PolicyResult {
  return {
    finalUsed: Math.round(used * 100) / 100,
    utilization: Math.round((used / quota) * 10_000) / 10_000,
    exhaustedAt: exhaustedAt === undefined ? null : new Date(exhaustedAt).toISOString(),
    scheduleChanges,
    runs,
    daily,
  };
}

/** Index of the first element ≥ x. */
export function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const tierRates = (w: ScenarioWorkflow) =>
  Object.fromEntries(MODES.map((m) => [m, runsPerDay(w.tiers[m], w.timezone)])) as Record<
    Mode,
    number
  >;

/** Runs one policy over the scenario's period, from its start to the reset. */
export function simulate(
  scenario: Scenario,
  policy: Policy,
  options: SimulateOptions = {},
): PolicyResult {
  if (scenario.repositories)
    throw new Error(`a fleet scenario (with 'repositories') plays with simulateFleet`);
  const seed = options.seed ?? 0;
  const noise = options.noise ?? 0;
  const start = scenario.start.getTime();
  const period = periodFor(scenario.start, scenario.resetDay);
  const periodStart = period.start.getTime();
  const end = period.end.getTime();
  const lagMs = scenario.billingLagHours * HOUR_MS;
  const mergeDelayMs = scenario.mergeDelayDays * DAY_MS;
  const gated = policy.startsWith('gate-');
  const cache = new Map<string, number[]>();
  const perDay = new Map(scenario.workflows.map((w) => [w.name, tierRates(w)]));

  // Each workflow's crons in force, and those of the open pull request (merged at `mergeAt`).
  const tiers = new Map<string, Mode>(scenario.workflows.map((w) => [w.name, 'normal']));
  const inForce = new Map<string, { crons: string[]; rate: number }>(
    scenario.workflows.map((w) => [
      w.name,
      { crons: gated ? w.tiers.aggressive : w.tiers.normal, rate: perDay.get(w.name)?.normal ?? 0 },
    ]),
  );
  let pending: Map<string, { crons: string[]; rate: number }> | undefined;
  let mergeAt = 0;
  // What the gate-pace daily run records: the plan's rate for each workflow.
  const recorded = new Map<string, number>(
    scenario.workflows.map((w) => [w.name, perDay.get(w.name)?.normal ?? 0]),
  );

  const runs: Record<string, number> = Object.fromEntries(
    scenario.workflows.map((w) => [w.name, 0]),
  );
  // When each workflow ran: the daily run counts them from the workflow runs list.
  const ranAt = new Map<string, number[]>(scenario.workflows.map((w) => [w.name, []]));
  const countRuns = (from: number, to: number) =>
    Object.fromEntries(
      scenario.workflows.map((w) => {
        const list = ranAt.get(w.name) ?? [];
        return [w.name, lowerBound(list, to) - lowerBound(list, from)];
      }),
    );
  const observations: Observation[] = [];
  const usedAt: number[] = []; // used at the start of each hour, for the lagged figure
  let used = scenario.usedAtStart;
  let exhaustedAt: number | undefined;
  let scheduleChanges = 0;
  const daily: number[] = [];

  const spend = (amount: number, at: number) => {
    used = Math.min(scenario.quota, used + amount);
    if (exhaustedAt === undefined && used >= scenario.quota) exhaustedAt = at;
  };
  const figureAt = (at: number) => {
    if (lagMs === 0) return used;
    const hour = Math.floor((at - lagMs - start) / HOUR_MS);
    return hour < 0 ? scenario.usedAtStart : (usedAt[Math.min(hour, usedAt.length - 1)] ?? used);
  };
  const pacingInput = (
    at: number,
    current: (w: ScenarioWorkflow) => PacingWorkflow,
  ): PacingInput => ({
    quota: scenario.quota,
    figure: figureAt(at),
    lagMs,
    now: at,
    periodStart,
    periodEnd: end,
    targetPercent: scenario.targetPercent,
    observations,
    workflows: scenario.workflows.map(current),
    // A change lands when the open pull request is merged, or a merge delay after it opens.
    ...(mergeDelayMs > 0 && !gated
      ? { mergeDelayMs: pending ? Math.max(0, mergeAt - at) : mergeDelayMs }
      : {}),
  });
  const paced = (w: ScenarioWorkflow, rate: number, forced?: number): PacingWorkflow => {
    const rates = perDay.get(w.name) as Record<Mode, number>;
    return {
      name: w.name,
      // A config without a cost gives 1, which the pacer learns from.
      cost: w.costKnown ? w.costPerRun : 1,
      priority: w.priority,
      minRate: rates.conservative,
      maxRate: rates.aggressive,
      ...(gated
        ? {}
        : { steps: rateSteps(rates.conservative, rates.aggressive, inWords(w.tiers.aggressive)) }),
      rate,
      ...(forced !== undefined ? { inForce: forced } : {}),
      ...(w.costKnown ? {} : { learnCost: true }),
      ...(gated ? {} : { cronsAt: (r: number) => cronsAt(w, r) }),
      ...(w.timezone ? { timezone: w.timezone } : {}),
    };
  };
  const cronsAt = (w: ScenarioWorkflow, rate: number) =>
    cronsFor(
      rate,
      MODES.map((m) => w.tiers[m]),
      w.timezone,
    ) ?? w.tiers.normal;

  /** The open pull request takes these schedules; with no merge delay it lands at once. */
  const propose = (next: Map<string, { crons: string[]; rate: number }>, at: number) => {
    const differs = scenario.workflows.some(
      (w) => next.get(w.name)?.crons.join('|') !== inForce.get(w.name)?.crons.join('|'),
    );
    if (!differs) {
      pending = undefined;
      return;
    }
    if (!pending) mergeAt = at + mergeDelayMs;
    pending = next;
    if (mergeDelayMs === 0) merge();
  };
  const merge = () => {
    if (!pending) return;
    for (const [name, s] of pending) inForce.set(name, s);
    pending = undefined;
    scheduleChanges++;
  };

  const orchestrate = (at: number) => {
    // The daily run reads the figure and counts the runs first; the rates it sets follow. A
    // lagging figure stands for an earlier time, and so do the runs it is set against.
    const stands = at - lagMs;
    const previous = observations.at(-1)?.time ?? stands;
    const observation: Observation = {
      time: stands,
      used: figureAt(at),
      runs: countRuns(previous, stands),
    };
    observations.push(observation);
    if (policy === 'auto' || policy === 'gate-auto') {
      const usage = computeUsage({
        quota: scenario.quota,
        used: figureAt(at),
        resetDay: scenario.resetDay,
        now: new Date(at),
      });
      const mode = decideMode('auto', usage).mode;
      for (const w of scenario.workflows) tiers.set(w.name, mode);
      if (policy === 'auto') {
        propose(
          new Map(
            scenario.workflows.map((w) => [
              w.name,
              { crons: w.tiers[mode], rate: perDay.get(w.name)?.[mode] ?? 0 },
            ]),
          ),
          at,
        );
      }
    } else if (policy === 'pace') {
      const plan = paceRates(
        pacingInput(at, (w) => {
          const force = inForce.get(w.name)?.rate ?? 0;
          const open = pending?.get(w.name)?.rate;
          return paced(w, open ?? force, open !== undefined ? force : undefined);
        }),
      );
      options.trace?.(
        `${new Date(at).toISOString()} used ${Math.round(plan.state.used)} other ${plan.state.other?.level.toFixed(1)} [${plan.state.other?.factors.map((f) => f.toFixed(2)).join(' ')}] landing ${Math.round(plan.landing)} aim ${Math.round(plan.aim)} ${plan.changed ? 'CHANGE' : ''} ${JSON.stringify(plan.rates)}`,
      );
      if (plan.changed) {
        propose(
          new Map(
            scenario.workflows.map((w) => {
              const rate = plan.rates[w.name] ?? 0;
              return [w.name, { crons: cronsAt(w, rate), rate }];
            }),
          ),
          at,
        );
      }
    } else {
      const plan = paceRates(pacingInput(at, (w) => paced(w, recorded.get(w.name) ?? 0)));
      options.trace?.(
        `${new Date(at).toISOString()} used ${Math.round(plan.state.used)} other ${plan.state.other?.level.toFixed(1)} landing ${Math.round(plan.landing)} aim ${Math.round(plan.aim)} ${JSON.stringify(plan.rates)}`,
      );
      for (const [name, rate] of Object.entries(plan.rates)) recorded.set(name, rate);
    }
    observation.rates = Object.fromEntries(
      scenario.workflows.map((w) => [
        w.name,
        policy === 'gate-pace'
          ? (recorded.get(w.name) ?? 0)
          : policy === 'gate-auto'
            ? (perDay.get(w.name)?.[tiers.get(w.name) ?? 'normal'] ?? 0)
            : (inForce.get(w.name)?.rate ?? 0),
      ]),
    );
  };

  const fire = (w: ScenarioWorkflow, index: number, at: number, previous: number | undefined) => {
    if (draw(seed, STREAM.drop, index, at) < scenario.dropRate) return;
    if (policy === 'gate-auto') {
      const tier = tiers.get(w.name) ?? 'normal';
      const crons = w.tiers.aggressive;
      const cron = crons.find(
        (c) => runsBetween(c, new Date(at), new Date(at + 1), w.timezone).length > 0,
      );
      const gate = decideGate({
        event: 'schedule',
        ...(cron ? { firingCron: cron } : {}),
        now: new Date(at),
        tierCrons: w.tiers[tier],
        tierName: tier,
        ...(w.timezone ? { timezone: w.timezone } : {}),
      });
      if (!gate.proceed) return;
    } else if (policy === 'gate-pace') {
      const answer = budgetGate(
        pacingInput(at, (x) => paced(x, recorded.get(x.name) ?? 0)),
        w.name,
        { previous: previous ?? at - DAY_MS, now: at },
      );
      if (!answer.proceed) return;
    }
    const jitter = 1 + scenario.costJitter * (2 * draw(seed, STREAM.jitter, index, at) - 1);
    const cost = w.costPerRun * jitter;
    if (used + cost <= scenario.quota) runs[w.name] = (runs[w.name] ?? 0) + 1;
    ranAt.get(w.name)?.push(at);
    spend(cost, at); // a run that finds the quota spent still counts as running out
  };

  const orchestratorRuns = firingsOf(cache, [scenario.orchestratorCron], start, end);
  for (let t = start; t < end; t += HOUR_MS) {
    usedAt.push(used);
    const hourEnd = Math.min(t + HOUR_MS, end);
    const day = Math.floor((t - start) / DAY_MS);
    const list = scenario.otherUsagePerDay;
    const factor = noise > 0 ? 1 + noise * (2 * draw(seed, STREAM.noise, day, 0) - 1) : 1;
    spend(((list[day % list.length] ?? 0) * factor * (hourEnd - t)) / DAY_MS, t);
    // Split the hour at orchestrator runs and merges: the crons in force change there.
    const cuts = orchestratorRuns.slice(
      lowerBound(orchestratorRuns, t),
      lowerBound(orchestratorRuns, hourEnd),
    );
    let from = t;
    for (const cut of [...cuts, hourEnd]) {
      if (pending && mergeAt >= from && mergeAt < cut) merge();
      scenario.workflows.forEach((w, index) => {
        const crons = inForce.get(w.name)?.crons ?? [];
        const list = firingsOf(cache, crons, periodStart, end, w.timezone);
        for (let i = lowerBound(list, from); i < list.length && (list[i] as number) < cut; i++) {
          fire(w, index, list[i] as number, list[i - 1]);
        }
      });
      if (cut < hourEnd) orchestrate(cut);
      from = cut;
    }
    if ((hourEnd - start) % DAY_MS === 0 || hourEnd === end) daily.push(used);
  }
  return resultOf(used, scenario.quota, exhaustedAt, scheduleChanges, runs, daily);
}
