/**
 * Rates: runs a day as crons a person reads at a glance, and the gate's share of firings.
 * A rate of 1 to 24 runs a day is an hour list at the workflow's own minute; below one a day it
 * is a list of weekdays; above 24 a day it is a list of minutes in every hour.
 */
import { runsPerDay } from '../schedule/cron.js';
import { formForRate, inWords, PACE_FORMS } from '../schedule/fuzzy.js';
import { DAY_MS } from '../usage/period.js';

const NUMBER = /^\d+$/;

/** The minute and hour a workflow fires at, from its first cron, when they are plain numbers. */
export function ownTime(crons: readonly string[]): { minute: number; hour: number } {
  const [minute = '0', hour = '0'] = (crons[0] ?? '').trim().split(/\s+/);
  return {
    minute: NUMBER.test(minute) ? Number(minute) % 60 : 0,
    hour: NUMBER.test(hour) ? Number(hour) % 24 : 0,
  };
}

/**
 * The rates a schedule file can hold between two rates (runs a day): k/7 for k runs a week,
 * whole numbers from 1 to 24, and whole runs an hour above that; for tiers in gh-aw's words
 * (`words`), the rates of the forms pace writes (fuzzy.ts PACE_FORMS).
 */
export function rateSteps(min: number, max: number, words = false): number[] {
  const steps: number[] = [];
  if (words) steps.push(...PACE_FORMS.map((f) => f.runsPerDay));
  else {
    for (let k = 1; k < 7; k++) steps.push(k / 7);
    for (let r = 1; r <= 24; r++) steps.push(r);
    for (let m = 2; m <= 60; m++) steps.push(24 * m);
  }
  // A tier's own rate is always a step, even one no list above spells (such as 10 runs a week).
  const inRange = steps.filter((r) => r >= min - 1e-9 && r <= max + 1e-9);
  for (const edge of [min, max])
    if (!inRange.some((r) => Math.abs(r - edge) < 1e-9)) inRange.push(edge);
  return inRange.sort((a, b) => a - b);
}

const spread = (count: number, span: number, offset: number) =>
  [
    ...new Set(
      Array.from({ length: count }, (_, i) => (offset + Math.round((i * span) / count)) % span),
    ),
  ].sort((a, b) => a - b);

/**
 * Crons that fire `rate` times a day, evenly spread, at the workflow's minute (and, once a day or
 * less, its hour); undefined for a rate no single cron spells.
 */
export function cronsForRate(
  rate: number,
  at: { minute: number; hour: number },
): string[] | undefined {
  const week = Math.round(rate * 7);
  if (rate < 1 && week >= 1 && Math.abs(week - rate * 7) < 1e-9) {
    // Weekdays spread over the week from Monday, as the slowest weekly tiers usually are.
    return [`${at.minute} ${at.hour} * * ${spread(week, 7, 1).join(',')}`];
  }
  if (!Number.isInteger(rate) || rate < 1) return undefined;
  if (rate === 1) return [`${at.minute} ${at.hour} * * *`];
  if (rate < 24) return [`${at.minute} ${spread(rate, 24, 0).join(',')} * * *`];
  if (rate === 24) return [`${at.minute} * * * *`];
  if (rate % 24 !== 0 || rate / 24 > 60) return undefined;
  return [`${spread(rate / 24, 60, at.minute).join(',')} * * * *`];
}

/**
 * The crons for a rate on a managed workflow: a tier's own crons when the rate is that tier's
 * (so a file at a tier is left as the config spells it), else crons spelling the rate; tiers in
 * gh-aw's words get the gh-aw form nearest the rate, whose minute gh-aw's compiler scatters.
 */
export function cronsFor(
  rate: number,
  tiers: readonly (readonly string[])[],
  timezone?: string,
): string[] | undefined {
  const same = tiers.find(
    (crons) => crons.length > 0 && Math.abs(runsPerDay(crons, timezone) - rate) < 1e-9,
  );
  if (same) return [...same];
  const base = tiers.find((crons) => crons.length > 0) ?? [];
  if (inWords(base)) return [formForRate(rate)];
  return cronsForRate(rate, ownTime(base));
}

/**
 * The gate's share of firings: a firing proceeds when a slot of the rate (one every DAY/rate
 * from the period start) falls in the window since the previous firing. Deterministic and
 * stateless, so every run of the gate agrees on it, and the runs that go ahead are evenly spread.
 */
export function slotDue(rate: number, periodStart: number, previous: number, now: number): boolean {
  if (rate <= 0) return false;
  const slot = (t: number) => Math.floor(((t - periodStart) * rate) / DAY_MS);
  return slot(now) > slot(previous);
}
