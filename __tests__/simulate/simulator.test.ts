import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, simulate } from '../../src/simulate/simulator.js';
import { ROOT } from '../helpers/run-action.js';

const DIR = join(ROOT, 'scenarios');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const load = (file: string) =>
  parseScenario(JSON.parse(readFileSync(join(DIR, file), 'utf8')), file);

describe('the scenarios in scenarios/', () => {
  it('include the five the pacing goals were first judged on, the weekday, noisy and lagged ones, and the three fleet ones', () => {
    expect(files.sort()).toEqual([
      'agentic-fuzzy.json',
      'expensive-runs.json',
      'fleet-join.json',
      'fleet-quiet-busy.json',
      'fleet-spike.json',
      'lagged.json',
      'late-spike.json',
      'mid-period-install.json',
      'noisy.json',
      'steady.json',
      'weekday-heavy.json',
      'weekday-pattern.json',
    ]);
  });

  it('shows why pace exists: auto runs out in the weekday-heavy and late-spike scenarios', () => {
    expect(simulate(load('weekday-heavy.json'), 'auto').exhaustedAt).not.toBeNull();
    expect(simulate(load('late-spike.json'), 'auto').exhaustedAt).not.toBeNull();
  });
});

describe('simulate', () => {
  const base = {
    quota: 100,
    start: '2025-11-01T00:00:00Z',
    orchestratorCron: '7 0 * * *',
    otherUsagePerDay: 0,
    workflows: [
      {
        name: 'w.yml',
        aggressive: '0 */2 * * *',
        normal: '0 */4 * * *',
        conservative: '0 0 * * *',
      },
    ],
  };

  it('counts runs on the crons in force, ends at the reset, and records exhaustion', () => {
    // A quota of 100 against 6 to 12 runs a day: auto swings between its modes and runs out.
    const result = simulate(parseScenario(base, 'inline'), 'auto');
    expect(result.finalUsed).toBe(100);
    expect(Date.parse(result.exhaustedAt ?? '')).toBeLessThan(Date.parse('2025-12-01T00:00:00Z'));
    expect(result.runs['w.yml']).toBe(100);
    expect(result.daily).toHaveLength(30);
    expect(result.daily.at(-1)).toBe(100);
  });

  it('takes other usage day by day, repeating the list', () => {
    const scenario = parseScenario(
      {
        ...base,
        quota: 1e6,
        otherUsagePerDay: [10, 0],
        workflows: [{ ...base.workflows[0], costPerRun: 0.001 }],
      },
      'inline',
    );
    const { daily } = simulate(scenario, 'auto');
    // 15 days of 10 over 30 days, plus the runs at 0.001 each.
    expect(Math.round(daily.at(-1) ?? 0)).toBe(150);
    expect(Math.round(daily[0] ?? 0)).toBe(10);
    expect(Math.round(daily[1] ?? 0)).toBe(10);
  });

  it('starts from usedAtStart at a mid-period install', () => {
    const result = simulate(
      parseScenario(
        { ...base, quota: 1e6, start: '2025-11-30T00:00:00Z', usedAtStart: 500 },
        'inline',
      ),
      'pace',
    );
    expect(result.daily).toHaveLength(1);
    expect(result.finalUsed).toBeGreaterThan(500);
  });

  it("plays agentic workflows whose tiers are gh-aw forms, counting runs from the forms' table", () => {
    const fuzzy = {
      ...base,
      quota: 1e6,
      workflows: [
        { name: 'digest.md', aggressive: 'every 6h', normal: 'every 6h', conservative: 'every 6h' },
        {
          name: 'triage.md',
          aggressive: 'daily on weekdays',
          normal: 'daily on weekdays',
          conservative: 'daily on weekdays',
        },
      ],
    };
    const result = simulate(parseScenario(fuzzy, 'inline'), 'auto');
    // November 2025: 30 days, 20 of them Monday to Friday; 4 and 5/7 runs a day by the table.
    expect(result.runs['digest.md']).toBe(4 * 30);
    expect(result.runs['triage.md']).toBe(20);
    expect(() =>
      parseScenario(
        {
          ...base,
          workflows: [
            { name: 'w.yml', aggressive: 'every 2h', normal: 'daily', conservative: 'daily' },
            { name: 'r.md', aggressive: 'every 2h', normal: 'monthly', conservative: 'daily' },
          ],
        },
        'fuzzy.json',
      ),
    ).toThrow(
      /fuzzy\.json:\n- workflows\[0\]\.aggressive cron 'every 2h' is not valid: expected 5 fields.*\n- workflows\[1\]\.normal: schedule 'monthly' is not a form gh-aw accepts/s,
    );
  });

  it('names every problem of a bad scenario', () => {
    expect(() =>
      parseScenario(
        {
          quota: 0,
          start: 'x',
          orchestratorCron: '@daily',
          otherUsagePerDay: [],
          workflows: [{ normal: 'L' }],
        },
        'bad.json',
      ),
    ).toThrow(
      /bad\.json:\n- 'quota' must be a number greater than 0.*\n- 'start' must be an ISO 8601 time\n- 'orchestratorCron' '@daily' is not valid/s,
    );
  });
});

describe('npm run simulate', () => {
  it('prints one JSON object with every policy, the gate strategies beside the rewriting ones', () => {
    const out = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist/cli/index.js'),
        'simulate',
        '--scenario',
        join(DIR, 'steady.json'),
        '--json',
      ],
      { encoding: 'utf8' },
    );
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(Object.keys(report.policies)).toEqual(['auto', 'pace', 'gate-auto', 'gate-pace']);
    // Behind the gate no cron changes, so no pull request.
    expect(report.policies['gate-pace'].scheduleChanges).toBe(0);
    expect(report.policies['gate-pace'].utilization).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(report.policies.pace).sort()).toEqual([
      'exhaustedAt',
      'finalUsed',
      'runs',
      'scheduleChanges',
      'utilization',
    ]);
    expect(Object.keys(report.policies.pace.runs)).toContain('agent-spawner.yml');
  });

  it('draws the curves against the quota in the terminal', () => {
    const out = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/index.js'), 'simulate', '--scenario', join(DIR, 'late-spike.json')],
      {
        encoding: 'utf8',
      },
    );
    expect(out.stdout).toContain('| late-spike | pace |');
    expect(out.stdout).toMatch(/^quota \|-+/m);
    expect(out.stdout).toContain(
      'a = auto, p = pace, A = gate-auto, P = gate-pace; * = more than one; - = the quota (1500)',
    );
  });
});
