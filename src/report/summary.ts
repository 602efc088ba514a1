/** The job summary: a pure Markdown rendering of a pipeline result. */
import type { OrchestrateResult } from '../orchestrate.js';
import { describeCron } from '../schedule/cron.js';
import type { ScheduleEntry } from '../schedule/rewriter.js';
import { periodPoints } from '../usage/history.js';
import { DAY_MS } from '../usage/period.js';
import { markdownCode as code, markdownText as text } from './escape.js';
import { perDayText, reportOf, round } from './outputs.js';

// Every value from a file, an input or the API goes through text() or code() (./escape.ts);
// in a table, a `|` also has to be escaped, even inside code.
const cell = (markdown: string) => markdown.replace(/(?<!\\)\|/g, '\\|');

function inWords(entries: readonly ScheduleEntry[], runsPerDay: number): string {
  const crons = entries.map(
    (e) =>
      `${text(describeCron(e.cron))} (${code(e.cron)}${e.timezone ? `, ${text(e.timezone)}` : ''})`,
  );
  return `${crons.join('; ')}: ${perDayText(runsPerDay)}`;
}

/** Linear interpolation over time-sorted points. */
function usedAt(points: { time: number; used: number }[], time: number): number {
  let before = points[0] ?? { time, used: 0 };
  for (const p of points) {
    if (p.time <= time) before = p;
    else {
      const share = (time - before.time) / (p.time - before.time || 1);
      return before.used + (p.used - before.used) * share;
    }
  }
  return before.used;
}

/**
 * A Mermaid xychart, one point a day: the quota, the even pace to it, usage (recorded so far,
 * then projected: at the current burn rate, or with pace at the new schedules' rate), and with
 * pace the target.
 */
export function usageChart(result: OrchestrateResult): string {
  const { usage } = result;
  const start = usage.period.start.getTime();
  const now = start + (usage.timePercent / 100) * (usage.period.end.getTime() - start);
  const days = Math.round((usage.period.end.getTime() - start) / DAY_MS);
  const points = [
    ...periodPoints(result.history, usage).filter((p) => p.time < now),
    { time: now, used: usage.used },
  ];
  const landing = result.decision.projected ?? usage.projected;
  const end = usage.period.end.getTime();
  const rate = end > now ? ((landing - usage.used) / (end - now)) * DAY_MS : 0;
  const labels: string[] = [];
  const pace: number[] = [];
  const used: number[] = [];
  for (let k = 0; k <= days; k++) {
    const t = start + k * DAY_MS;
    labels.push(`"${new Date(t).toISOString().slice(5, 10)}"`);
    pace.push((usage.quota * k) / days);
    used.push(t <= now ? usedAt(points, t) : usage.used + (rate * (t - now)) / DAY_MS);
  }
  const { target } = result.decision;
  const top = Math.ceil(Math.max(usage.quota, ...used) * 1.1);
  const list = (values: number[]) => `[${values.map((v) => round(v, 1)).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Usage this period"',
    `  x-axis [${labels.join(', ')}]`,
    `  y-axis "Used" 0 --> ${top}`,
    `  line ${list(pace.map(() => usage.quota))}`,
    `  line ${list(pace)}`,
    `  line ${list(used)}`,
    ...(target === undefined ? [] : [`  line ${list(pace.map(() => target))}`]),
    '```',
  ].join('\n');
}

/** The whole job summary. */
export function renderSummary(result: OrchestrateResult): string {
  const r = reportOf(result);
  const { usage } = result;
  const callout =
    usage.alert === 'critical'
      ? '> [!CAUTION]\n> The quota is used up for this period.\n\n'
      : usage.alert === 'warning'
        ? `> [!WARNING]\n> At the current burn rate usage would reach ${round(usage.projected, 2)} of ${usage.quota} by the reset${result.decision.projected === undefined ? '' : `; the new schedules aim at ${round(result.decision.projected, 2)}`}.\n\n`
        : '';
  const lines = [
    `## Dynamic orchestrator: ${r.mode}`,
    '',
    `${callout}**Mode ${code(r.mode)}**: ${text(r.reason)}.`,
    '',
    '| Figure | Value |',
    '| --- | --- |',
    `| Quota | ${usage.quota} |`,
    `| Used | ${usage.used} (${r.usagePercent}%) |`,
    `| Remaining | ${r.remaining} |`,
    `| Period | ${r.periodStart.slice(0, 10)} to ${r.periodEnd.slice(0, 10)}: ${r.timePercent}% elapsed, ${r.daysUntilReset} days left |`,
    `| Efficiency | ${r.efficiency} (1 is exactly on pace) |`,
    `| Burn rate | ${r.burnRate}/day over the period; ${r.trendBurnRate === null ? 'not enough history for the last 7 days' : `${r.trendBurnRate}/day over the last 7 days`} |`,
    result.decision.projected === undefined
      ? `| Projected at reset | ${r.projected} (${round((usage.projected / usage.quota) * 100, 1)}% of the quota) at the current burn rate |`
      : `| Projected at reset with the new schedules | ${r.projected} (${round((result.decision.projected / usage.quota) * 100, 1)}% of the quota; target ${r.target}) |`,
    `| Alert | ${r.alert} |`,
    '',
    '### Usage this period',
    '',
    usageChart(result),
    '',
    result.decision.target === undefined
      ? 'Lines: the quota (flat), the even pace from 0 to the quota, and usage: recorded so far, then projected at the current burn rate.'
      : 'Lines: the quota (flat), the even pace from 0 to the quota, usage (recorded so far, then projected with the new schedules), and the target (flat, last).',
    '',
  ];
  if (result.workflows.length === 0) {
    lines.push(
      '### Schedules',
      '',
      `No workflow is managed (config: ${code(result.config.path)}${result.config.found ? '' : ', not found'}).`,
      '',
    );
  } else {
    lines.push('### Schedules', '', '| Workflow | Before | After |', '| --- | --- | --- |');
    for (const w of r.workflows) {
      const after = w.changed ? inWords(w.after, w.runsPerDayAfter) : 'unchanged';
      // With pace each workflow has its own tier: show it.
      const name = `${cell(code(w.path))}${r.mode === 'pace' ? ` (${w.tier})` : ''}`;
      lines.push(`| ${name} | ${cell(inWords(w.before, w.runsPerDayBefore))} | ${cell(after)} |`);
    }
    lines.push('');
    if (result.changes.length > 0) {
      lines.push(
        result.written
          ? `Written: ${result.changes.map((c) => code(c.path)).join(', ')}.`
          : `Dry run: ${result.changes.length} file(s) would change; nothing was written.`,
        '',
      );
    }
  }
  if (result.warnings.length > 0) {
    lines.push('### Warnings', '', ...result.warnings.map((w) => `- ${text(w)}`), '');
  }
  return `${lines.join('\n')}\n`;
}
