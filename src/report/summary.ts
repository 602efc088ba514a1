/** The job summary: a pure Markdown rendering of a pipeline result. */
import type { OrchestrateResult } from '../orchestrate.js';
import { describeCron } from '../schedule/cron.js';
import type { ScheduleEntry } from '../schedule/rewriter.js';
import { periodPoints } from '../usage/history.js';
import { DAY_MS } from '../usage/period.js';
import { markdownCode as code, markdownText as text } from './escape.js';
import { filesInWords, perDayText, reportOf, round } from './outputs.js';

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
 * The chart's series, in drawing order, each with the colour the caption names. The colours
 * read on GitHub's light and dark themes alike.
 */
const SERIES = {
  recorded: { colour: '#54aeff', name: 'blue' },
  pace: { colour: '#8c959f', name: 'grey' },
  quota: { colour: '#cf222e', name: 'red' },
  projected: { colour: '#bf8700', name: 'orange' },
  target: { colour: '#1a7f37', name: 'green' },
} as const;

/**
 * A Mermaid xychart over the days of the period (a numeric axis: few labels): bars for the
 * usage recorded at each day's end up to now, and lines for the even pace, the quota, the
 * projection from now to the reset (at the current burn rate, or with pace at the new
 * schedules' rate) and, with pace, the target.
 */
export function usageChart(result: OrchestrateResult): string {
  const { usage } = result;
  const start = usage.period.start.getTime();
  const end = usage.period.end.getTime();
  const now = start + (usage.timePercent / 100) * (end - start);
  const days = Math.round((end - start) / DAY_MS);
  const points = [
    ...periodPoints(result.history, usage).filter((p) => p.time < now),
    { time: now, used: usage.used },
  ];
  const landing = result.decision.projected ?? usage.projected;
  const rate = end > now ? ((landing - usage.used) / (end - now)) * DAY_MS : 0;
  const recorded: number[] = [];
  const pace: number[] = [];
  const projected: number[] = [];
  for (let k = 0; k <= days; k++) {
    const t = start + k * DAY_MS;
    pace.push((usage.quota * k) / days);
    // A bar only for what is recorded; the projection line joins the bars at now.
    recorded.push(t <= now ? usedAt(points, t) : 0);
    projected.push(t <= now ? usedAt(points, t) : usage.used + (rate * (t - now)) / DAY_MS);
  }
  const { target } = result.decision;
  const top = Math.ceil(Math.max(usage.quota, ...projected) * 1.1);
  const list = (values: number[]) => `[${values.map((v) => round(v, 1)).join(', ')}]`;
  const lines: [keyof typeof SERIES, string][] = [
    ['recorded', `  bar ${list(recorded)}`],
    ['pace', `  line ${list(pace)}`],
    ['quota', `  line ${list(pace.map(() => usage.quota))}`],
    ['projected', `  line ${list(projected)}`],
    ...(target === undefined
      ? []
      : [['target', `  line ${list(pace.map(() => target))}`] as [keyof typeof SERIES, string]]),
  ];
  const palette = lines.map(([series]) => SERIES[series].colour).join(', ');
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    '  title "Usage this period"',
    `  x-axis "Day of the period" 0 --> ${days}`,
    `  y-axis "Used" 0 --> ${top}`,
    ...lines.map(([, line]) => line),
    '```',
  ].join('\n');
}

/** Whether less than a day of the period has passed, so the first-day guard shapes the rates. */
function firstDay(result: OrchestrateResult): boolean {
  const { period, timePercent } = result.usage;
  return ((period.end.getTime() - period.start.getTime()) * timePercent) / 100 < DAY_MS;
}

/** The chart's caption: which series is which, by colour. */
export function chartCaption(result: OrchestrateResult): string {
  const s = SERIES;
  const projection =
    result.decision.projected === undefined ? 'at the current burn rate' : 'with the new schedules';
  return [
    `${s.recorded.name} bars: usage recorded up to now;`,
    `${s.pace.name}: the even pace from 0 to the quota;`,
    `${s.quota.name}: the quota;`,
    `${s.projected.name}: the projection to the reset ${projection}`,
    ...(result.decision.target === undefined ? [] : [`; ${s.target.name}: the target`]),
  ]
    .join(' ')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(' ;', ';')
    .concat('.');
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
    `| Efficiency | ${r.efficiency} (1 is exactly on pace)${firstDay(result) ? '; on the first day of the period rates count one whole day (the first-day guard), so early runs do not read as over-use' : ''} |`,
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
    chartCaption(result),
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
      const name = `${cell(code(w.path))}${r.mode === 'pace' || result.decision.tiers ? ` (${w.tier})` : ''}`;
      lines.push(`| ${name} | ${cell(inWords(w.before, w.runsPerDayBefore))} | ${cell(after)} |`);
    }
    lines.push('');
    if (result.changes.length > 0) {
      lines.push(
        result.written
          ? `Written: ${result.changes.map((c) => code(c.path)).join(', ')}.`
          : `Dry run: ${filesInWords(result)} would change; nothing was written.`,
        '',
      );
    }
  }
  if (result.warnings.length > 0) {
    lines.push('### Warnings', '', ...result.warnings.map((w) => `- ${text(w)}`), '');
  }
  return `${lines.join('\n')}\n`;
}
