import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodFor, resetMoment } from '../../src/usage/period.js';

const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('periodFor', () => {
  it.each([
    // now, reset-day, start, end
    ['2025-11-12T00:00:00Z', 1, '2025-11-01', '2025-12-01'],
    ['2025-11-01T00:00:00Z', 1, '2025-11-01', '2025-12-01'],
    ['2025-10-31T23:59:59Z', 1, '2025-10-01', '2025-11-01'],
    ['2025-11-20T00:00:00Z', 31, '2025-10-31', '2025-11-30'],
    ['2025-11-30T00:00:00Z', 31, '2025-11-30', '2025-12-31'],
    ['2025-02-28T00:00:00Z', 30, '2025-02-28', '2025-03-30'],
    ['2024-02-28T12:00:00Z', 30, '2024-01-30', '2024-02-29'],
    ['2024-02-29T00:00:00Z', 30, '2024-02-29', '2024-03-30'],
    ['2026-01-05T00:00:00Z', 15, '2025-12-15', '2026-01-15'],
    ['2025-12-20T00:00:00Z', 15, '2025-12-15', '2026-01-15'],
  ])('at %s with reset-day %i runs %s to %s', (now, day, start, end) => {
    const period = periodFor(new Date(now), day);
    expect(iso(period.start)).toBe(start);
    expect(iso(period.end)).toBe(end);
    expect(period.start.getUTCHours()).toBe(0);
  });

  it('clamps every reset day in every month of a leap and a common year', () => {
    for (const year of [2024, 2025]) {
      for (let month = 0; month < 12; month++) {
        const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
        for (let day = 1; day <= 31; day++) {
          const moment = resetMoment(year, month, day);
          expect(moment.getUTCMonth()).toBe(month);
          expect(moment.getUTCDate()).toBe(Math.min(day, last));
          // Every moment of that month lies in a period that starts on the clamped day.
          const mid = new Date(Date.UTC(year, month, 15, 6));
          const period = periodFor(mid, day);
          expect(period.start.getUTCDate()).toBe(
            Math.min(
              day,
              new Date(
                Date.UTC(period.start.getUTCFullYear(), period.start.getUTCMonth() + 1, 0),
              ).getUTCDate(),
            ),
          );
        }
      }
    }
  });

  it('always contains now and lasts 28 to 31 days (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 31 }),
        (now, day) => {
          const { start, end } = periodFor(now, day);
          expect(start.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(now.getTime()).toBeLessThan(end.getTime());
          const days = (end.getTime() - start.getTime()) / 86_400_000;
          expect(days).toBeGreaterThanOrEqual(28);
          expect(days).toBeLessThanOrEqual(31);
          // Consecutive periods tile the calendar.
          expect(periodFor(end, day).start.getTime()).toBe(end.getTime());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
