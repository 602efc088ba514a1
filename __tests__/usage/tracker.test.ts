import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertFor,
  computeUsage,
  decideMode,
  MODES,
  modeForEfficiency,
} from '../../src/usage/tracker.js';

const at = (iso: string) => new Date(iso);

describe('computeUsage', () => {
  it('gives the figures of the worked example', () => {
    const u = computeUsage({
      quota: 1500,
      used: 300,
      resetDay: 1,
      now: at('2025-11-12T00:00:00Z'),
    });
    expect(u.timePercent).toBeCloseTo(36.667, 3);
    expect(u.usagePercent).toBeCloseTo(20, 9);
    expect(u.efficiency).toBeCloseTo(0.545, 3);
    expect(u.burnRate).toBeCloseTo(27.27, 2);
    expect(u.projected).toBeCloseTo(818.18, 2);
    expect(u.remaining).toBe(1200);
    expect(u.daysUntilReset).toBe(19);
    expect(u.alert).toBe('ok');
    expect(decideMode('auto', u).mode).toBe('aggressive');
  });

  it('counts elapsed time continuously, not in whole days', () => {
    const u = computeUsage({ quota: 1000, used: 0, resetDay: 1, now: at('2025-11-16T12:00:00Z') });
    expect(u.timePercent).toBeCloseTo(51.667, 3);
    expect(u.daysUntilReset).toBe(14.5);
  });

  it('does not read the first hours of a period as over-use', () => {
    const u = computeUsage({ quota: 1500, used: 5, resetDay: 1, now: at('2025-11-01T00:30:00Z') });
    expect(decideMode('auto', u).mode).not.toBe('conservative');
    expect(u.alert).toBe('ok');
    expect(u.projected).toBeLessThan(1500);
  });

  it('still sees real over-use in the first day', () => {
    const u = computeUsage({
      quota: 1500,
      used: 600,
      resetDay: 1,
      now: at('2025-11-01T06:00:00Z'),
    });
    expect(decideMode('auto', u).mode).toBe('conservative');
    expect(u.alert).toBe('warning');
  });

  it('accepts overage: remaining stays at 0 and the alert is critical', () => {
    const u = computeUsage({
      quota: 100,
      used: 130.5,
      resetDay: 1,
      now: at('2025-11-20T00:00:00Z'),
    });
    expect(u.remaining).toBe(0);
    expect(u.usagePercent).toBe(130.5);
    expect(u.alert).toBe('critical');
  });

  it('accepts fractional usage', () => {
    const u = computeUsage({ quota: 10, used: 0.33, resetDay: 1, now: at('2025-11-16T00:00:00Z') });
    expect(u.usagePercent).toBeCloseTo(3.3, 9);
    expect(u.remaining).toBeCloseTo(9.67, 9);
  });
});

describe('modeForEfficiency', () => {
  it.each([
    [0, 'aggressive'],
    [0.6999, 'aggressive'],
    [0.7, 'normal'],
    [0.35 / 0.5, 'normal'],
    [1.2999, 'normal'],
    [1.3, 'conservative'],
    [0.13 * 10, 'conservative'],
    [5, 'conservative'],
  ] as const)('efficiency %d is %s', (e, mode) => {
    expect(modeForEfficiency(e)).toBe(mode);
  });

  it('takes the higher mode exactly at a threshold computed from real figures', () => {
    // 7% used at 10% of November (3 days of 30): efficiency 0.7 exactly on paper.
    const atLow = computeUsage({
      quota: 100,
      used: 7,
      resetDay: 1,
      now: at('2025-11-04T00:00:00Z'),
    });
    expect(modeForEfficiency(atLow.efficiency)).toBe('normal');
    // 39 of 100 used at 30% of November (9 days): efficiency 1.3 exactly on paper.
    const atHigh = computeUsage({
      quota: 100,
      used: 39,
      resetDay: 1,
      now: at('2025-11-10T00:00:00Z'),
    });
    expect(modeForEfficiency(atHigh.efficiency)).toBe('conservative');
  });
});

describe('alertFor', () => {
  it.each([
    [100, 100, 100, 'critical'],
    [100, 80, 90, 'warning'],
    [100, 50, 101, 'warning'],
    [100, 50, 100, 'ok'],
    [100, 79.9, 95, 'ok'],
  ] as const)('quota %d used %d projected %d is %s', (q, u, p, alert) => {
    expect(alertFor(q, u, p)).toBe(alert);
  });
});

describe('decideMode', () => {
  it('uses a forced mode whatever the figures', () => {
    const u = computeUsage({ quota: 100, used: 99, resetDay: 1, now: at('2025-11-02T00:00:00Z') });
    expect(decideMode('aggressive', u)).toEqual({
      mode: 'aggressive',
      reason: 'mode forced to aggressive by input',
    });
  });
});

describe('tracker invariants (properties)', () => {
  const moment = fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2040-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  const quota = fc.double({ min: 0.01, max: 1e7, noNaN: true });
  const used = fc.double({ min: 0, max: 2e7, noNaN: true });
  const day = fc.integer({ min: 1, max: 31 });

  it('keeps percentages in range and remaining non-negative', () => {
    fc.assert(
      fc.property(quota, used, day, moment, (q, u, d, now) => {
        const r = computeUsage({ quota: q, used: u, resetDay: d, now });
        expect(r.timePercent).toBeGreaterThanOrEqual(0);
        expect(r.timePercent).toBeLessThan(100);
        expect(r.usagePercent).toBeGreaterThanOrEqual(0);
        expect(r.remaining).toBeGreaterThanOrEqual(0);
        expect(r.remaining).toBeLessThanOrEqual(q);
        expect(r.daysUntilReset).toBeGreaterThan(0);
        expect(r.daysUntilReset).toBeLessThanOrEqual(31);
        expect(r.projected).toBeGreaterThanOrEqual(r.used * (1 - 1e-9));
      }),
      { numRuns: 2000 },
    );
  });

  it('never picks a slower mode when more is used', () => {
    fc.assert(
      fc.property(quota, used, used, day, moment, (q, a, b, d, now) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rank = (u: number) =>
          MODES.indexOf(
            decideMode('auto', computeUsage({ quota: q, used: u, resetDay: d, now })).mode,
          );
        expect(rank(lo)).toBeLessThanOrEqual(rank(hi));
      }),
      { numRuns: 2000 },
    );
  });
});
