/** The action's outputs and its log lines, rendered from a pipeline result. */
import type { OrchestrateResult } from '../orchestrate.js';
import { describeCron, runsPerDay } from '../schedule/cron.js';
import type { ScheduleEntry } from '../schedule/rewriter.js';

const round = (x: number, digits: number): string => String(Number(x.toFixed(digits)));

/** Every output of the action, as the strings the runner stores. */
export function outputsOf(result: OrchestrateResult): Record<string, string> {
  const { usage, decision } = result;
  return {
    mode: decision.mode,
    'usage-percent': round(usage.usagePercent, 2),
    'time-percent': round(usage.timePercent, 2),
    efficiency: round(usage.efficiency, 3),
    'burn-rate': round(usage.burnRate, 2),
    projected: round(usage.projected, 2),
    remaining: round(usage.remaining, 2),
    'days-until-reset': round(usage.daysUntilReset, 2),
    alert: usage.alert,
    changed: String(result.changes.length > 0),
    'changed-files': result.changes.map((c) => c.path).join('\n'),
    diff: result.diff,
  };
}

/** A schedule in words: each cron with its description, and the runs it makes a day. */
export function describeSchedule(entries: readonly ScheduleEntry[]): string {
  const crons = entries
    .map((e) => `'${e.cron}' (${describeCron(e.cron)}${e.timezone ? `, ${e.timezone}` : ''})`)
    .join(', ');
  let perDay = 0;
  for (const e of entries) perDay += runsPerDay([e.cron], e.timezone);
  return `${crons}: ${round(perDay, 2)} runs/day`;
}

/** A short status a person reads in the log. */
export function statusLines(result: OrchestrateResult): string[] {
  const { usage, decision } = result;
  const o = outputsOf(result);
  const lines = [
    `Period ${usage.period.start.toISOString()} to ${usage.period.end.toISOString()} (${o['days-until-reset']} days left)`,
    `Used ${usage.used} of ${usage.quota} (${o['usage-percent']}%) at ${o['time-percent']}% of the period: efficiency ${o.efficiency}`,
    `Burn rate ${o['burn-rate']}/day, projected ${o.projected} at reset, ${o.remaining} remaining, alert: ${usage.alert}`,
    `Mode: ${decision.mode} (${decision.reason})`,
  ];
  for (const w of result.workflows) {
    lines.push(
      w.changed
        ? `${w.path}: ${describeSchedule(w.before)} -> ${describeSchedule(w.after)}`
        : `${w.path}: unchanged, ${describeSchedule(w.before)}`,
    );
  }
  if (result.changes.length > 0) {
    lines.push(
      result.written
        ? `Wrote ${result.changes.length} file(s)`
        : `Dry run: ${result.changes.length} file(s) would change, nothing written`,
    );
  }
  return lines;
}
