/** The simulator's reports: the JSON object, a table, and usage curves drawn in the terminal. */
import type { FleetPolicy } from './fleet.js';
import type { Policy, PolicyResult, Scenario } from './simulator.js';

export type Results = Partial<Record<Policy | FleetPolicy, PolicyResult>>;
/** Each policy's result on every seed, in seed order. */
export type SeedResults = Partial<Record<Policy | FleetPolicy, PolicyResult[]>>;

const strip = ({ daily: _daily, ...rest }: PolicyResult): Omit<PolicyResult, 'daily'> => rest;

/** `{ policies: { auto: { seeds: [...] }, ... } }`: one result per seed, each as a single run's. */
export function seedsJson(results: SeedResults): {
  policies: Record<string, { seeds: Omit<PolicyResult, 'daily'>[] }>;
} {
  const policies: Record<string, { seeds: Omit<PolicyResult, 'daily'>[] }> = {};
  for (const [name, list] of Object.entries(results) as [string, PolicyResult[]][]) {
    policies[name] = { seeds: list.map(strip) };
  }
  return { policies };
}

/** The value at a share (0..1) of a sorted list, by the nearest rank. */
export function quantile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Median and 10th percentile of utilization, how many seeds ran out, and the median changes. */
export function seedSummary(list: readonly PolicyResult[]): {
  median: number;
  p10: number;
  out: number;
  changes: number;
} {
  const used = list.map((r) => r.utilization).sort((a, b) => a - b);
  const changes = list.map((r) => r.scheduleChanges).sort((a, b) => a - b);
  return {
    median: quantile(used, 0.5),
    p10: quantile(used, 0.1),
    out: list.filter((r) => r.exhaustedAt !== null).length,
    changes: quantile(changes, 0.5),
  };
}

export const SEEDS_HEAD = [
  '| scenario | policy | median used | 10th percentile | ran out | median changes |',
  '| --- | --- | --- | --- | --- | --- |',
];

/** One Markdown row per policy over the seeds. */
export function seedRows(scenario: string, results: SeedResults): string[] {
  return (Object.entries(results) as [string, PolicyResult[]][]).map(([policy, list]) => {
    const s = seedSummary(list);
    return `| ${scenario} | ${policy} | ${(s.median * 100).toFixed(1)}% | ${(s.p10 * 100).toFixed(1)}% | ${s.out} of ${list.length} | ${s.changes} |`;
  });
}

/** `{ policies: { auto: {...}, pace: {...} } }` without the daily series. */
export function jsonReport(results: Results): {
  policies: Record<string, Omit<PolicyResult, 'daily'>>;
} {
  const policies: Record<string, Omit<PolicyResult, 'daily'>> = {};
  for (const [name, result] of Object.entries(results) as [string, PolicyResult][]) {
    policies[name] = strip(result);
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

/** The fleet's policies, whose first letters clash. */
const FLEET_LETTERS: Record<string, string> = { 'alone-pool': 'p', 'alone-share': 's', fleet: 'f' };

/** The letter a policy draws with: a, p; A and P for their gated twins; p, s, f for a fleet. */
const letter = (policy: string) =>
  FLEET_LETTERS[policy] ??
  (policy.startsWith('gate-') ? (policy[5] ?? '?').toUpperCase() : (policy[0] ?? '?'));

/** Usage curves against the quota, one letter per policy, a column per day. */
export function terminalChart(scenario: Scenario, results: Results, rows = 16): string {
  const entries = Object.entries(results) as [string, PolicyResult][];
  const days = Math.max(...entries.map(([, r]) => r.daily.length));
  const grid = Array.from({ length: rows + 1 }, () => Array<string>(days).fill(' '));
  const rowOf = (used: number) =>
    rows - Math.round((Math.min(used, scenario.quota) / scenario.quota) * rows);
  for (let d = 0; d < days; d++) (grid[0] as string[])[d] = '-';
  // A cell two policies share shows '*', so that no letter hides another.
  for (const [name, r] of entries) {
    r.daily.forEach((used, d) => {
      const row = grid[rowOf(used)] as string[];
      const here = row[d];
      row[d] = here === ' ' || here === '-' || here === letter(name) ? letter(name) : '*';
    });
  }
  const lines = grid.map(
    (row, i) => `${i === 0 ? 'quota' : i === rows ? '    0' : '     '} |${row.join('')}`,
  );
  lines.push(`        ${'day 1'.padEnd(days - 5)}${days}`);
  lines.push(
    `        ${entries.map(([name]) => `${letter(name)} = ${name}`).join(', ')}; * = more than one; - = the quota (${scenario.quota})`,
  );
  return lines.join('\n');
}
