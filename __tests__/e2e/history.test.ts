import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODES, runAction } from '../helpers/run-action.js';
import { exampleWorkspace } from '../helpers/workspace.js';

const HISTORY = '.github/orchestrator-history.json';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

describe.each(NODES)('a month of daily runs through dist/index.js under %s', (_label, node) => {
  it('records history, writes the summary, and is a no-op the same day apart from the record', () => {
    const ws = exampleWorkspace();
    git(ws, 'init', '-q');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-qm', 'start');
    const day = (now: string, used: string) =>
      runAction({ node, workspace: ws, inputs: { quota: '1500', used, now } });

    const first = day('2025-11-12T00:07:00Z', '300');
    expect(first.status).toBe(0);
    const report = JSON.parse(first.outputs.report ?? '');
    expect(report).toMatchObject({
      mode: 'aggressive',
      used: 300,
      quota: 1500,
      changed: true,
      trendBurnRate: null,
    });
    expect(report.changedFiles).toContain(HISTORY);
    expect(first.outputs['trend-burn-rate']).toBe('');
    expect(first.summary).toContain('| Figure | Value |');
    expect(first.summary).toMatch(/```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(first.summary).toContain('### Schedules');
    git(ws, 'add', '-A');
    git(ws, 'commit', '-qm', 'day 1');

    const again = day('2025-11-12T18:00:00Z', '340');
    expect(again.status).toBe(0);
    expect(again.outputs.changed).toBe('false');
    expect(again.outputs['changed-files']).toBe(HISTORY);
    expect(git(ws, 'status', '--porcelain').trim()).toBe(`M ${HISTORY}`);
    expect(JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records).toHaveLength(1);

    const next = day('2025-11-13T00:07:00Z', '360');
    expect(next.status).toBe(0);
    const records = JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records;
    expect(records.map((r: { date: string; used: number }) => [r.date, r.used])).toEqual([
      ['2025-11-12', 340],
      ['2025-11-13', 360],
    ]);
    // The newest record (Nov 12 18:00) is not a day old and the period start is over 7 days
    // back: no trend yet.
    expect(next.outputs['trend-burn-rate']).toBe('');
    const later = day('2025-11-14T00:07:00Z', '420');
    // From the Nov 12 18:00 record (340): 80 more in 30 h 07 min, 63.75 a day.
    expect(later.outputs['trend-burn-rate']).toBe('63.75');
  });
});
