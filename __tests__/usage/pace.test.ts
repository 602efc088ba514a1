import { describe, expect, it } from 'vitest';
import {
  BAND,
  DWELL_MS,
  decidePace,
  otherRate,
  type PacedWorkflow,
  type PaceInput,
} from '../../src/usage/pace.js';
import { DAY_MS } from '../../src/usage/period.js';

const NOW = Date.parse('2025-11-11T00:00:00Z');
const END = Date.parse('2025-12-01T00:00:00Z'); // 20 days left

const workflow = (
  name: string,
  priority: number,
  extra: Partial<PacedWorkflow> = {},
): PacedWorkflow => ({
  name,
  cost: 1,
  priority,
  // 10 a day slow, 20 normal, 30 fast
  runsPerDay: { conservative: 10, normal: 20, aggressive: 30 },
  current: 'normal',
  ...extra,
});

function input(extra: Partial<PaceInput>): PaceInput {
  return {
    quota: 2000,
    used: 500,
    now: NOW,
    periodEnd: END,
    targetPercent: 95,
    otherPerDay: 0,
    workflows: [workflow('high.yml', 2), workflow('low.yml', 1)],
    ...extra,
  };
}

describe('decidePace', () => {
  it('keeps the tiers while the projection is in the band under the target', () => {
    // 500 + 40 a day × 20 days = 1300; target 1900, band 100: out. With 1400 used: 2200 -> out;
    // with 1050 used: 1850, inside [1800, 1900].
    const d = decidePace(input({ used: 1050 }));
    expect(d.tiers).toEqual({ 'high.yml': 'normal', 'low.yml': 'normal' });
    expect(d.reason).toMatch(/^on course for 1850 of a target of 1900/);
  });

  it('speeds the high priority up first when there is room', () => {
    // Aim 1900 - 50 = 1850: (1850 - 500) / 20 = 67.5 a day: high fast (30) + low normal (20) = 50 ≤ 67.5,
    // both fast = 60 ≤ 67.5.
    expect(decidePace(input({})).tiers).toEqual({
      'high.yml': 'aggressive',
      'low.yml': 'aggressive',
    });
    // 1300 used: (1850 - 1300) / 20 = 27.5 a day: both slow (20), then high normal (30) > 27.5 -> no.
    // With a little more room, 32.5 a day (1200 used): high normal (30) yes, low normal (40) no.
    expect(decidePace(input({ used: 1200 })).tiers).toEqual({
      'high.yml': 'normal',
      'low.yml': 'conservative',
    });
  });

  it('slows the low priority down first when the budget is short', () => {
    const d = decidePace(input({ used: 1200, otherPerDay: 0 }));
    expect(d.tiers['low.yml']).toBe('conservative');
    expect(d.tiers['high.yml']).toBe('normal');
  });

  it('lets a recent change stand, unless keeping it passes the target', () => {
    const recent = { changedAt: NOW - DWELL_MS / 2 };
    const calm = decidePace(
      input({ workflows: [workflow('high.yml', 2, recent), workflow('low.yml', 1, recent)] }),
    );
    expect(calm.tiers).toEqual({ 'high.yml': 'normal', 'low.yml': 'normal' });
    const risky = decidePace(
      input({
        used: 1500,
        workflows: [workflow('high.yml', 2, recent), workflow('low.yml', 1, recent)],
      }),
    );
    expect(risky.tiers).toEqual({ 'high.yml': 'conservative', 'low.yml': 'conservative' });
  });

  it('releases the reserve in the last days, keeping one run of the dearest workflow', () => {
    // Two days left at 40 a day: 1780 at the reset, under the released target of 2000 - 1.
    const d = decidePace(input({ now: END - 2 * DAY_MS, used: 1700 }));
    expect(d.reason).toMatch(/of a target of 1999 \(reserve released for the last days\)/);
    expect(d.tiers).toEqual({ 'high.yml': 'aggressive', 'low.yml': 'aggressive' });
    expect(d.projected).toBe(1820);
  });

  it('puts everything at its slowest tier when less than one run is left', () => {
    const d = decidePace(input({ used: 1999.5 }));
    expect(d.tiers).toEqual({ 'high.yml': 'conservative', 'low.yml': 'conservative' });
    expect(d.reason).toMatch(/less than one run is left/);
  });

  it('changes nothing before any history, unless even the fastest tiers fall short', () => {
    expect(decidePace(input({ otherPerDay: undefined, used: 1200 })).tiers).toEqual({
      'high.yml': 'normal',
      'low.yml': 'normal',
    });
    expect(decidePace(input({ otherPerDay: undefined, used: 0, quota: 5000 })).tiers).toEqual({
      'high.yml': 'aggressive',
      'low.yml': 'aggressive',
    });
  });

  it('uses a band of 5% of the quota', () => {
    expect(BAND).toBe(0.05);
  });
});

describe('otherRate', () => {
  it('is the growth of used less what the managed workflows spent at the rates they had', () => {
    const day = DAY_MS;
    const observations = [
      { time: NOW - 3 * day, used: 100, managedPerDay: 20 },
      { time: NOW - day, used: 170, managedPerDay: 40 },
    ];
    // 3 days: used grew 180 (to 280); managed spent 2 × 20 + 1 × 40 = 80; other 100 / 3 a day.
    expect(otherRate(observations, { time: NOW, used: 280 })).toBeCloseTo(100 / 3, 9);
    expect(otherRate([], { time: NOW, used: 280 })).toBeUndefined();
    expect(
      otherRate([{ time: NOW - 10 * day, used: 0, managedPerDay: 0 }], { time: NOW, used: 5 }),
    ).toBeUndefined();
  });
});
