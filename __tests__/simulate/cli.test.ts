import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/simulate/scenario.js';
import { ROOT } from '../helpers/run-action.js';

const simulate = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'simulate', ...args], {
    encoding: 'utf8',
  });
const STEADY = join(ROOT, 'scenarios/steady.json');

describe('simulate --seeds', () => {
  it('prints each policy with one result per seed, each shaped as a single run', () => {
    const out = simulate('--scenario', STEADY, '--json', '--seeds', '3', '--noise', '0.4');
    expect(out.status).toBe(0);
    const { policies } = JSON.parse(out.stdout);
    expect(Object.keys(policies)).toEqual(['auto', 'pace', 'gate-auto', 'gate-pace']);
    for (const { seeds } of Object.values(policies) as { seeds: Record<string, unknown>[] }[]) {
      expect(seeds).toHaveLength(3);
      for (const s of seeds)
        expect(Object.keys(s).sort()).toEqual([
          'exhaustedAt',
          'finalUsed',
          'runs',
          'scheduleChanges',
          'utilization',
        ]);
    }
    // Seeded: the same command gives the same figures.
    expect(JSON.parse(simulate('--scenario', STEADY, '--json', '--seeds', '3').stdout)).toEqual(
      JSON.parse(out.stdout),
    );
  });

  it('prints the median, the 10th percentile and the run-outs as a table', () => {
    const out = simulate('--scenario', STEADY, '--seeds', '2');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('| scenario | policy | median used | 10th percentile | ran out |');
    expect(out.stdout).toMatch(/^\| steady \| gate-pace \| [\d.]+% \| [\d.]+% \| 0 of 2 \| 0 \|$/m);
  });

  it('refuses flags it would ignore, and bad seeds or noise, naming each', () => {
    const out = simulate(
      '--scenario',
      STEADY,
      '--target-percent',
      '90',
      '--mode',
      'pace',
      '--seeds',
      '0',
      '--noise',
      '2',
    );
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(
      "--target-percent does not apply to simulate: set 'targetPercent' in the scenario file",
    );
    expect(out.stderr).toContain('--mode does not apply to simulate');
    expect(out.stderr).toContain("--seeds must be a whole number from 1 to 1000, got '0'");
    expect(out.stderr).toContain("--noise must be a share from 0 to 1, got '2'");
  });
});

describe('a scenario file', () => {
  it('names a missing field as missing', () => {
    expect(() => parseScenario({ workflows: [] }, 'x.json')).toThrow(
      /- 'quota' is missing: it must be a number greater than 0\n- 'start' is missing: it must be an ISO 8601 time\n- 'orchestratorCron' '' is not valid: it is missing\n- 'otherUsagePerDay' is missing/,
    );
  });

  it('takes the optional lag, merge delay, drop rate and cost jitter, and checks them', () => {
    const base = {
      quota: 100,
      start: '2025-11-01T00:00:00Z',
      orchestratorCron: '7 0 * * *',
      otherUsagePerDay: 1,
      workflows: [{ aggressive: '0 * * * *', normal: '0 */2 * * *', conservative: '0 0 * * *' }],
    };
    expect(
      parseScenario(
        { ...base, billingLagHours: 6, mergeDelayDays: 1, dropRate: 0.1, costJitter: 0.2 },
        'x.json',
      ),
    ).toMatchObject({ billingLagHours: 6, mergeDelayDays: 1, dropRate: 0.1, costJitter: 0.2 });
    expect(() => parseScenario({ ...base, dropRate: 1 }, 'x.json')).toThrow(
      /'dropRate' must be a share from 0 up to \(not including\) 1, got 1/,
    );
  });
});

describe('the terminal chart', () => {
  it('marks a cell two policies share with *, so no letter hides another', async () => {
    const { terminalChart } = await import('../../src/simulate/report.js');
    const scenario = parseScenario(
      JSON.parse(
        '{"quota":100,"start":"2025-11-01T00:00:00Z","orchestratorCron":"7 0 * * *","otherUsagePerDay":1,"workflows":[{"name":"a.yml","costPerRun":1,"priority":0,"aggressive":"17 */2 * * *","normal":"17 */3 * * *","conservative":"17 */6 * * *"}]}',
      ),
      'inline.json',
    );
    const result = (daily: number[]) => ({
      finalUsed: daily.at(-1) ?? 0,
      utilization: 0,
      exhaustedAt: null,
      scheduleChanges: 0,
      runs: {},
      daily,
    });
    const chart = terminalChart(
      scenario,
      { auto: result([0, 50, 100]), 'gate-auto': result([0, 50, 90]) } as never,
      10,
    );
    const rows = chart.split('\n');
    // Days 1 and 2: both policies at the same height; day 3: apart.
    expect(rows.find((r) => r.startsWith('    0 |'))).toBe('    0 |*  ');
    expect(rows).toContain('      | * ');
    expect(rows).toContain('      |  A');
    expect(chart).toContain('* = more than one');
    expect(chart).toMatch(/quota \|--a/);
  });
});
