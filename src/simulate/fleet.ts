/**
 * Plays a fleet scenario: several repositories spend one pool, hour by hour. Every managed
 * workflow keeps its fastest crons behind a gate that lets through its plan's share of firings
 * (rates are fine, as the gate reads them), and the daily run sets the plan by a policy:
 * each repository's own pacer against the whole pool, each against an equal share, or one
 * fleet decision over all. It uses pacing's controller and the fleet's decision as they ship.
 */
import { decideFleet, type FleetRepository, fleetKey } from '../fleet/decide.js';
import { type PacingInput, type PacingWorkflow, paceRates } from '../pacing/decision.js';
import type { Observation } from '../pacing/forecast.js';
import { slotDue } from '../pacing/rates.js';
import { runsBetween, runsPerDay } from '../schedule/cron.js';
import { DAY_MS, periodFor } from '../usage/period.js';
import { draw } from './random.js';
import type { Scenario, ScenarioRepository, ScenarioWorkflow } from './scenario.js';
import { lowerBound, type PolicyResult, resultOf, type SimulateOptions } from './simulator.js';

/**
 * alone-pool: each repository's pacer against the whole pool, seeing the pool's figure a day
 * late (a separate repository reads the organization's daily billing); alone-share: each
 * against an equal share of the pool, seeing its own use; fleet: one decision for all.
 */
export const FLEET_POLICIES = ['alone-pool', 'alone-share', 'fleet'] as const;
export type FleetPolicy = (typeof FLEET_POLICIES)[number];

/**
 * A plan change counts as a schedule change when a workflow's rate moves from the last
 * counted one by more than this share of it (and at least MIN_CHANGE runs a day): the same
 * count for every policy, since no policy here writes a schedule file.
 */
export const CHANGE_SHARE = 0.1;
export const MIN_CHANGE = 0.25;
/** A floor counts as kept when the repository spent this share of it (gates round to runs). */
const FLOOR_SLACK = 0.98;

export interface RepositoryResult {
  /** What the repository's managed runs spent. */
  spent: number;
  /** Its floor over the days it was planned for (capped at what its workflows could spend). */
  floor: number;
  floorKept: boolean;
}

export interface FleetPolicyResult extends PolicyResult {
  repositories: Record<string, RepositoryResult>;
  /**
   * How much of its speed-up each workflow kept: its runs a day over the days it was in the
   * fleet, from its slowest rate (0) to its fastest (1); below 0 when it ran slower still.
   */
  kept: Record<string, number>;
}

const HOUR_MS = 3_600_000;
const STREAM = { noise: 1, drop: 2, jitter: 3 } as const;

interface Member {
  repo: ScenarioRepository;
  index: number;
  joinsAt: number;
  workflows: { w: ScenarioWorkflow; key: string; min: number; max: number; firings: number[] }[];
}

/** Runs one fleet policy over the scenario's period, from its start to the reset. */
export function simulateFleet(
  scenario: Scenario,
  policy: FleetPolicy,
  options: SimulateOptions = {},
): FleetPolicyResult {
  const seed = options.seed ?? 0;
  const noise = options.noise ?? 0;
  const repositories = scenario.repositories ?? [];
  const start = scenario.start.getTime();
  const period = periodFor(scenario.start, scenario.resetDay);
  const periodStart = period.start.getTime();
  const end = period.end.getTime();
  const periodDays = (end - periodStart) / DAY_MS;
  const lagMs = scenario.billingLagHours * HOUR_MS;
  const members: Member[] = repositories.map((repo, index) => ({
    repo,
    index,
    joinsAt: start + (repo.joinDay - 1) * DAY_MS,
    workflows: repo.workflows.map((w) => ({
      w,
      key: fleetKey(repo.repo, w.name),
      min: runsPerDay(w.tiers.conservative, w.timezone),
      max: runsPerDay(w.tiers.aggressive, w.timezone),
      firings: w.tiers.aggressive
        .flatMap((c) =>
          runsBetween(c, new Date(periodStart), new Date(end), w.timezone).map((d) => d.getTime()),
        )
        .sort((a, b) => a - b),
    })),
  }));
  const all = members.flatMap((m) => m.workflows.map((x) => ({ ...x, member: m })));
  const plan = new Map(all.map((x) => [x.key, runsPerDay(x.w.tiers.normal, x.w.timezone)]));
  const counted = new Map(plan);
  const runs: Record<string, number> = Object.fromEntries(all.map((x) => [x.key, 0]));
  const ranAt = new Map<string, number[]>(all.map((x) => [x.key, []]));
  const spentBy = new Map(members.map((m) => [m.repo.repo, 0]));
  // The pool's use, and each repository's own (people and runs), at the start of each hour.
  const share = scenario.usedAtStart / Math.max(1, members.length);
  let used = scenario.usedAtStart;
  const own = members.map(() => share);
  const usedAt: number[] = [];
  const ownAt: number[][] = members.map(() => []);
  let exhaustedAt: number | undefined;
  let scheduleChanges = 0;
  const daily: number[] = [];
  // Histories: the control repository's (fleet) or each repository's own (the alone policies).
  const pooled: Observation[] = [];
  const histories: Observation[][] = members.map(() => []);

  const spend = (amount: number, at: number, member: number) => {
    used = Math.min(scenario.quota, used + amount);
    own[member] = (own[member] as number) + amount;
    if (exhaustedAt === undefined && used >= scenario.quota) exhaustedAt = at;
  };
  const figure = (series: readonly number[], fallback: number, at: number, late: number) => {
    const hour = Math.floor((at - late - start) / HOUR_MS);
    return hour < 0 ? fallback : (series[Math.min(hour, series.length - 1)] ?? fallback);
  };
  const active = (m: Member, at: number) => at >= m.joinsAt;
  const countRuns = (keys: readonly string[], from: number, to: number) =>
    Object.fromEntries(
      keys.map((k) => {
        const list = ranAt.get(k) ?? [];
        return [k, lowerBound(list, to) - lowerBound(list, from)];
      }),
    );
  const pacing = (x: (typeof all)[number]): PacingWorkflow => ({
    name: x.key,
    cost: x.w.costKnown ? x.w.costPerRun : 1,
    priority: x.w.priority,
    minRate: x.min,
    maxRate: x.max,
    rate: plan.get(x.key) ?? 0,
    ...(x.w.costKnown ? {} : { learnCost: true }),
  });
  const observe = (
    history: Observation[],
    at: number,
    late: number,
    value: number,
    keys: string[],
  ) => {
    const stands = at - late;
    const previous = history.at(-1)?.time ?? stands;
    const o: Observation = { time: stands, used: value, runs: countRuns(keys, previous, stands) };
    history.push(o);
    return o;
  };

  const orchestrate = (at: number) => {
    const next = new Map<string, number>();
    if (policy === 'fleet') {
      const live = members.filter((m) => active(m, at));
      const keys = live.flatMap((m) => m.workflows.map((x) => x.key));
      const o = observe(pooled, at, lagMs, figure(usedAt, scenario.usedAtStart, at, lagMs), keys);
      const decision = decideFleet({
        quota: scenario.quota,
        figure: o.used,
        lagMs,
        now: at,
        periodStart,
        periodEnd: end,
        targetPercent: scenario.targetPercent,
        observations: pooled,
        repositories: live.map(
          (m): FleetRepository => ({
            repo: m.repo.repo,
            priority: m.repo.priority,
            ...(m.repo.floorShare > 0 ? { floorShare: m.repo.floorShare } : {}),
            workflows: all
              .filter((x) => x.member === m)
              .map((x) => ({ ...pacing(x), name: x.w.name })),
          }),
        ),
      });
      for (const w of decision.workflows) next.set(w.key, w.rate);
      o.rates = Object.fromEntries(keys.map((k) => [k, next.get(k) ?? 0]));
      options.trace?.(
        `${new Date(at).toISOString()} landing ${Math.round(decision.landing)} aim ${Math.round(decision.aim)} ${JSON.stringify(o.rates)}`,
      );
    } else {
      for (const m of members) {
        if (!active(m, at)) continue;
        const keys = m.workflows.map((x) => x.key);
        // alone-pool reads the pool's figure a day late; alone-share its own use, against its share.
        const late = policy === 'alone-pool' ? lagMs + DAY_MS : lagMs;
        const value =
          policy === 'alone-pool'
            ? figure(usedAt, scenario.usedAtStart, at, late)
            : figure(ownAt[m.index] as number[], share, at, late);
        const history = histories[m.index] as Observation[];
        const o = observe(history, at, late, value, keys);
        const input: PacingInput = {
          quota: policy === 'alone-pool' ? scenario.quota : scenario.quota / members.length,
          figure: value,
          lagMs: late,
          now: at,
          periodStart,
          periodEnd: end,
          targetPercent: scenario.targetPercent,
          observations: history,
          workflows: all.filter((x) => x.member === m).map(pacing),
        };
        const rates = paceRates(input).rates;
        for (const k of keys) next.set(k, Math.max(0, rates[k] ?? 0));
        o.rates = Object.fromEntries(keys.map((k) => [k, next.get(k) ?? 0]));
      }
    }
    for (const [key, rate] of next) {
      const last = counted.get(key) ?? 0;
      if (Math.abs(rate - last) > Math.max(MIN_CHANGE, CHANGE_SHARE * last)) {
        scheduleChanges++;
        counted.set(key, rate);
      }
      plan.set(key, rate);
    }
  };

  const fire = (x: (typeof all)[number], at: number, previous: number) => {
    if (!slotDue(plan.get(x.key) ?? 0, periodStart, previous, at)) return;
    const index = all.indexOf(x);
    if (draw(seed, STREAM.drop, index, at) < scenario.dropRate) return;
    const jitter = 1 + scenario.costJitter * (2 * draw(seed, STREAM.jitter, index, at) - 1);
    const cost = x.w.costPerRun * jitter;
    if (used + cost <= scenario.quota) runs[x.key] = (runs[x.key] ?? 0) + 1;
    ranAt.get(x.key)?.push(at);
    spentBy.set(x.member.repo.repo, (spentBy.get(x.member.repo.repo) ?? 0) + cost);
    spend(cost, at, x.member.index);
  };

  const orchestrations = runsBetween(scenario.orchestratorCron, new Date(start), new Date(end)).map(
    (d) => d.getTime(),
  );
  for (let t = start; t < end; t += HOUR_MS) {
    usedAt.push(used);
    for (const [i, series] of ownAt.entries()) series.push(own[i] as number);
    const hourEnd = Math.min(t + HOUR_MS, end);
    const day = Math.floor((t - start) / DAY_MS);
    for (const m of members) {
      if (!active(m, t)) continue;
      const list = m.repo.otherUsagePerDay;
      const since = Math.floor((t - m.joinsAt) / DAY_MS);
      // Each repository's people vary on their own.
      const factor =
        noise > 0 ? 1 + noise * (2 * draw(seed, STREAM.noise, day, m.index + 1) - 1) : 1;
      spend(((list[since % list.length] ?? 0) * factor * (hourEnd - t)) / DAY_MS, t, m.index);
    }
    const cuts = orchestrations.slice(
      lowerBound(orchestrations, t),
      lowerBound(orchestrations, hourEnd),
    );
    let from = t;
    for (const cut of [...cuts, hourEnd]) {
      for (const x of all) {
        if (!active(x.member, from)) continue;
        const list = x.firings;
        for (let i = lowerBound(list, from); i < list.length && (list[i] as number) < cut; i++) {
          fire(
            x,
            list[i] as number,
            i > 0 ? (list[i - 1] as number) : (list[i] as number) - DAY_MS,
          );
        }
      }
      if (cut < hourEnd) orchestrate(cut);
      from = cut;
    }
    if ((hourEnd - start) % DAY_MS === 0 || hourEnd === end) daily.push(used);
  }

  const repoResults: Record<string, RepositoryResult> = {};
  const kept: Record<string, number> = {};
  for (const m of members) {
    // The first day a repository is in the fleet runs on its normal rates: no history yet.
    const planned = Math.max(0, (end - m.joinsAt) / DAY_MS - 1);
    const most = m.workflows.reduce((sum, x) => sum + x.max * x.w.costPerRun * planned, 0);
    const floor = Math.min((m.repo.floorShare * scenario.quota * planned) / periodDays, most);
    const spent = spentBy.get(m.repo.repo) ?? 0;
    repoResults[m.repo.repo] = {
      spent: Math.round(spent * 100) / 100,
      floor: Math.round(floor * 100) / 100,
      floorKept: spent >= FLOOR_SLACK * floor,
    };
    for (const x of m.workflows) {
      const perDay = (runs[x.key] ?? 0) / Math.max(1 / 24, (end - m.joinsAt) / DAY_MS);
      const share = x.max > x.min ? (perDay - x.min) / (x.max - x.min) : 1;
      kept[x.key] = Math.round(share * 1000) / 1000;
    }
  }
  return {
    ...resultOf(used, scenario.quota, exhaustedAt, scheduleChanges, runs, daily),
    repositories: repoResults,
    kept,
  };
}
