import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_POLICIES, type FleetPolicy, simulateFleet } from '../../src/simulate/fleet.js';
import { seedSummary } from '../../src/simulate/report.js';
import { parseScenario } from '../../src/simulate/scenario.js';
import { ROOT } from '../helpers/run-action.js';

// The floors of issue 16, on every fleet scenario in scenarios/. The bench runs 40 seeds; the
// test runs fewer to stay quick, with the same limit of one run-out (so a harsher share).
const SEEDS = 20;
const NOISE = 0.4;
const DIR = join(ROOT, 'scenarios');
const files = readdirSync(DIR)
  .filter((f) => f.startsWith('fleet-') && f.endsWith('.json'))
  .sort();
const load = (file: string) =>
  parseScenario(JSON.parse(readFileSync(join(DIR, file), 'utf8')), file);

it('every fleet- scenario is a fleet', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (const file of files) expect(load(file).repositories?.length).toBeGreaterThan(1);
});

describe.each(files)('%s', (file) => {
  const scenario = load(file);
  const single = Object.fromEntries(
    FLEET_POLICIES.map((p) => [p, simulateFleet(scenario, p)]),
  ) as Record<FleetPolicy, ReturnType<typeof simulateFleet>>;
  const fleet = single.fleet;

  it('single run: the fleet uses ≥ 96% of the pool, never runs out, and breaks no floor', () => {
    expect(fleet.exhaustedAt).toBeNull();
    expect(fleet.utilization).toBeGreaterThanOrEqual(0.96);
    for (const [repo, r] of Object.entries(fleet.repositories))
      expect(r.floorKept, `${repo} spent ${r.spent} of a floor of ${r.floor}`).toBe(true);
  });

  it('single run: within 1 point of the better alone-policy, fewer changes than alone-pool', () => {
    const better = Math.max(single['alone-pool'].utilization, single['alone-share'].utilization);
    expect(fleet.utilization).toBeGreaterThanOrEqual(better - 0.01);
    expect(fleet.scheduleChanges).toBeLessThan(single['alone-pool'].scheduleChanges);
  });

  it('single run: the higher a workflow ranks, the more of its speed-up it keeps', () => {
    // Rank: the repository's priority, then the workflow's; a repository with a floor is served
    // its floor first, so only the others are ranked against each other.
    const ranked = (scenario.repositories ?? [])
      .filter((r) => r.floorShare === 0)
      .flatMap((r) => r.workflows.map((w) => ({ r, w, key: `${r.repo}/${w.name}` })))
      .sort((a, b) => b.r.priority - a.r.priority || b.w.priority - a.w.priority);
    const kept = ranked.map((x) => fleet.kept[x.key] as number);
    // The pool is short: someone is held back.
    expect(Math.min(...kept)).toBeLessThan(0.9);
    for (let i = 1; i < kept.length; i++)
      expect(kept[i], `${ranked[i]?.key} below ${ranked[i - 1]?.key}`).toBeLessThanOrEqual(
        (kept[i - 1] as number) + 0.02,
      );
  });

  it(`${SEEDS} seeds at ±${NOISE * 100}%: out at most once, within 1 point of the better alone-policy, fewer changes than alone-pool`, () => {
    const run = (policy: FleetPolicy) =>
      seedSummary(
        Array.from({ length: SEEDS }, (_, i) =>
          simulateFleet(scenario, policy, { seed: i + 1, noise: NOISE }),
        ),
      );
    const [pool, share, mine] = FLEET_POLICIES.map(run) as [
      ReturnType<typeof run>,
      ReturnType<typeof run>,
      ReturnType<typeof run>,
    ];
    expect(mine.out).toBeLessThanOrEqual(1);
    expect(mine.median).toBeGreaterThanOrEqual(Math.max(pool.median, share.median) - 0.01);
    expect(mine.changes).toBeLessThan(pool.changes);
  });
});
