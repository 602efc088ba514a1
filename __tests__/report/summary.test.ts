import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { chartCaption, renderSummary, usageChart } from '../../src/report/summary.js';
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
    expect(md).toMatch(/```mermaid\n%%\{init: .*\}%%\nxychart-beta\n/);
    expect(md).toContain(
      '| `.github/workflows/agent-spawner.yml` | At 17 minutes past the hour, every 3 hours (`17 */3 * * *`): 8 runs/day | At 17 minutes past the hour, every 2 hours (`17 */2 * * *`): 12 runs/day |',
    );
    expect(md).toContain(
      'Dry run: 6 workflows and the history file would change; nothing was written.',
    );
  });

  it('draws recorded bars, then the even pace, the quota and the projection, one point a day', async () => {
    const chart = usageChart(await resultFor({}));
    const rows = chart.split('\n').map((l) => l.trim());
    const series = (kind: string) =>
      rows
        .filter((l) => l.startsWith(`${kind} `))
        .map((l) => JSON.parse(l.slice(kind.length + 1)) as number[]);
    const [recorded] = series('bar') as [number[]];
    const [pace, quota, projected] = series('line') as [number[], number[], number[]];
    expect(series('line')).toHaveLength(3);
    expect(quota).toHaveLength(31); // November: 30 days, 31 day boundaries
    expect(new Set(quota)).toEqual(new Set([1500]));
    expect([pace[0], pace[15], pace[30]]).toEqual([0, 750, 1500]);
    // Day 11 (Nov 12 00:00) is now: 300 used; bars stop there, the projection goes on at
    // 27.27 a day up to 818.2 at the reset.
    expect(recorded[11]).toBe(300);
    expect(recorded.slice(12).every((v) => v === 0)).toBe(true);
    expect(projected[11]).toBe(300);
    expect(projected[30]).toBe(818.2);
    // A numeric day axis: Mermaid picks a few labels, not 31 dates.
    expect(chart).toContain('x-axis "Day of the period" 0 --> 30');
    // One colour per series, in drawing order, as the caption names them.
    expect(chart).toContain('"plotColorPalette": "#54aeff, #8c959f, #cf222e, #bf8700"');
    const caption = chartCaption(await resultFor({}));
    expect(caption).toBe(
      'Blue bars: usage recorded up to now; grey: the even pace from 0 to the quota; red: the quota; orange: the projection to the reset at the current burn rate.',
    );
  });

  it('mentions the first-day guard only on the first day of the period', async () => {
    expect(renderSummary(await resultFor({ now: '2025-11-01T06:00:00Z', used: '5' }))).toContain(
      'the first-day guard',
    );
    expect(renderSummary(await resultFor({}))).not.toContain('the first-day guard');
  });

  it('calls out a quota at risk', async () => {
    expect(renderSummary(await resultFor({ used: '1500' }))).toContain('> [!CAUTION]');
    expect(renderSummary(await resultFor({ used: '900' }))).toContain('> [!WARNING]');
  });
});
