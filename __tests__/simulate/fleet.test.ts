import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGE_SHARE, MIN_CHANGE, simulateFleet } from '../../src/simulate/fleet.js';
import { parseScenario } from '../../src/simulate/scenario.js';
import { simulate } from '../../src/simulate/simulator.js';
import { ROOT } from '../helpers/run-action.js';

const wf = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  aggressive: '0 * * * *',
  normal: '0 */4 * * *',
  conservative: '0 0 * * *',
  ...over,
});
const base = {
  quota: 2000,
  start: '2025-11-01T00:00:00Z',
  orchestratorCron: '7 0 * * *',
  repositories: [
    { repo: 'o/a', otherUsagePerDay: 10, workflows: [wf('a.yml')] },
    { repo: 'o/b', priority: 1, otherUsagePerDay: 20, workflows: [wf('b.yml')] },
  ],
};
const fleet = (over: Record<string, unknown> = {}) =>
  parseScenario({ ...base, ...over }, 'inline.json');

describe('a fleet scenario', () => {
  it('reads the repositories with their defaults', () => {
    const s = fleet();
    expect(s.workflows).toEqual([]);
    expect(s.repositories?.map((r) => [r.repo, r.priority, r.floorShare, r.joinDay])).toEqual([
      ['o/a', 0, 0, 1],
      ['o/b', 1, 0, 1],
    ]);
  });

  it('names every problem of its repositories at once', () => {
    expect(() =>
      parseScenario(
        {
          ...base,
          workflows: [wf('x.yml')],
          repositories: [
            { repo: 'nope', floorShare: 0.7, joinDay: 0, otherUsagePerDay: -1, workflows: [] },
            {
              repo: 'o/b',
              floorShare: 0.5,
              otherUsagePerDay: 1,
              workflows: [wf('b.yml'), wf('b.yml')],
            },
            { repo: 'o/b', otherUsagePerDay: 1, workflows: [wf('c.yml')] },
          ],
        },
        'bad.json',
      ),
    ).toThrow(
      new RegExp(
        [
          "'workflows' belongs to each repository",
          'repositories\\[0\\]\\.repo must be \'owner/name\', got "nope"',
          'repositories\\[0\\]\\.joinDay must be a whole number from 1 to 31',
          "'repositories\\[0\\]\\.otherUsagePerDay' must be a number of 0 or more",
          "'repositories\\[0\\]\\.workflows' must be a non-empty list",
          'repositories\\[2\\]\\.repo o/b is listed twice',
          'repositories\\[1\\]\\.workflows\\[1\\]\\.name b\\.yml is listed twice',
          "the repositories' floorShare add up to 1\\.2",
        ].join('.*'),
        's',
      ),
    );
  });

  it('plays only with the fleet simulator', () => {
    expect(() => simulate(fleet(), 'pace')).toThrow(/simulateFleet/);
  });
});

describe('simulateFleet', () => {
  it('starts a repository joining mid-month, with its people, on its join day', () => {
    const s = fleet({
      quota: 1e6,
      repositories: [
        { repo: 'o/a', otherUsagePerDay: 10, workflows: [wf('a.yml', { costPerRun: 0.001 })] },
        { repo: 'o/late', joinDay: 21, otherUsagePerDay: 100, workflows: [wf('l.yml')] },
      ],
    });
    const r = simulateFleet(s, 'fleet');
    // Days 1 to 20: o/a's people only (its runs cost next to nothing); o/late from day 21.
    expect(Math.round(r.daily[19] as number)).toBe(200);
    expect(r.daily[20] as number).toBeGreaterThan(200 + 100);
    // The control run at 00:07 on its join day plans for it at once: the pool lets it run at
    // its fastest (24 a day) for its 10 days.
    expect(r.runs['o/late/l.yml']).toBeGreaterThanOrEqual(9 * 24 + 6);
    expect(r.runs['o/late/l.yml']).toBeLessThanOrEqual(10 * 24);
    expect(r.kept['o/late/l.yml']).toBeGreaterThan(0.8);
  });

  it('counts a schedule change only when a rate moves beyond the tolerance, for every policy', () => {
    expect(CHANGE_SHARE).toBeGreaterThan(0);
    expect(MIN_CHANGE).toBeGreaterThan(0);
    // A pool far larger than the workflows can spend: every rate goes to its fastest once.
    const loose = fleet({ quota: 1e6 });
    for (const policy of ['alone-pool', 'alone-share', 'fleet'] as const)
      expect(simulateFleet(loose, policy).scheduleChanges).toBe(2);
  });

  it("varies each repository's people on its own with the noise, and repeats a seed exactly", () => {
    const s = fleet();
    const a = simulateFleet(s, 'fleet', { seed: 3, noise: 0.4 });
    expect(simulateFleet(s, 'fleet', { seed: 3, noise: 0.4 })).toEqual(a);
    expect(simulateFleet(s, 'fleet', { seed: 4, noise: 0.4 }).finalUsed).not.toBe(a.finalUsed);
  });

  it('alone-share holds each repository to its equal share of the pool', () => {
    // o/a's people spend nothing and its workflow at most 12 a day; o/b's people alone spend
    // more than half the pool, so its workflow is held back while o/a's share goes unused.
    const s = fleet({
      quota: 1500,
      repositories: [
        {
          repo: 'o/a',
          otherUsagePerDay: 0,
          workflows: [wf('a.yml', { aggressive: '0 */2 * * *' })],
        },
        { repo: 'o/b', priority: 1, otherUsagePerDay: 30, workflows: [wf('b.yml')] },
      ],
    });
    const share = simulateFleet(s, 'alone-share');
    const pooled = simulateFleet(s, 'fleet');
    expect(share.repositories['o/b']?.spent).toBeLessThan(20);
    expect(pooled.repositories['o/b']?.spent).toBeGreaterThan(300);
    expect(pooled.utilization).toBeGreaterThan(share.utilization);
  });
});

describe('npm run simulate on a fleet scenario', () => {
  it('plays the three fleet policies', () => {
    const out = spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist/cli/index.js'),
        'simulate',
        '--scenario',
        join(ROOT, 'scenarios/fleet-quiet-busy.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(out.status).toBe(0);
    for (const policy of ['alone-pool', 'alone-share', 'fleet'])
      expect(out.stdout).toContain(`| fleet-quiet-busy | ${policy} |`);
    expect(out.stdout).toContain('p = alone-pool, s = alone-share, f = fleet');
  });
});
