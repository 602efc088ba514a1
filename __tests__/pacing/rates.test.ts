import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronsFor, cronsForRate, ownTime, rateSteps, slotDue } from '../../src/pacing/rates.js';
import { runsBetween } from '../../src/schedule/cron.js';

const DAY = 86_400_000;
const MONDAY = Date.parse('2025-01-06T00:00:00Z');
const firings = (crons: readonly string[], from: number, to: number) =>
  crons
    .flatMap((c) => runsBetween(c, new Date(from), new Date(to)).map((d) => d.getTime()))
    .sort((a, b) => a - b);

describe('cronsForRate', () => {
  it('spells 5 runs a day as an hour list at the workflow minute', () => {
    expect(cronsForRate(5, { minute: 17, hour: 0 })).toEqual(['17 0,5,10,14,19 * * *']);
  });

  it('keeps a once-a-day workflow at its own hour, and spreads weekly runs from Monday', () => {
    expect(cronsForRate(1, { minute: 37, hour: 9 })).toEqual(['37 9 * * *']);
    expect(cronsForRate(1 / 7, { minute: 37, hour: 9 })).toEqual(['37 9 * * 1']);
    expect(cronsForRate(2 / 7, { minute: 41, hour: 12 })).toEqual(['41 12 * * 1,5']);
  });

  it('refuses a rate no single cron spells', () => {
    expect(cronsForRate(2.5, { minute: 0, hour: 0 })).toBeUndefined();
    expect(cronsForRate(30, { minute: 0, hour: 0 })).toBeUndefined();
  });

  it('fires exactly r times a day, at the minute, evenly spread (1 to 24 a day)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 59 }), (r, minute) => {
        const crons = cronsForRate(r, { minute, hour: 0 }) as string[];
        const day = firings(crons, MONDAY, MONDAY + DAY);
        expect(day).toHaveLength(r);
        for (const t of day) expect(new Date(t).getUTCMinutes()).toBe(minute);
        // Evenly: the gaps around the clock differ by at most an hour.
        const gaps = day.map(
          (t, i) => ((day[(i + 1) % day.length] as number) - t + DAY) % DAY || DAY,
        );
        expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(3_600_000);
      }),
      { numRuns: 60 },
    );
  });

  it('fires k times a week for k/7 runs a day, on days spread over the week', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 59 }), (k, minute) => {
        const crons = cronsForRate(k / 7, { minute, hour: 9 }) as string[];
        const week = firings(crons, MONDAY, MONDAY + 7 * DAY);
        expect(week).toHaveLength(k);
        const days = week.map((t) => Math.floor((t - MONDAY) / DAY));
        const gaps = days.map((d, i) => ((days[(i + 1) % days.length] as number) - d + 7) % 7 || 7);
        expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });

  it('fires 24·m times a day as m minutes in every hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 59 }), (m, minute) => {
        const crons = cronsForRate(24 * m, { minute, hour: 0 }) as string[];
        expect(firings(crons, MONDAY, MONDAY + DAY)).toHaveLength(24 * m);
      }),
      { numRuns: 20 },
    );
  });
});

describe('rateSteps and cronsFor', () => {
  it('lists weekly steps below one a day, whole numbers above, and the tiers own rates', () => {
    expect(rateSteps(2 / 7, 4)).toEqual([2 / 7, 3 / 7, 4 / 7, 5 / 7, 6 / 7, 1, 2, 3, 4]);
    expect(rateSteps(1.5, 3)).toEqual([1.5, 2, 3]);
  });

  it('gives a tier its own crons back, so a file at a tier reads as the config spells it', () => {
    const tiers = [['17 */2 * * *'], ['17 */3 * * *'], ['17 */6 * * *']];
    expect(cronsFor(8, tiers)).toEqual(['17 */3 * * *']);
    expect(cronsFor(5, tiers)).toEqual(['17 0,5,10,14,19 * * *']);
  });

  it('reads the minute and hour of a workflow', () => {
    expect(ownTime(['23 8,14,20 * * *'])).toEqual({ minute: 23, hour: 0 });
    expect(ownTime(['37 9 * * 1'])).toEqual({ minute: 37, hour: 9 });
    expect(ownTime(['*/5 * * * *'])).toEqual({ minute: 0, hour: 0 });
  });
});

describe('slotDue: the gate share of firings', () => {
  it('lets through r of f firings a day (r well under f, so no window holds two slots)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.double({ min: 0.1, max: 0.6, noNaN: true }),
        (f, share) => {
          const crons = cronsForRate(f, { minute: 7, hour: 0 }) as string[];
          const rate = f * share;
          const all = firings(crons, MONDAY - DAY, MONDAY + 10 * DAY);
          const through = all.filter(
            (t, i) => i > 0 && t >= MONDAY && slotDue(rate, MONDAY, all[i - 1] as number, t),
          );
          // Over ten days: the rate's runs, give or take the slots at either end.
          expect(Math.abs(through.length - rate * 10)).toBeLessThanOrEqual(2);
          // Never two runs closer than the firings allow: at most one a slot.
          expect(through.length).toBeLessThanOrEqual(Math.ceil(rate * 10) + 1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('lets nothing through at rate 0', () => {
    expect(slotDue(0, MONDAY, MONDAY, MONDAY + DAY)).toBe(false);
  });
});
