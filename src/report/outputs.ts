/** The action's outputs and its log lines, rendered from a pipeline result. */
import type { OrchestrateResult } from '../orchestrate.js';
import { describeCron, runsPerDay } from '../schedule/cron.js';
import type { ScheduleEntry } from '../schedule/rewriter.js';

/** A number as outputs show it: rounded, without trailing zeros. */
export const round = (x: number, digits: number): string => String(Number(x.toFixed(digits)));

/** Everything the run found, as one JSON-ready object (the `report` output). */
export function reportOf(result: OrchestrateResult) {
  const { usage, decision } = result;
  const r = (x: number, digits = 2) => Number(x.toFixed(digits));
  return {
    mode: decision.mode,
    reason: decision.reason,
    alert: usage.alert,
    quota: usage.quota,
    used: usage.used,
    source: result.source,
    remaining: r(usage.remaining),
    usagePercent: r(usage.usagePercent),
    timePercent: r(usage.timePercent),
    efficiency: r(usage.efficiency, 3),
    burnRate: r(usage.burnRate),
    trendBurnRate: result.trend === undefined ? null : r(result.trend),
    // With pace, the one projection is the one with the new schedules.
    projected: r(decision.projected ?? usage.projected),
    target: decision.target === undefined ? null : r(decision.target),
    daysUntilReset: r(usage.daysUntilReset),
    periodStart: usage.period.start.toISOString(),
    periodEnd: usage.period.end.toISOString(),
    changed: result.workflows.some((w) => w.changed),
    changedFiles: result.changes.map((c) => c.path),
    workflows: result.workflows.map((w) => ({
      path: w.path,
      tier: w.tier,
      changed: w.changed,
      before: w.before,
      after: w.after,
      runsPerDayBefore: r(perDay(w.before)),
      runsPerDayAfter: r(perDay(w.after)),
    })),
  };
}

/** Every output of the action, as the strings the runner stores. */
export function outputsOf(result: OrchestrateResult): Record<string, string> {
  const report = reportOf(result);
  // Inputs and config keys with line breaks are refused; this keeps one path a line for sure.
  const broken = report.changedFiles.find((path) => /[\r\n]/.test(path));
  if (broken !== undefined) {
    throw new Error(`The changed file ${JSON.stringify(broken)} has a line break in its name`);
  }
  return {
    mode: report.mode,
    changed: String(report.changed),
    diff: result.diff,
    'changed-files': report.changedFiles.join('\n'),
    // The step that runs `gh aw compile` runs only when this is non-empty.
    'agentic-workflows': report.workflows
      .filter((w) => w.changed && w.path.endsWith('.md'))
      .map((w) => w.path)
      .join('\n'),
    'usage-percent': round(result.usage.usagePercent, 2),
    'time-percent': round(result.usage.timePercent, 2),
    efficiency: round(result.usage.efficiency, 3),
    'burn-rate': round(result.usage.burnRate, 2),
    'trend-burn-rate': result.trend === undefined ? '' : round(result.trend, 2),
    projected: String(report.projected),
    remaining: round(result.usage.remaining, 2),
    'days-until-reset': round(result.usage.daysUntilReset, 2),
    alert: report.alert,
    report: JSON.stringify(report),
  };
}

function perDay(entries: readonly ScheduleEntry[]): number {
  let total = 0;
  for (const e of entries) total += runsPerDay([e.cron], e.timezone);
  return total;
}

/** "8 runs/day", "1 run/day". */
export const perDayText = (n: number) => `${round(n, 2)} ${n === 1 ? 'run' : 'runs'}/day`;

/** A schedule in words: each cron with its description, and the runs it makes a day. */
export function describeSchedule(entries: readonly ScheduleEntry[]): string {
  const crons = entries
    .map((e) => `'${e.cron}' (${describeCron(e.cron)}${e.timezone ? `, ${e.timezone}` : ''})`)
    .join(', ');
  return `${crons}: ${perDayText(perDay(entries))}`;
}

/** A short status a person reads in the log. */
export function statusLines(result: OrchestrateResult): string[] {
  const { usage, decision } = result;
  const o = outputsOf(result);
  const lines = [
    `Period ${usage.period.start.toISOString()} to ${usage.period.end.toISOString()} (${o['days-until-reset']} days left)`,
    `Used ${usage.used} of ${usage.quota} (${o['usage-percent']}%, from ${result.source}) at ${o['time-percent']}% of the period: efficiency ${o.efficiency}`,
    `Burn rate ${o['burn-rate']}/day (last 7 days: ${o['trend-burn-rate'] || 'not enough history'}), projected ${o.projected} at reset, ${o.remaining} remaining, alert: ${usage.alert}`,
    `Mode: ${decision.mode} (${decision.reason})`,
  ];
  for (const w of result.workflows) {
    // With pace each workflow has its own tier: name it.
    const name = decision.mode === 'pace' || decision.tiers ? `${w.path} (${w.tier})` : w.path;
    lines.push(
      w.changed
        ? `${name}: ${describeSchedule(w.before)} -> ${describeSchedule(w.after)}`
        : `${name}: unchanged, ${describeSchedule(w.before)}`,
    );
  }
  if (result.changes.length > 0) {
    lines.push(
      result.written
        ? `Wrote ${filesInWords(result)}: ${(o['changed-files'] ?? '').replace(/\n/g, ', ')}`
        : `Dry run: ${filesInWords(result)} would change, nothing written`,
    );
  }
  return lines;
}

const counted = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The changed files in words: "6 workflows and the history file". */
export function filesInWords(result: OrchestrateResult): string {
  const workflows = new Set(result.workflows.map((w) => w.path));
  const changedWorkflows = result.changes.filter((c) => workflows.has(c.path)).length;
  const history = result.changes.some((c) => c.path === result.historyPath);
  const others = result.changes.length - changedWorkflows - (history ? 1 : 0);
  const parts = [
    ...(changedWorkflows > 0 ? [counted(changedWorkflows, 'workflow')] : []),
    ...(history ? ['the history file'] : []),
    ...(others > 0 ? [counted(others, 'other file')] : []),
  ];
  return parts.length <= 1
    ? (parts[0] ?? 'no file')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
