import { describe, expect, it } from 'vitest';
import {
  deliveredShare,
  expectedOther,
  forecastOther,
  learnCostScale,
  type Observation,
  type OtherSample,
  otherSamples,
  spendAtRate,
  usedNow,
} from '../../src/pacing/forecast.js';

const DAY = 86_400_000;
// 2025-11-03 is a Monday; the samples start at 00:07 so each covers one UTC day.
const START = Date.parse('2025-11-03T00:07:00Z');
const days = (values: readonly number[]): OtherSample[] =>
  values.map((perDay, i) => ({
    start: START + i * DAY,
    end: START + (i + 1) * DAY,
    perDay,
    managedPerDay: 0,
  }));
const WEEK = [30, 30, 30, 30, 30, 3, 3]; // Monday to Sunday

describe('forecastOther', () => {
  it('learns a weekly pattern by weekday, so a quiet weekend is not read as a new level', () => {
    const f = forecastOther(days([...WEEK, ...WEEK])) as NonNullable<
      ReturnType<typeof forecastOther>
    >;
    expect(f.level).toBeCloseTo(22.29, 1);
    expect(f.regimeSince).toBeUndefined();
    // A Monday forecast is far above a Saturday's.
    const monday = Date.parse('2025-11-17T00:00:00Z');
    expect(expectedOther(f, monday, monday + DAY)).toBeGreaterThan(
      5 * expectedOther(f, monday + 5 * DAY, monday + 6 * DAY),
    );
    // Over a whole week the forecast is the week's use.
    expect(expectedOther(f, monday, monday + 7 * DAY)).toBeCloseTo(156, 0);
  });

  it('a flat 7-day mean would not: the weekday forecast for a weekday is within 15% of it', () => {
    const f = forecastOther(days([...WEEK, ...WEEK])) as NonNullable<
      ReturnType<typeof forecastOther>
    >;
    const tuesday = Date.parse('2025-11-18T00:00:00Z');
    expect(expectedOther(f, tuesday, tuesday + DAY)).toBeGreaterThan(25);
  });

  it('shows a spike within a day: one day at four times the level sets the new level', () => {
    const f = forecastOther(days([...Array(20).fill(10), 40])) as NonNullable<
      ReturnType<typeof forecastOther>
    >;
    expect(f.level).toBe(40);
    expect(f.regimeSince).toBe(START + 20 * DAY);
  });

  it('does not take day-to-day noise for a change of regime', () => {
    const noisy = [12, 8, 11, 9, 13, 7, 10, 12, 8, 11, 9, 13, 7, 10, 14, 6];
    const f = forecastOther(days(noisy)) as NonNullable<ReturnType<typeof forecastOther>>;
    expect(f.regimeSince).toBeUndefined();
    expect(f.level).toBeGreaterThan(8);
    expect(f.level).toBeLessThan(12);
    expect(f.measuredSpread).toBeGreaterThan(0);
  });

  it('does not start a regime on one quiet day of use that swings widely', () => {
    // Use from 8 to 31 a day: the day at 9 after a week near 19 is the swing, not a change.
    const wide = [14, 22, 9, 31, 17, 12, 26, 8, 19, 24, 11, 29, 15, 20, 14, 22, 9];
    const f = forecastOther(days(wide)) as NonNullable<ReturnType<typeof forecastOther>>;
    expect(f.regimeSince).toBeUndefined();
    expect(f.level).toBeGreaterThan(15);
  });

  it('measures a spread above 0 from a single week of noisy use', () => {
    // With one week each weekday's own mean is that day, which would read as no spread at all.
    const f = forecastOther(days([14, 22, 9, 31, 17, 12, 26])) as NonNullable<
      ReturnType<typeof forecastOther>
    >;
    expect(f.measuredSpread).toBeGreaterThan(0.1);
  });

  it('has no forecast without samples', () => {
    expect(forecastOther([])).toBeUndefined();
  });
});

describe('otherSamples and learnCostScale', () => {
  // Other use 10 a day; one workflow whose real cost is 3 a run while the prior says 1.
  const observe = (rates: readonly number[]): Observation[] => {
    let used = 0;
    return rates.map((rate, i) => {
      const o: Observation = { time: START + i * DAY, used, rates: { w: rate } };
      used += 10 + rate * 3;
      return o;
    });
  };

  it('takes the managed spend out of usage growth, at the counted runs when known', () => {
    const samples = otherSamples(
      [
        { time: START, used: 0, rates: { w: 4 } },
        { time: START + DAY, used: 25, runs: { w: 5 } },
      ],
      () => 3,
      spendAtRate(() => 3),
      START + DAY,
    );
    // 25 grown, 5 runs at 3: the other consumers used 10.
    expect(samples.map((s) => s.perDay)).toEqual([10]);
  });

  it('learns the cost of a run from usage growth against the runs, with the prior as the start', () => {
    const observations = observe([2, 6, 4, 8, 2, 6, 4, 8, 3]);
    const scale = learnCostScale(
      observations,
      () => 1,
      spendAtRate(() => 1),
      START + 9 * DAY,
    );
    // Nine days move the prior of 1 most of the way to the real 3.
    expect(scale).toBeGreaterThan(2);
    expect(scale).toBeLessThanOrEqual(3);
  });

  it('keeps the prior while the rates never varied', () => {
    const observations = observe([5, 5, 5, 5, 5]);
    expect(
      learnCostScale(
        observations,
        () => 1,
        spendAtRate(() => 1),
        START + 5 * DAY,
      ),
    ).toBe(1);
  });
});

describe('deliveredShare', () => {
  const unit = spendAtRate(() => 1);
  const at = (day: number, runs?: number): Observation => ({
    time: START + day * DAY,
    used: 0,
    rates: { 'a.yml': 10 },
    ...(runs !== undefined ? { runs: { 'a.yml': runs } } : {}),
  });

  it('is the share of scheduled firings that ran, the prior weighing as 20 firings', () => {
    // Ten days of 10 firings a day with 9 runs counted: (20 + 90) / (20 + 100).
    const history = Array.from({ length: 11 }, (_, i) => at(i, i === 0 ? undefined : 9));
    expect(deliveredShare(history, unit, START + 10 * DAY)).toBeCloseTo(110 / 120, 9);
  });

  it('is 1 without counted runs, and never above 1', () => {
    const uncounted = Array.from({ length: 5 }, (_, i) => at(i));
    expect(deliveredShare(uncounted, unit, START + 4 * DAY)).toBe(1);
    const extra = Array.from({ length: 5 }, (_, i) => at(i, 15));
    expect(deliveredShare(extra, unit, START + 4 * DAY)).toBe(1);
  });
});

describe('usedNow', () => {
  it('adds what was spent since a billing figure that lags', () => {
    // 8 hours late, 30 a day managed and 15 other: 15 more than the figure.
    expect(usedNow(100, 8 * 3_600_000, 30, 15)).toBeCloseTo(115, 6);
    expect(usedNow(100, 0, 30, 15)).toBe(100);
  });
});
