/** How the mode (or, with pace, each workflow's tier) is decided from the figures and the history. */
import type { Inputs } from './inputs.js';
import { observationsOf, type PacingWorkflow, paceRates } from './pacing/decision.js';
import { cronsFor, rateSteps } from './pacing/rates.js';
import { cronsOf, type ManagedWorkflow } from './schedule/config.js';
import { runsPerDay } from './schedule/cron.js';
import { inWords } from './schedule/fuzzy.js';
import type { ScheduleEntry } from './schedule/workflow.js';
import type { HistoryRecord } from './usage/history.js';
import { DAY_MS } from './usage/period.js';
import { type Decision, MODES, type Mode, type Tier, type Usage } from './usage/tracker.js';

/**
 * What is wrong with usage that contradicts the history (billing data has had such faults):
 * usage that drops within a period, or grows by more than the whole quota a day.
 */
export function usageProblem(
  usage: Usage,
  records: readonly HistoryRecord[],
  at: Date,
): string | undefined {
  const now = at.getTime();
  const last = [...records]
    .reverse()
    .find((r) => Date.parse(r.time) >= usage.period.start.getTime() && Date.parse(r.time) < now);
  if (!last) return undefined;
  const days = Math.max(1, (now - Date.parse(last.time)) / DAY_MS);
  if (usage.used < last.used) {
    return `usage dropped from ${last.used} (${last.time}) to ${usage.used} within the period`;
  }
  if (usage.used - last.used > usage.quota * days) {
    return `usage grew from ${last.used} (${last.time}) to ${usage.used}, more than the whole quota a day`;
  }
  return undefined;
}

/** With auto mode and usage that looks wrong, the last recorded mode stays. */
export function fallBackIfWrong(
  decision: Decision,
  options: Pick<Inputs, 'mode'>,
  records: readonly HistoryRecord[],
  problem: string | undefined,
  warnings: string[],
): Decision {
  const last = records.at(-1);
  if (!problem || options.mode !== 'auto' || !last) return decision;
  warnings.push(`Keeping the last recorded mode, ${last.mode}.`);
  return {
    mode: last.mode,
    ...(last.tiers ? { tiers: last.tiers } : {}),
    reason: `usage looks wrong (${problem}), so the last recorded mode stays`,
  };
}

/** The tier whose rate (runs a day) is nearest a rate, for the record and the summary. */
function nearestTier(rate: number, perDay: Record<Mode, number>): Mode {
  return [...MODES].sort(
    (a, b) =>
      Math.abs(perDay[a] - rate) - Math.abs(perDay[b] - rate) ||
      MODES.indexOf(b) - MODES.indexOf(a),
  )[0] as Mode;
}

const tierCrons = (m: ManagedWorkflow) => MODES.map((mode) => m.schedules[mode]);

/**
 * The pace policy over the managed workflows as they are now: the rate of each (runs a day,
 * any whole number between its slowest and fastest tier) from the forecast and the controller
 * in src/pacing. With apply: record the rate may be any number, which the gate follows.
 */
export function paceDecision(
  options: Pick<Inputs, 'apply' | 'now' | 'targetPercent'> & { billingLagHours?: number },
  usage: Usage,
  managed: readonly ManagedWorkflow[],
  records: readonly HistoryRecord[],
  problem: string | undefined,
  /** The schedule a managed file has now (it may throw: a broken file is reported later). */
  read: (m: ManagedWorkflow) => ScheduleEntry[],
): Decision {
  const last = records.at(-1);
  const perDayOf = new Map<string, Record<Mode, number>>();
  const workflows: PacingWorkflow[] = managed.map((m) => {
    // A missing or broken file is reported by the rewrite; pace it as if at normal.
    let entries: ScheduleEntry[] = [];
    try {
      entries = read(m);
    } catch {}
    const timezone = entries[0]?.timezone;
    const perDay = Object.fromEntries(
      MODES.map((mode) => [mode, runsPerDay(m.schedules[mode], timezone)]),
    ) as Record<Mode, number>;
    perDayOf.set(m.file, perDay);
    const lastTier = last?.tiers?.[m.file];
    const recordedTier = lastTier === 'paused' || lastTier === undefined ? undefined : lastTier;
    // With apply: record the files keep their fastest crons; the rate is the recorded one.
    const rate =
      options.apply === 'record'
        ? (last?.rates?.[m.file] ?? perDay[recordedTier ?? 'normal'])
        : entries.length > 0
          ? runsPerDay(
              entries.map((e) => e.cron),
              timezone,
            )
          : perDay.normal;
    const rewrite = options.apply !== 'record';
    return {
      name: m.file,
      cost: m.cost,
      priority: m.priority,
      minRate: perDay.conservative,
      maxRate: perDay.aggressive,
      ...(rewrite
        ? {
            steps: rateSteps(
              perDay.conservative,
              perDay.aggressive,
              inWords(m.schedules.aggressive),
            ),
          }
        : {}),
      rate,
      // Without the user's figure, the cost is learned from the history, the default its prior.
      ...(m.costGiven ? {} : { learnCost: true }),
      ...(rewrite ? { cronsAt: (r: number) => cronsFor(r, tierCrons(m), timezone) ?? [] } : {}),
      ...(timezone ? { timezone } : {}),
    };
  });
  const tiersFor = (rates: Record<string, number>) =>
    Object.fromEntries(
      managed.map((m) => [
        m.file,
        nearestTier(rates[m.file] ?? 0, perDayOf.get(m.file) as Record<Mode, number>),
      ]),
    ) as Record<string, Mode>;
  const current = Object.fromEntries(workflows.map((w) => [w.name, w.rate]));
  if (problem) {
    return {
      mode: 'pace',
      tiers: tiersFor(current),
      rates: current,
      reason: `usage looks wrong (${problem}), so every schedule stays`,
    };
  }
  const period = usage.period;
  const plan = paceRates({
    quota: usage.quota,
    figure: usage.used,
    lagMs: (options.billingLagHours ?? 0) * 3_600_000,
    now: options.now.getTime(),
    periodStart: period.start.getTime(),
    periodEnd: period.end.getTime(),
    targetPercent: options.targetPercent,
    observations: observationsOf(records, options.now.getTime(), usage.used),
    workflows,
  });
  return {
    mode: 'pace',
    tiers: tiersFor(plan.rates),
    rates: plan.rates,
    reason: plan.reason,
    projected: plan.landing,
    target: plan.aim,
  };
}

/**
 * The crons a managed workflow gets for a decision: its paused tier when paused, the crons
 * for its decided rate when pace set one, else its tier's.
 */
export function decidedCrons(decision: Decision, managed: ManagedWorkflow, tier: Tier): string[] {
  const rate = decision.rates?.[managed.file];
  if (tier === 'paused' || rate === undefined) return cronsOf(managed, tier);
  return cronsFor(rate, tierCrons(managed)) ?? cronsOf(managed, tier);
}

/**
 * Workflows that have a `paused` tier stop once what is left of the quota no longer covers
 * one of their runs; the others keep the decided tier. Only for `auto` and `pace`: a forced
 * mode stays forced.
 */
export function pauseWhereSpent(
  decision: Decision,
  requested: Inputs['mode'],
  usage: Usage,
  managed: readonly ManagedWorkflow[],
): Decision {
  if (requested !== 'auto' && requested !== 'pace') return decision;
  const left = usage.quota - usage.used;
  const paused = managed.filter((m) => m.schedules.paused !== undefined && left < m.cost);
  if (paused.length === 0) return decision;
  const tierOf = (m: ManagedWorkflow): Tier =>
    decision.tiers?.[m.file] ?? (decision.mode === 'pace' ? 'normal' : decision.mode);
  const tiers = Object.fromEntries(
    managed.map((m) => [m.file, paused.includes(m) ? 'paused' : tierOf(m)]),
  ) as Record<string, Tier>;
  const names = paused.map((m) => m.file).join(', ');
  return {
    ...decision,
    tiers,
    reason: `${decision.reason}; paused ${names}: what is left (${Math.max(0, Math.round(left * 100) / 100)}) does not cover a run`,
  };
}
