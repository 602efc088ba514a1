/**
 * Plays a billing period hour by hour: managed workflows fire on their crons, other consumers
 * spend their share, and the orchestrator runs on its own cron and moves the crons by a policy.
 * It uses the action's own tracker, mode rule, pace policy and cron counting.
 */
import { decideGate } from '../gate/decide.js';
import { cronProblem, runsBetween, runsPerDay } from '../schedule/cron.js';
import { decidePace, estimateOther, type Observation } from '../usage/pace.js';
import { DAY_MS, periodFor } from '../usage/period.js';
import { computeUsage, decideMode, MODES, type Mode } from '../usage/tracker.js';

export interface ScenarioWorkflow {
  name: string;
  costPerRun: number;
  priority: number;
  timezone?: string;
  tiers: Record<Mode, string[]>;
}

export interface Scenario {
  quota: number;
  resetDay: number;
  start: Date;
  usedAtStart: number;
  orchestratorCron: string;
  /** Taken day by day from the start, repeated when it runs out. */
  otherUsagePerDay: number[];
  targetPercent: number;
  workflows: ScenarioWorkflow[];
}

/**
 * auto and pace rewrite the crons; gate-auto and gate-pace keep every workflow on its fastest
 * crons and let the gate step skip the runs that the recorded tier would not have made.
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

const HOUR_MS = 3_600_000;

/** Checks a scenario file's data; throws with every problem, naming the file. */
export function parseScenario(data: unknown, file: string): Scenario {
  const problems: string[] = [];
  const s = (data ?? {}) as Record<string, unknown>;
  const num = (
    key: string,
    fallback: number | undefined,
    ok: (n: number) => boolean,
    rule: string,
  ) => {
    const value = s[key] ?? fallback;
    if (typeof value !== 'number' || !ok(value))
      problems.push(`'${key}' must be ${rule}, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const quota = num('quota', undefined, (n) => n > 0, 'a number greater than 0');
  const resetDay = num(
    'resetDay',
    1,
    (n) => Number.isInteger(n) && n >= 1 && n <= 31,
    'a whole number from 1 to 31',
  );
  const usedAtStart = num('usedAtStart', 0, (n) => n >= 0, 'a number of 0 or more');
  const targetPercent = num(
    'targetPercent',
    95,
    (n) => n > 0 && n <= 100,
    'a percentage from 1 to 100',
  );
  const start = new Date(String(s.start));
  if (typeof s.start !== 'string' || Number.isNaN(start.getTime()))
    problems.push(`'start' must be an ISO 8601 time`);
  const orchestratorCron = String(s.orchestratorCron ?? '');
  const cronIssue = cronProblem(orchestratorCron);
  if (cronIssue)
    problems.push(`'orchestratorCron' '${orchestratorCron}' is not valid: ${cronIssue}`);
  const other = typeof s.otherUsagePerDay === 'number' ? [s.otherUsagePerDay] : s.otherUsagePerDay;
  if (
    !Array.isArray(other) ||
    other.length === 0 ||
    other.some((v) => typeof v !== 'number' || v < 0)
  ) {
    problems.push(`'otherUsagePerDay' must be a number of 0 or more, or a non-empty list of them`);
  }
  const workflows: ScenarioWorkflow[] = [];
  if (!Array.isArray(s.workflows) || s.workflows.length === 0)
    problems.push(`'workflows' must be a non-empty list`);
  for (const [i, raw] of (Array.isArray(s.workflows) ? s.workflows : []).entries()) {
    const w = (raw ?? {}) as Record<string, unknown>;
    const where = `workflows[${i}]`;
    const tiers = {} as Record<Mode, string[]>;
    for (const mode of MODES) {
      const list = typeof w[mode] === 'string' ? [w[mode]] : w[mode];
      if (!Array.isArray(list) || list.length === 0) {
        problems.push(`${where}.${mode} must be a cron or a list of crons`);
        continue;
      }
      for (const cron of list) {
        const issue = cronProblem(String(cron));
        if (issue) problems.push(`${where}.${mode} cron '${cron}' is not valid: ${issue}`);
      }
      tiers[mode] = list.map(String);
    }
    const cost = w.costPerRun ?? 1;
    const priority = w.priority ?? 0;
    if (typeof cost !== 'number' || cost <= 0)
      problems.push(`${where}.costPerRun must be a number greater than 0`);
    if (typeof priority !== 'number') problems.push(`${where}.priority must be a number`);
    workflows.push({
      name: typeof w.name === 'string' ? w.name : `workflow-${i + 1}`,
      costPerRun: cost as number,
      priority: priority as number,
      ...(typeof w.timezone === 'string' ? { timezone: w.timezone } : {}),
      tiers,
    });
  }
  if (problems.length > 0) throw new Error(`${file}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return {
    quota,
    resetDay,
    start,
    usedAtStart,
    orchestratorCron,
    otherUsagePerDay: other as number[],
    targetPercent,
    workflows,
  };
}

/** Runs one policy over the scenario's period, from its start to the reset. */
export function simulate(scenario: Scenario, policy: Policy): PolicyResult {
  const start = scenario.start.getTime();
  const end = periodFor(scenario.start, scenario.resetDay).end.getTime();
  const tiers = new Map<string, Mode>(scenario.workflows.map((w) => [w.name, 'normal']));
  const changedAt = new Map<string, number>();
  const runs: Record<string, number> = Object.fromEntries(
    scenario.workflows.map((w) => [w.name, 0]),
  );
  const perDay = new Map(
    scenario.workflows.map((w) => [
      w.name,
      Object.fromEntries(MODES.map((m) => [m, runsPerDay(w.tiers[m], w.timezone)])) as Record<
        Mode,
        number
      >,
    ]),
  );
  const observations: Observation[] = [];
  let used = scenario.usedAtStart;
  let exhaustedAt: number | undefined;
  let scheduleChanges = 0;
  const daily: number[] = [];

  const spend = (amount: number, at: number) => {
    used = Math.min(scenario.quota, used + amount);
    if (exhaustedAt === undefined && used >= scenario.quota) exhaustedAt = at;
  };
  const managedPerDay = () =>
    scenario.workflows.reduce(
      (sum, w) => sum + (perDay.get(w.name)?.[tiers.get(w.name) ?? 'normal'] ?? 0) * w.costPerRun,
      0,
    );

  const gated = policy.startsWith('gate-');
  const orchestrate = (at: number) => {
    let next: Map<string, Mode>;
    if (policy === 'auto' || policy === 'gate-auto') {
      const usage = computeUsage({
        quota: scenario.quota,
        used,
        resetDay: scenario.resetDay,
        now: new Date(at),
      });
      const mode = decideMode('auto', usage).mode;
      next = new Map(scenario.workflows.map((w) => [w.name, mode]));
    } else {
      const period = periodFor(new Date(at), scenario.resetDay);
      const usage = computeUsage({
        quota: scenario.quota,
        used,
        resetDay: scenario.resetDay,
        now: new Date(at),
      });
      const other = estimateOther(observations, usage, managedPerDay(), at);
      const decision = decidePace({
        quota: scenario.quota,
        used,
        now: at,
        periodEnd: period.end.getTime(),
        targetPercent: scenario.targetPercent,
        otherPerDay: other,
        workflows: scenario.workflows.map((w) => ({
          name: w.name,
          cost: w.costPerRun,
          priority: w.priority,
          runsPerDay: perDay.get(w.name) as Record<Mode, number>,
          current: tiers.get(w.name) ?? 'normal',
          ...(changedAt.has(w.name) ? { changedAt: changedAt.get(w.name) } : {}),
        })),
      });
      next = new Map(Object.entries(decision.tiers));
    }
    let changed = false;
    for (const [name, tier] of next) {
      if (tiers.get(name) !== tier) {
        changed = true;
        changedAt.set(name, at);
        tiers.set(name, tier);
      }
    }
    observations.push({ time: at, used, managedPerDay: managedPerDay() });
    // Behind the gate no cron changes: the tier is only recorded.
    if (changed && !gated) scheduleChanges++;
  };

  for (let t = start; t < end; t += HOUR_MS) {
    const hourEnd = Math.min(t + HOUR_MS, end);
    const day = Math.floor((t - start) / DAY_MS);
    const list = scenario.otherUsagePerDay;
    spend(((list[day % list.length] ?? 0) * (hourEnd - t)) / DAY_MS, t);
    // Split the hour at orchestrator runs: crons in force change there.
    const cuts = runsBetween(scenario.orchestratorCron, new Date(t), new Date(hourEnd)).map((d) =>
      d.getTime(),
    );
    let from = t;
    for (const cut of [...cuts, hourEnd]) {
      for (const w of scenario.workflows) {
        const tier = tiers.get(w.name) ?? 'normal';
        for (const cron of gated ? w.tiers.aggressive : w.tiers[tier]) {
          for (const fired of runsBetween(cron, new Date(from), new Date(cut), w.timezone)) {
            if (gated) {
              const gate = decideGate({
                event: 'schedule',
                firingCron: cron,
                now: fired,
                tierCrons: w.tiers[tier],
                tierName: tier,
                ...(w.timezone ? { timezone: w.timezone } : {}),
              });
              if (!gate.proceed) continue;
            }
            if (used + w.costPerRun > scenario.quota) {
              spend(w.costPerRun, fired.getTime()); // the run finds the quota spent
              continue;
            }
            runs[w.name] = (runs[w.name] ?? 0) + 1;
            spend(w.costPerRun, fired.getTime());
          }
        }
      }
      if (cut < hourEnd) orchestrate(cut);
      from = cut;
    }
    if ((hourEnd - start) % DAY_MS === 0 || hourEnd === end) daily.push(used);
  }
  return {
    finalUsed: Math.round(used * 100) / 100,
    utilization: Math.round((used / scenario.quota) * 10_000) / 10_000,
    exhaustedAt: exhaustedAt === undefined ? null : new Date(exhaustedAt).toISOString(),
    scheduleChanges,
    runs,
    daily,
  };
}
