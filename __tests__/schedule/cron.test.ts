import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  describeCron,
  previousRun,
  runsBetween,
  runsPerDay,
} from '../../src/schedule/cron.js';

describe('cronProblem (GitHub subset)', () => {
  it.each([
    '17 */2 * * *',
    '0 0 * * Sun',
    '0 8,14,20 * * *',
    '5 4 1-15/2 JAN-jun MON-FRI',
    '59 23 31 12 6',
    '*/15 * * * *',
  ])('accepts %s', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['0 0 * * * *', /expected 5 fields/],
    ['0 0 * *', /found 4/],
    ['@daily', /macros/],
    ['0 0 L * *', /not supported/],
    ['0 0 * * 5L', /not supported/],
    ['0 0 1W * *', /not supported/],
    ['0 0 * * 1#2', /not supported/],
    ['0 0 ? * *', /not supported/],
    ['60 0 * * *', /minute value '60' is out of range 0-59/],
    ['0 24 * * *', /hour value '24'/],
    ['0 0 0 * *', /day of month value '0'/],
    ['0 0 * 13 *', /month value '13'/],
    ['0 0 * * 7', /day of week value '7' is out of range 0-6/],
    ['0 0 * FOO *', /month value 'FOO' is not supported/],
    ['0 10-2 * * *', /runs backwards/],
    ['*/0 * * * *', /step/],
  ])('rejects %s', (cron, message) => {
    expect(cronProblem(cron)).toMatch(message);
  });
});

describe('run counting', () => {
  it('lists firings in a half-open window, in UTC', () => {
    const runs = runsBetween(
      '17 */6 * * *',
      new Date('2025-11-01T00:17:00Z'),
      new Date('2025-11-01T18:17:00Z'),
    );
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2025-11-01T00:17:00.000Z',
      '2025-11-01T06:17:00.000Z',
      '2025-11-01T12:17:00.000Z',
    ]);
  });

  it('honours a time zone', () => {
    const runs = runsBetween(
      '0 9 * * *',
      new Date('2025-07-01T00:00:00Z'),
      new Date('2025-07-02T00:00:00Z'),
      'Europe/Berlin',
    );
    expect(runs.map((d) => d.toISOString())).toEqual(['2025-07-01T07:00:00.000Z']);
  });

  it('counts runs per day over a week', () => {
    expect(runsPerDay(['17 */2 * * *'])).toBe(12);
    expect(runsPerDay(['0 8 * * *', '0 14 * * *', '0 20 * * *'])).toBe(3);
    expect(runsPerDay(['37 9 * * 1'])).toBeCloseTo(1 / 7, 9);
    expect(runsPerDay(['0 0 * * 1-5'])).toBeCloseTo(5 / 7, 9);
  });

  it('finds the previous firing', () => {
    expect(previousRun('17 */3 * * *', new Date('2025-11-01T05:00:00Z'))?.toISOString()).toBe(
      '2025-11-01T03:17:00.000Z',
    );
    expect(previousRun('17 */3 * * *', new Date('2025-11-01T03:17:00Z'))?.toISOString()).toBe(
      '2025-11-01T03:17:00.000Z',
    );
  });

  it('describes a cron in words', () => {
    expect(describeCron('17 */2 * * *')).toBe('At 17 minutes past the hour, every 2 hours');
  });
});
