import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cronsFor, rateSteps } from '../../src/pacing/rates.js';
import { cronProblem, runsBetween, runsPerDay, scheduleProblem } from '../../src/schedule/cron.js';
import {
  formForRate,
  fuzzyProblem,
  HOUR_INTERVALS,
  MINUTE_INTERVALS,
  PACE_FORMS,
  parseFuzzy,
} from '../../src/schedule/fuzzy.js';

const form = (text: string) => {
  const parsed = parseFuzzy(text);
  if (typeof parsed === 'string') throw new Error(`${text}: ${parsed}`);
  return parsed;
};

describe('gh-aw schedule forms: runs a day', () => {
  it.each([
    ['daily', 1],
    ['Daily', 1],
    ['daily on weekdays', 5 / 7],
    ['daily around 14:00', 1],
    ['daily around 9am on weekdays', 5 / 7],
    ['daily around noon utc+9', 1],
    ['daily between 9:00 and 17:00', 1],
    ['daily between 22:00 and 02:00', 1],
    ['daily between 9am utc-5 and 5pm utc-5 on weekdays', 5 / 7],
    ['hourly', 24],
    ['hourly on weekdays', 24 * (5 / 7)],
    ['every 1h', 24],
    ['every 2h', 12],
    ['every 2 hours', 12],
    ['every 6h on weekdays', 4 * (5 / 7)],
    ['every 12h', 2],
    ['every 5 minutes', 288],
    ['every 10m', 144],
    ['every 30 minutes', 48],
    ['weekly', 1 / 7],
    ['weekly on monday', 1 / 7],
    ['weekly on friday around 5pm', 1 / 7],
    ['weekly on monday around 08:00 utc+05:30', 1 / 7],
    ['weekly on sunday between 1:00 and 3:00', 1 / 7],
    ['bi-weekly', 1 / 14],
    ['tri-weekly', 1 / 21],
    ['every 1d', 1],
    ['every 2 days', 1 / 2],
    ['every 1w', 1 / 7],
    ['every 2 weeks', 1 / 14],
    ['every 1mo', 12 / 365.25],
  ])('%s: %d a day', (text, perDay) => {
    expect(form(text).runsPerDay).toBeCloseTo(perDay, 9);
    // The one count answers for words and crons alike.
    expect(runsPerDay([text])).toBeCloseTo(perDay, 9);
    expect(scheduleProblem(text)).toBeUndefined();
    // The model cron that places the runs is a valid GitHub cron.
    expect(cronProblem(form(text).model)).toBeUndefined();
  });

  it.each([
    ['monthly', /'monthly' is not a form gh-aw accepts/],
    ['daily at 9:00', /'at <time>' is not gh-aw syntax: use 'around <time>'/],
    ['every 3 minutes', /below gh-aw's minimum interval of 5 minutes/],
    ['every 7 minutes', /not a minute interval gh-aw documents: use 5, 10, 15, 20, 30/],
    ['every 5h', /every 5h is not an hour interval gh-aw accepts: use 1, 2, 3, 4, 6, 8, 12/],
    ['every 0 days', /the interval must be 1 or more/],
    ['daily around 25:00', /'25:00' is not a time/],
    ['daily around 13pm', /'13pm' is not a time/],
    ['daily around 9am utc+15', /'utc\+15' is not a UTC offset gh-aw accepts/],
    ['daily around 9am utc9', /'utc9' is not a UTC offset: write utc\+9/],
    ['daily between 9:00', /'between' needs two times/],
    ['weekly on mondey', /'mondey' is not a weekday/],
    ['every 10 minutes on weekdays', /only hour intervals take 'on weekdays'/],
    ['daily twice', /'twice' cannot follow 'daily'/],
    ['fortnightly', /'fortnightly' does not start a form gh-aw accepts/],
  ])('%s is rejected', (text, why) => {
    const problem = fuzzyProblem(text);
    expect(problem).toMatch(why);
    expect(problem).toMatch(/; accepted forms: daily, daily on weekdays, daily around 14:00, /);
  });

  it('documents the same interval lists as gh-aw', () => {
    expect([...MINUTE_INTERVALS]).toEqual([5, 10, 15, 20, 30]);
    expect([...HOUR_INTERVALS]).toEqual([1, 2, 3, 4, 6, 8, 12]);
  });

  it("agrees with the cron counter where a form has gh-aw's fixed cron meaning", () => {
    // every N minutes compiles to */N; every 1d to 0 0 * * *; every 1w to 0 0 * * 0.
    for (const n of MINUTE_INTERVALS) {
      expect(form(`every ${n} minutes`).model).toBe(`*/${n} * * * *`);
      expect(form(`every ${n} minutes`).runsPerDay).toBe(runsPerDay([`*/${n} * * * *`]));
    }
    expect(form('every 1d').runsPerDay).toBe(runsPerDay(['0 0 * * *']));
    expect(form('every 1w').runsPerDay).toBe(runsPerDay(['0 0 * * 0']));
  });

  it('property: an hour form counts as its cron at whatever minute gh-aw scatters it to', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...HOUR_INTERVALS),
        fc.integer({ min: 0, max: 59 }),
        fc.boolean(),
        fc.constantFrom('h', ' hours', ' hour'),
        (n, minute, weekdays, unit) => {
          const text = `every ${n}${unit}${weekdays ? ' on weekdays' : ''}`;
          // gh-aw compiles `every Nh` to `M */N * * *` (`1-5` for weekdays), M its scattered minute.
          const cron = `${minute} ${n === 1 ? '*' : `*/${n}`} * * ${weekdays ? '1-5' : '*'}`;
          expect(runsPerDay([text])).toBeCloseTo(runsPerDay([cron]), 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: daily and weekly forms count as their cron at any scattered minute and hour', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 6 }),
        (minute, hour, day) => {
          expect(runsPerDay(['daily'])).toBeCloseTo(runsPerDay([`${minute} ${hour} * * *`]), 9);
          expect(runsPerDay(['daily on weekdays'])).toBeCloseTo(
            runsPerDay([`${minute} ${hour} * * 1-5`]),
            9,
          );
          expect(runsPerDay(['weekly'])).toBeCloseTo(
            runsPerDay([`${minute} ${hour} * * ${day}`]),
            9,
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('places runs with its model over a period, as many as the table says', () => {
    const from = new Date('2026-03-02T00:00:00Z');
    const to = new Date('2026-03-30T00:00:00Z'); // four whole weeks
    for (const text of ['daily', 'daily on weekdays', 'every 2h', 'weekly on friday', 'hourly']) {
      expect(runsBetween(text, from, to).length).toBe(Math.round(form(text).runsPerDay * 28));
    }
  });
});

describe("pace's rates for tiers in gh-aw's words", () => {
  const tiers = [['every 2h'], ['every 6h'], ['daily on weekdays']];

  it('steps are the rates of the forms pace writes, between the tiers', () => {
    const steps = rateSteps(5 / 7, 12, true);
    expect(steps[0]).toBeCloseTo(5 / 7, 9);
    expect(steps.at(-1)).toBe(12);
    for (const step of steps)
      expect(PACE_FORMS.some((f) => Math.abs(f.runsPerDay - step) < 1e-9)).toBe(true);
    expect(steps).toContain(3);
    expect(steps).not.toContain(5);
  });

  it('a rate is the nearest form; a tier rate keeps the tier its own words', () => {
    expect(cronsFor(12, tiers)).toEqual(['every 2h']);
    expect(cronsFor(5 / 7, tiers)).toEqual(['daily on weekdays']);
    expect(cronsFor(3, tiers)).toEqual(['every 8h']);
    expect(cronsFor(8, tiers)).toEqual(['every 3h']);
    expect(formForRate(1.2)).toBe('daily');
    expect(formForRate(1000)).toBe('every 5 minutes');
    // Tiers given as crons keep getting crons at their own minute.
    expect(cronsFor(3, [['17 */2 * * *'], ['17 */6 * * *']])).toEqual(['17 0,8,16 * * *']);
  });
});
