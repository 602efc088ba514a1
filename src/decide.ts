/** How the mode (or, with pace, each workflow's tier) is decided from the figures and the history. */
import type { Inputs } from './inputs.js';
import type { ManagedWorkflow } from './schedule/config.js';
import { runsPerDay } from './schedule/cron.js';
import { readSchedule, type ScheduleEntry } from './schedule/workflow.js';
import type { HistoryRecord } from './usage/history.js';
import { decidePace, estimateOther, type PacedWorkflow } from './usage/pace.js';
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

/** The tier whose crons a workflow has now, if it matches one. */
function tierNow(crons: readonly string[], managed: ManagedWorkflow): Mode | undefined {
  return MODES.find((mode) => {
    const want = managed.schedules[mode];
    return want.length === crons.length && want.every((c, i) => c === crons[i]);
  });
}

/** The pace policy over the managed workflows as they are now. */
export function paceDecision(
  options: Pick<Inputs, 'apply' | 'now' | 'targetPercent'>,
  usage: Usage,
  managed: readonly ManagedWorkflow[],
  records: readonly HistoryRecord[],
  problem: string | undefined,
  read: (m: ManagedWorkflow) => string | undefined,
  pathOf: (m: ManagedWorkflow) => string,
): Decision {
  const workflows: PacedWorkflow[] = [];
  for (const m of managed) {
    const text = read(m);
    // A missing or broken file is reported by the rewrite; pace it as if at normal.
    let entries: ScheduleEntry[] = [];
    try {
      entries = text === undefined ? [] : readSchedule(text, pathOf(m));
    } catch {}
    // With apply: record the files keep their fastest crons; the tier is the recorded one.
    const last = records.at(-1)?.tiers?.[m.file];
    const recorded = last === 'paused' ? 'conservative' : last;
    const current =
      (options.apply === 'record'
        ? recorded
        : tierNow(
            entries.map((e) => e.cron),
            m,
          )) ?? 'normal';
    const timezone = entries[0]?.timezone;
    // When its tier last changed: the last record that had another tier for it.
    const before = [...records]
      .reverse()
      .find((r) => r.tiers?.[m.file] && r.tiers[m.file] !== current);
    const after = before ? records[records.indexOf(before) + 1] : undefined;
    workflows.push({
      name: m.file,
      cost: m.cost,
      priority: m.priority,
      runsPerDay: Object.fromEntries(
        MODES.map((mode) => [mode, runsPerDay(m.schedules[mode], timezone)]),
      ) as Record<Mode, number>,
      current,
      ...(after ? { changedAt: Date.parse(after.time) } : {}),
    });
  }
  const current = Object.fromEntries(workflows.map((w) => [w.name, w.current]));
  if (problem) {
    return {
      mode: 'pace',
      tiers: current,
      reason: `usage looks wrong (${problem}), so every tier stays`,
    };
  }
  const managedPerDay = workflows.reduce((sum, w) => sum + w.runsPerDay[w.current] * w.cost, 0);
  const observations = records.map((r) => ({
    time: Date.parse(r.time),
    used: r.used,
    managedPerDay: r.managedPerDay ?? managedPerDay,
  }));
  const pace = decidePace({
    quota: usage.quota,
    used: usage.used,
    now: options.now.getTime(),
    periodEnd: usage.period.end.getTime(),
    targetPercent: options.targetPercent,
    otherPerDay: estimateOther(observations, usage, managedPerDay, options.now.getTime()),
    workflows,
  });
  return {
    mode: 'pace',
    tiers: pace.tiers,
    reason: pace.reason,
    projected: pace.projected,
    target: pace.target,
  };
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
