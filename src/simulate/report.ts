/** The simulator's reports: the JSON object, a table, and usage curves drawn in the terminal. */
import type { Policy, PolicyResult, Scenario } from './simulator.js';

export type Results = Partial<Record<Policy, PolicyResult>>;

/** `{ policies: { auto: {...}, pace: {...} } }` without the daily series. */
export function jsonReport(results: Results): {
  policies: Record<string, Omit<PolicyResult, 'daily'>>;
} {
  const policies: Record<string, Omit<PolicyResult, 'daily'>> = {};
  for (const [name, { daily: _daily, ...rest }] of Object.entries(results) as [
    string,
    PolicyResult,
  ][]) {
    policies[name] = rest;
  }
  return { policies };
}

/** One Markdown row per policy. */
export function tableRows(scenario: string, results: Results): string[] {
  return (Object.entries(results) as [string, PolicyResult][]).map(
    ([policy, r]) =>
      `| ${scenario} | ${policy} | ${r.finalUsed} | ${(r.utilization * 100).toFixed(1)}% | ${r.exhaustedAt ?? 'never'} | ${r.scheduleChanges} |`,
  );
}

export const TABLE_HEAD = [
  '| scenario | policy | final used | utilization | exhausted at | schedule changes |',
  '| --- | --- | --- | --- | --- | --- |',
];

/** The letter a policy draws with: a, p; A and P for their gated twins. */
const letter = (policy: string) =>
  policy.startsWith('gate-') ? (policy[5] ?? '?').toUpperCase() : (policy[0] ?? '?');

/** Usage curves against the quota, one letter per policy, a column per day. */
export function terminalChart(scenario: Scenario, results: Results, rows = 16): string {
  const entries = Object.entries(results) as [string, PolicyResult][];
  const days = Math.max(...entries.map(([, r]) => r.daily.length));
  const grid = Array.from({ length: rows + 1 }, () => Array<string>(days).fill(' '));
  const rowOf = (used: number) =>
    rows - Math.round((Math.min(used, scenario.quota) / scenario.quota) * rows);
  for (let d = 0; d < days; d++) (grid[0] as string[])[d] = '-';
  for (const [name, r] of entries) {
    r.daily.forEach((used, d) => {
      (grid[rowOf(used)] as string[])[d] = letter(name);
    });
  }
  const lines = grid.map(
    (row, i) => `${i === 0 ? 'quota' : i === rows ? '    0' : '     '} |${row.join('')}`,
  );
  lines.push(`        ${'day 1'.padEnd(days - 5)}${days}`);
  lines.push(
    `        ${entries.map(([name]) => `${letter(name)} = ${name}`).join(', ')}; - = the quota (${scenario.quota})`,
  );
  return lines.join('\n');
}
