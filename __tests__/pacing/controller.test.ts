import { describe, expect, it } from 'vitest';
import {
  aimOf,
  budgetCovers,
  fill,
  landing,
  type PacedWorkflow,
  type PaceState,
  planRates,
  reserve,
} from '../../src/pacing/controller.js';
import { budgetGate, type PacingInput } from '../../src/pacing/decision.js';
import type { OtherForecast } from '../../src/pacing/forecast.js';
import { rateSteps } from '../../src/pacing/rates.js';

const DAY = 86_400_000;
const START = Date.parse('2025-11-01T00:00:00Z');
const END = Date.parse('2025-12-01T00:00:00Z');
const flat = (level: number, spread = 0, measured = true): OtherForecast => ({
  level,
  factors: Array(7).fill(1),
  spread,
  ...(measured ? { measuredSpread: spread } : {}),
  days: 14,
});
const agent: PacedWorkflow = {
  name: 'agent.yml',
  cost: 2,
  priority: 2,
  minRate: 4,
  maxRate: 12,
  steps: rateSteps(4, 12),
  rate: 8,
};
const ideas: PacedWorkflow = {
  name: 'ideas.yml',
  cost: 3,
  priority: 0,
  minRate: 1 / 7,
  maxRate: 6,
  steps: rateSteps(1 / 7, 6),
  rate: 1,
};
const state = (over: Partial<PaceState> = {}): PaceState => ({
  quota: 1500,
  used: 0,
  now: START,
  periodStart: START,
  periodEnd: END,
  targetPercent: 95,
  other: flat(15),
  workflows: [agent, ideas],
  ...over,
});

describe('reserve and aim', () => {
  const gated = [agent, ideas].map(({ steps: _s, ...w }) => w);
  // What the slowest schedules spend a day: agent 4 runs × 2, ideas one a week × 3.
  const slowest = 4 * 2 + (1 / 7) * 3;

  it('holds the target share early and releases it before the reset, down to one dear run', () => {
    expect(reserve(state({ workflows: gated }))).toBeCloseTo(7.5 + 75, 6);
    expect(reserve(state({ workflows: gated, now: END - 3 * DAY }))).toBeCloseTo(7.5 + 37.5, 6);
    expect(reserve(state({ now: END - 60_000 }))).toBeLessThan(8);
    expect(aimOf(state({ now: END - 60_000 }))).toBeGreaterThan(1492);
  });

  it('holds, for schedule files, what their slowest schedules spend over the release and a correction', () => {
    // A schedule file cannot go below its slowest tier, so a late spike is met from this slack.
    expect(reserve(state())).toBeCloseTo(7.5 + 75 + slowest * (6 + 3), 6);
    expect(reserve(state({ now: END - 3 * DAY }))).toBeCloseTo(7.5 + (75 + slowest * 9) / 2, 6);
  });

  it('grows with how much the other use varies once the held share is released', () => {
    const late = { now: END - DAY, workflows: gated };
    const calm = reserve(state({ ...late, other: flat(15, 0) }));
    const noisy = reserve(state({ ...late, other: flat(15, 0.5) }));
    // Held: 75 / 6 = 12.5; two deviations over the last day: 2 × 7.5 × √(1 + 1/14) ≈ 15.5.
    expect(calm).toBeCloseTo(7.5 + 12.5, 6);
    expect(noisy).toBeCloseTo(7.5 + 2 * 7.5 * Math.sqrt(1 + 1 / 14), 6);
  });
});

describe('fill', () => {
  it('speeds up the highest priority first, to whole steps, and lets a finer one use the rest', () => {
    // 40 a day: agent takes 12 runs (24); ideas gets 16 / 3 = 5.33, so 5 runs.
    expect(fill([agent, ideas], 40)).toEqual({ 'agent.yml': 12, 'ideas.yml': 5 });
  });

  it('keeps a schedule file at its slowest when the budget is short, and scales the gate below it', () => {
    expect(fill([agent, ideas], 1)).toEqual({ 'agent.yml': 4, 'ideas.yml': 1 / 7 });
    const gate = fill(
      [agent, ideas].map(({ steps: _s, ...w }) => w),
      4.2,
    );
    // 4.2 of the 8 + 3/7 the slowest rates need: each at that share of its slowest.
    expect(gate['agent.yml']).toBeCloseTo((4 * 4.2) / (8 + 3 / 7), 6);
  });
});

describe('planRates', () => {
  it('sets rates that land just under the aim, and keeps them inside the band', () => {
    const plan = planRates(state());
    expect(plan.changed).toBe(true);
    expect(plan.landing).toBeLessThanOrEqual(plan.aim + 1e-6);
    // Within one step of the coarsest remaining workflow (ideas: 3 a day over 30 days).
    expect(plan.landing).toBeGreaterThan(plan.aim - 3 * 30);
    const again = planRates(
      state({
        workflows: [
          { ...agent, rate: plan.rates['agent.yml'] as number },
          { ...ideas, rate: plan.rates['ideas.yml'] as number },
        ],
      }),
    );
    expect(again.changed).toBe(false);
  });

  it('for a week after a change, lets a landing twice as far off stand', () => {
    // 20 days left at 19 a day managed and 30.8 other: 300 + 616 + 380 = 1296, 45.6 under an
    // aim of 1341.6 (1500 less 7.5, 75 and 75.9 held): past the band (30), within twice it.
    const off = state({ now: START + 10 * DAY, used: 300, other: flat(30.8) });
    expect(landing(off, {})).toBeCloseTo(1296, 6);
    expect(planRates(off).changed).toBe(true);
    expect(planRates({ ...off, changedAt: START + 8 * DAY }).changed).toBe(false);
    expect(planRates({ ...off, changedAt: START + 2 * DAY }).changed).toBe(true);
  });

  it('never lets a landing past the quota stand, however wide the band', () => {
    // A spread of 0.6 over two days of history makes a band of hundreds, settling doubles it;
    // the landing at these rates (900 + 400 + 380) still passes the quota, so it changes.
    const over = state({
      now: START + 10 * DAY,
      used: 900,
      other: { ...flat(20, 0.6), days: 2 },
      changedAt: START + 9 * DAY,
    });
    expect(landing(over, {})).toBeCloseTo(1680, 6);
    const plan = planRates(over);
    expect(plan.changed).toBe(true);
    expect(plan.landing).toBeLessThan(1680);
  });

  it('inside the release window aims near the whole quota, less what the other use may run over', () => {
    // Four days left: the aim still holds two thirds of the reserve (1391.9); the change aims
    // at the end's (1500 less 7.5 and two deviations), as far as the fastest rates reach.
    const release = state({ now: END - 4 * DAY, used: 1200, other: flat(10, 0.1) });
    const plan = planRates(release);
    expect(plan.changed).toBe(true);
    expect(plan.aim).toBeCloseTo(1500 - 7.5 - ((75 + (8 + 3 / 7) * 9) * 4) / 6, 6);
    expect(plan.landing).toBeGreaterThan(plan.aim);
    expect(plan.landing).toBeLessThan(1500 - 7.5);
  });

  it('only writes rates a schedule file can hold', () => {
    const plan = planRates(state({ other: flat(17.3) }));
    for (const w of [agent, ideas]) expect(w.steps).toContain(plan.rates[w.name]);
  });

  it('keeps the rates before any history', () => {
    const plan = planRates(state({ other: undefined }));
    expect(plan.changed).toBe(false);
    expect(plan.rates).toEqual({ 'agent.yml': 8, 'ideas.yml': 1 });
  });

  it('runs the old rates until a merge when the pull request waits', () => {
    // With two days of merge delay at the fastest rates, less is left for the new ones.
    const fast = [
      { ...agent, rate: 12 },
      { ...ideas, rate: 6 },
    ];
    const now = planRates(state({ workflows: fast, other: flat(25) }));
    const delayed = planRates(state({ workflows: fast, other: flat(25), mergeDelayMs: 2 * DAY }));
    const spend = (r: Record<string, number>) =>
      (r['agent.yml'] ?? 0) * 2 + (r['ideas.yml'] ?? 0) * 3;
    expect(spend(delayed.rates)).toBeLessThan(spend(now.rates));
  });
});

describe('budgetCovers and budgetGate', () => {
  it('covers a run only while what remains covers it, the other use to the reset and the reserve', () => {
    const s = state({ now: END - 2 * DAY, used: 1400 });
    // 100 left; other 30 to the reset; reserve 7.5 + 25.
    expect(budgetCovers(s, 2).covers).toBe(true);
    expect(budgetCovers({ ...s, used: 1440 }, 2).covers).toBe(false);
  });

  const input = (over: Partial<PacingInput> = {}): PacingInput => ({
    quota: 1500,
    figure: 700,
    now: START + 15 * DAY,
    periodStart: START,
    periodEnd: END,
    targetPercent: 95,
    observations: Array.from({ length: 15 }, (_, i) => ({
      time: START + i * DAY,
      used: i * 46,
      rates: { 'agent.yml': 12, 'ideas.yml': 1 },
    })),
    workflows: [agent, ideas].map(({ steps: _s, ...w }) => w),
    ...over,
  });

  it('skips with the reason once the budget is spent, and lets the planned share through before', () => {
    const spent = budgetGate(input({ figure: 1480 }), 'agent.yml', {
      previous: START + 15 * DAY - 2 * 3_600_000,
      now: START + 15 * DAY,
    });
    expect(spent.proceed).toBe(false);
    expect(spent.reason).toMatch(/does not cover this run/);
    // On course: over a day of two-hourly firings, about the planned rate goes ahead.
    let through = 0;
    let rate = 0;
    for (let h = 2; h <= 24; h += 2) {
      const now = START + 15 * DAY + h * 3_600_000;
      const a = budgetGate(input({ now }), 'agent.yml', { previous: now - 2 * 3_600_000, now });
      rate = a.rate;
      if (a.proceed) through++;
    }
    expect(Math.abs(through - rate)).toBeLessThanOrEqual(1);
    expect(rate).toBeGreaterThan(4);
  });
});
