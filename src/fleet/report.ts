/** The fleet run's log lines, outputs and job summary: pure renders of its result. */
import { markdownText } from '../report/escape.js';
import { round } from '../report/outputs.js';
import type { FleetRunResult } from './run.js';

/** Lines for the log; a dry run prints the plan itself. */
export function fleetLines(result: FleetRunResult): string[] {
  const u = result.usage;
  const lines = [
    `Fleet of ${result.organization}: ${result.gathered.repositories.length} repositories, ${result.decision.workflows.length} workflows paced; ${result.gathered.skipped.length} left out.`,
    `Pool: ${round(u.used, 2)} of ${round(result.quota, 2)} used (${round(u.usagePercent, 1)}%, ${result.pool}) at ${round(u.timePercent, 1)}% of the period; expected at the reset ${round(result.decision.landing, 1)}, aimed at ${round(result.decision.aim, 1)}.`,
    `Decision: ${result.decision.reason}`,
    `API requests: ${result.requests.charged} charged, ${result.requests.notModified} answered 304 (free), ${result.requests.billing} billing.`,
    ...result.notes,
  ];
  if (result.dryRun) {
    lines.push(`Dry run: the plan (${result.planBytes} bytes) is not written:`);
    for (const v of result.variables) lines.push(`${v.name}=${v.value}`);
  } else {
    for (const w of result.written) lines.push(`Variable ${w.name} ${w.action}.`);
  }
  return lines;
}

/** The action's outputs in fleet mode. */
export function fleetOutputs(result: FleetRunResult): Record<string, string> {
  const u = result.usage;
  const files = result.dryRun ? [] : result.changes.map((c) => c.path);
  // mode, alert, changed and changedFiles are what publish reads, as from the main report.
  const report = {
    mode: 'pace',
    alert: u.alert,
    changed: result.decision.changed,
    changedFiles: files,
    fleet: true,
    organization: result.organization,
    quota: result.quota,
    ...(result.seats !== undefined ? { seats: result.seats } : {}),
    used: u.used,
    // The alert issue's text (publish/alert.sh) reads these, as from the main report.
    usagePercent: Number(round(u.usagePercent, 2)),
    timePercent: Number(round(u.timePercent, 2)),
    projected: Number(round(result.decision.landing, 2)),
    daysUntilReset: u.daysUntilReset,
    landing: Number(round(result.decision.landing, 2)),
    aim: Number(round(result.decision.aim, 2)),
    repositories: result.gathered.repositories.length,
    skipped: result.gathered.skipped,
    variables: result.variables.map((v) => v.name),
    written: result.written,
    planBytes: result.planBytes,
    requests: result.requests,
    dryRun: result.dryRun,
  };
  return {
    mode: 'pace',
    changed: String(result.decision.changed),
    diff: '',
    'changed-files': files.join('\n'),
    'usage-percent': round(u.usagePercent, 2),
    'time-percent': round(u.timePercent, 2),
    efficiency: round(u.efficiency, 3),
    'burn-rate': round(u.burnRate, 2),
    'trend-burn-rate': '',
    projected: round(result.decision.landing, 2),
    remaining: round(u.remaining, 2),
    'days-until-reset': round(u.daysUntilReset, 2),
    alert: u.alert,
    plan: JSON.stringify(result.plan),
    'plan-bytes': String(result.planBytes),
    report: JSON.stringify(report),
  };
}

/** The job summary: the pool, then each repository's workflows and rates. */
export function fleetSummary(result: FleetRunResult): string {
  const u = result.usage;
  const rows = result.decision.workflows.map(
    (w) =>
      `| ${markdownText(w.repo)} | ${markdownText(w.workflow)} | ${round(w.rate, 2)} | ${markdownText(w.reason)} |`,
  );
  const skipped = result.gathered.skipped.map(
    (s) => `- ${markdownText(s.repo)}: ${markdownText(s.why)}`,
  );
  return [
    `## Dynamic orchestrator: the fleet of ${markdownText(result.organization)}${result.dryRun ? ' (dry run)' : ''}`,
    '',
    `The pool: ${round(u.used, 2)} of ${round(result.quota, 2)} used (${round(u.usagePercent, 1)}%) at ${round(u.timePercent, 1)}% of the period. Expected at the reset: ${round(result.decision.landing, 1)} (aim ${round(result.decision.aim, 1)}).`,
    '',
    `${markdownText(result.decision.reason)}`,
    '',
    '| repository | workflow | runs a day | why |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...(skipped.length > 0 ? ['Left out:', '', ...skipped, ''] : []),
    `The plan: ${result.planBytes} bytes in ${result.variables.map((v) => `\`${v.name}\``).join(', ')}${result.dryRun ? ', not written (dry run)' : ''}.`,
    '',
  ].join('\n');
}
