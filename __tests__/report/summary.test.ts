import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { renderSummary, usageChart } from '../../src/report/summary.js';
import { exampleWorkspace } from '../helpers/workspace.js';

async function resultFor(values: Record<string, string>) {
  const inputs = parseInputs(
    (name) =>
      ({ quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'dry-run': 'true', ...values })[
        name
      ],
  );
  return orchestrate({ ...inputs, workspace: exampleWorkspace() });
}

describe('job summary', () => {
  it('gives the mode and why, the figures, the chart and the schedule changes in words', async () => {
    const md = renderSummary(await resultFor({}));
    expect(md).toContain('## Dynamic orchestrator: aggressive');
    expect(md).toContain(
      '**Mode `aggressive`**: efficiency 0.545 is below 0.7: the quota is being under-used.',
    );
    expect(md).toContain('| Used | 300 (20%) |');
    expect(md).toContain(
      '| Projected at reset | 818.18 (54.5% of the quota) at the current burn rate |',
    );
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toContain(
      '| `.github/workflows/agent-spawner.yml` | At 17 minutes past the hour, every 3 hours (`17 */3 * * *`): 8 runs/day | At 17 minutes past the hour, every 2 hours (`17 */2 * * *`): 12 runs/day |',
    );
    expect(md).toContain('Dry run: 7 file(s) would change; nothing was written.');
  });

  it('draws the quota, the even pace and usage, one point a day', async () => {
    const chart = usageChart(await resultFor({}));
    const lines = chart.split('\n').filter((l) => l.trim().startsWith('line'));
    const series = lines.map((l) => JSON.parse(l.trim().slice(5)) as number[]);
    expect(series).toHaveLength(3);
    const [quota, pace, used] = series as [number[], number[], number[]];
    expect(quota).toHaveLength(31); // November: 30 days, 31 day boundaries
    expect(new Set(quota)).toEqual(new Set([1500]));
    expect([pace[0], pace[15], pace[30]]).toEqual([0, 750, 1500]);
    // Day 11 (Nov 12 00:00) is now: 300 used; afterwards 27.27 a day up to 818.2 at the reset.
    expect(used[11]).toBe(300);
    expect(used[30]).toBe(818.2);
    expect(chart).toContain('x-axis ["11-01", "11-02"');
  });

  it('calls out a quota at risk', async () => {
    expect(renderSummary(await resultFor({ used: '1500' }))).toContain('> [!CAUTION]');
    expect(renderSummary(await resultFor({ used: '900' }))).toContain('> [!WARNING]');
  });
});
