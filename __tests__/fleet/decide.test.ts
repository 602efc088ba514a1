import { describe, expect, it } from 'vitest';
import {
  decideFleet,
  type FleetDecisionInput,
  type FleetRepository,
} from '../../src/fleet/decide.js';
import { fill, type PacedWorkflow, reserve } from '../../src/pacing/controller.js';
import { paceState } from '../../src/pacing/decision.js';
import type { Observation } from '../../src/pacing/forecast.js';

const DAY = 86_400_000;
const START = Date.parse('2025-11-01T00:00:00Z');
const END = Date.parse('2025-12-01T00:00:00Z');

const wf = (name: string, over: Partial<PacedWorkflow> = {}) => ({
  name,
  cost: 1,
  priority: 0,
  minRate: 1,
  maxRate: 24,
  rate: 4,
  ...over,
});

/** Daily observations of the pool from the period start: other use a day plus the rates. */
function history(
  days: number,
  otherPerDay: number,
  rates: Record<string, number>,
  cost = (_k: string) => 1,
) {
  const managed = Object.entries(rates).reduce((sum, [k, r]) => sum + r * cost(k), 0);
  const observations: Observation[] = [];
  for (let d = 0; d <= days; d++) {
    observations.push({ time: START + d * DAY, used: d * (otherPerDay + managed), rates });
  }
  return observations;
}

const input = (
  repositories: FleetRepository[],
  over: Partial<FleetDecisionInput> = {},
): FleetDecisionInput => {
  const rates = Object.fromEntries(
    repositories.flatMap((r) => r.workflows.map((w) => [`${r.repo}/${w.name}`, w.rate])),
  );
  const observations = history(10, 70, rates);
  return {
    quota: 3000,
    figure: (observations.at(-1) as Observation).used,
    now: START + 10 * DAY,
    periodStart: START,
    periodEnd: END,
    targetPercent: 95,
    observations,
    repositories,
    ...over,
  };
};

const rateOf = (d: ReturnType<typeof decideFleet>, key: string) =>
  d.workflows.find((w) => w.key === key)?.rate as number;

describe('decideFleet', () => {
  it('keys every workflow owner/repo/workflow and keeps the rates before any history', () => {
    const d = decideFleet(
      input([{ repo: 'o/a', priority: 0, workflows: [wf('x.yml', { rate: 3 })] }], {
        observations: [],
        figure: 0,
        now: START + DAY / 2,
      }),
    );
    expect(d.workflows).toEqual([
      expect.objectContaining({ key: 'o/a/x.yml', repo: 'o/a', workflow: 'x.yml', rate: 3 }),
    ]);
    expect(d.changed).toBe(false);
    expect(d.reason).toMatch(/no usage history/);
  });

  it('lands the whole pool on its aim with the rates it sets', () => {
    const d = decideFleet(
      input([
        { repo: 'o/a', priority: 0, workflows: [wf('x.yml')] },
        {
          repo: 'o/b',
          priority: 0,
          workflows: [wf('y.yml', { cost: 2, minRate: 2, maxRate: 48 })],
        },
      ]),
    );
    expect(d.changed).toBe(true);
    expect(d.landing).toBeCloseTo(d.aim, 6);
    expect(d.aim).toBeLessThan(3000);
  });

  it('when the pool is short, the highest-priority workflows keep their rates before lower ones get any', () => {
    // People spend 88 a day of a pool of 3000: 3.75 a day is left for the managed runs.
    const repos: FleetRepository[] = [
      { repo: 'o/low', priority: 0, workflows: [wf('a.yml', { minRate: 2 }), wf('b.yml')] },
      { repo: 'o/high', priority: 1, workflows: [wf('c.yml', { minRate: 2 })] },
    ];
    const rates = Object.fromEntries(
      repos.flatMap((r) => r.workflows.map((w) => [`${r.repo}/${w.name}`, w.rate])),
    );
    const observations = history(10, 88, rates);
    const d = decideFleet(
      input(repos, { observations, figure: (observations.at(-1) as Observation).used }),
    );
    expect(rateOf(d, 'o/high/c.yml')).toBeCloseTo(2, 6);
    expect(rateOf(d, 'o/low/a.yml')).toBeCloseTo(1.75, 6);
    expect(rateOf(d, 'o/low/b.yml')).toBe(0);
    expect(d.workflows.find((w) => w.key === 'o/low/b.yml')?.reason).toMatch(/paused/);
    expect(d.landing).toBeCloseTo(d.aim, 6);
  });

  it('spends the reserve released within the next days, as gates cannot check the budget', () => {
    // Four days before the reset the controller alone holds 4/6 of the target's reserve (150);
    // the fleet's plan, aimed 3 days ahead, holds 1/6 of it besides the base (0.5% of the pool).
    const repos: FleetRepository[] = [{ repo: 'o/a', priority: 0, workflows: [wf('x.yml')] }];
    const late = { ...input(repos), now: END - 4 * DAY };
    const state = paceState({ ...late, workflows: [{ ...wf('o/a/x.yml') }] });
    expect(reserve(state)).toBeCloseTo(15 + (150 * 4) / 6, 6);
    expect(reserve({ ...state, releaseAheadMs: 3 * DAY })).toBeCloseTo(15 + 150 / 6, 6);
    expect(decideFleet(late).aim).toBeCloseTo(3000 - 15 - 150 / 6, 6);
    expect(decideFleet({ ...late, releaseAheadMs: 0 }).aim).toBeCloseTo(3000 - 15 - 100, 6);
  });

  it('rejects a workflow listed twice', () => {
    const r = { repo: 'o/a', priority: 0, workflows: [wf('x.yml'), wf('x.yml')] };
    expect(() => decideFleet(input([r]))).toThrow(/o\/a\/x.yml twice/);
  });

  it("a floor holds against another repository's spike", () => {
    // o/b's people spend 70 a day, leaving about 34 a day for the managed runs; o/b's workflow
    // has the higher priority and could take it all.
    const repos = (floorShare?: number): FleetRepository[] => [
      {
        repo: 'o/a',
        priority: 0,
        ...(floorShare ? { floorShare } : {}),
        workflows: [wf('essential.yml')],
      },
      {
        repo: 'o/b',
        priority: 1,
        workflows: [wf('agent.yml', { cost: 2, minRate: 2, maxRate: 48 })],
      },
    ];
    const without = decideFleet(input(repos()));
    expect(rateOf(without, 'o/a/essential.yml')).toBeCloseTo(1, 6);
    const floored = decideFleet(input(repos(0.2)));
    // 20% of 3000 over 30 days: 20 a day, 20 runs at cost 1.
    expect(rateOf(floored, 'o/a/essential.yml')).toBeCloseTo(20, 6);
    expect(rateOf(floored, 'o/b/agent.yml')).toBeGreaterThan(2);
    expect(floored.landing).toBeCloseTo(floored.aim, 6);
    expect(floored.workflows[1]?.reason).toMatch(/floor 20% of the pool/);
  });

  it("orders by repository priority first, then the workflow's own", () => {
    const d = decideFleet(
      input([
        { repo: 'o/low', priority: 0, workflows: [wf('top.yml', { priority: 9 })] },
        {
          repo: 'o/high',
          priority: 1,
          workflows: [wf('w.yml', { maxRate: 15 }), wf('v.yml', { priority: 1, maxRate: 10 })],
        },
      ]),
    );
    expect(d.workflows.map((w) => w.key)).toEqual([
      'o/high/v.yml',
      'o/high/w.yml',
      'o/low/top.yml',
    ]);
    // About 31 a day: the high repository's two speed up to their fastest first (25).
    expect(rateOf(d, 'o/high/v.yml')).toBeCloseTo(10, 6);
    expect(rateOf(d, 'o/high/w.yml')).toBeCloseTo(15, 6);
    expect(rateOf(d, 'o/low/top.yml')).toBeGreaterThan(1);
    expect(rateOf(d, 'o/low/top.yml')).toBeLessThan(24);
  });
});

describe('fill with groups: when the pool is short, the highest-priority workflows keep their rates before lower ones get any', () => {
  const group = { name: 'o/a', floorPerDay: 0 };
  const high = { ...wf('high', { priority: 2, minRate: 2, maxRate: 10 }), group };
  const mid = { ...wf('mid', { priority: 1, minRate: 2, maxRate: 10 }), group };
  const low = {
    ...wf('low', { priority: 0, minRate: 2, maxRate: 10 }),
    group: { name: 'o/b', floorPerDay: 0 },
  };
  const cases: [number, Record<string, number>][] = [
    [40, { high: 10, mid: 10, low: 10 }],
    [25, { high: 10, mid: 10, low: 5 }],
    [14, { high: 10, mid: 2, low: 2 }],
    [6, { high: 2, mid: 2, low: 2 }],
    [5, { high: 2, mid: 2, low: 1 }],
    [3, { high: 2, mid: 1, low: 0 }],
    [1, { high: 1, mid: 0, low: 0 }],
    [-4, { high: 0, mid: 0, low: 0 }],
  ];
  it.each(cases)('a budget of %d a day gives %j', (budget, want) => {
    const rates = fill([low, mid, high], budget);
    for (const [name, rate] of Object.entries(want)) expect(rates[name]).toBeCloseTo(rate, 9);
  });

  it('a floor comes first, then priority; floors beyond the budget are scaled alike', () => {
    const a = { name: 'o/a', floorPerDay: 6 };
    const b = { name: 'o/b', floorPerDay: 6 };
    const ws = [
      { ...high, group: b },
      { ...wf('lowA', { minRate: 2, maxRate: 10 }), group: a },
    ];
    expect(fill(ws, 16)).toEqual({ high: 10, lowA: 6 });
    expect(fill(ws, 10)).toEqual({ high: 5, lowA: 5 });
    expect(fill(ws, 6)).toEqual({ high: 3, lowA: 3 });
    // A floor the group's workflows cannot spend goes to the others.
    const small = [
      { ...high, group: b },
      { ...wf('lowA', { minRate: 1, maxRate: 2 }), group: { name: 'o/a', floorPerDay: 50 } },
    ];
    expect(fill(small, 20)).toEqual({ high: 10, lowA: 2 });
  });

  it('leaves a fill without groups as it was', () => {
    const plain = [
      wf('high', { priority: 2, minRate: 2, maxRate: 10 }),
      wf('low', { minRate: 2, maxRate: 10 }),
    ];
    expect(fill(plain, 2)).toEqual({ high: 1, low: 1 });
    expect(fill(plain, 14)).toEqual({ high: 10, low: 4 });
  });
});
