/**
 * The forecast: what the other consumers (everything that is not a managed workflow) will use
 * until the reset, by weekday, from the usage history; the cost of a run learned from the same
 * history; and the usage figure corrected for billing data that arrives late. Pure functions,
 * shared by pace, the gate and the simulator.
 */
import { DAY_MS } from '../usage/period.js';

/** What a run of the orchestrator saw: used, and each workflow's rate (runs a day) it then set. */
export interface Observation {
  time: number;
  used: number;
  /** Runs a day of each managed workflow from this observation on. */
  rates?: Record<string, number>;
  /** The managed spend a day from this observation on; used when `rates` is missing. */
  managedPerDay?: number;
  /** The runs each managed workflow made since the previous observation, when known. */
  runs?: Readonly<Record<string, number>>;
}

/** The other consumers' use a day over one interval between two observations. */
export interface OtherSample {
  start: number;
  end: number;
  perDay: number;
  /** Managed runs a day over the interval, priced at the prior costs (for learning a cost). */
  managedPerDay: number;
}

/** Intervals shorter than this say more about rounding than about a rate. */
const MIN_INTERVAL_MS = 6 * 3_600_000;
/** The history looks back this far: four whole weeks. */
export const LOOKBACK_MS = 28 * DAY_MS;
/** A day whose use is this many times what was expected (or this share of it) is a new regime. */
export const REGIME_RATIO = 2;
/** What other use is taken to vary a day (relative) before the history shows it. */
export const PRIOR_SPREAD = 0.25;

/**
 * What one workflow spent at a rate over [from, to): its runs (counted on the crons the rate
 * is written as, where known) times its cost.
 */
export type SpendOf = (name: string, rate: number, from: number, to: number) => number;

/** Spend at the average rate, for a workflow whose runs are not on crons (behind the gate). */
export const spendAtRate =
  (cost: (name: string) => number): SpendOf =>
  (name, rate, from, to) =>
    (rate * cost(name) * (to - from)) / DAY_MS;

const managedOf = (o: Observation, to: number, spend: SpendOf) =>
  o.rates
    ? Object.entries(o.rates).reduce((sum, [name, rate]) => sum + spend(name, rate, o.time, to), 0)
    : ((o.managedPerDay ?? 0) * (to - o.time)) / DAY_MS;

/**
 * The other consumers' use a day between consecutive observations: growth of `used` less
 * what the managed workflows spent at the rates then in force; never below 0. A drop in
 * `used` is a reset, so that interval is skipped.
 */
export function otherSamples(
  observations: readonly Observation[],
  cost: (name: string) => number,
  spend: SpendOf,
  now: number,
): OtherSample[] {
  const recent = observations.filter((o) => o.time >= now - LOOKBACK_MS && o.time <= now);
  const samples: OtherSample[] = [];
  for (let i = 1; i < recent.length; i++) {
    const a = recent[i - 1] as Observation;
    const b = recent[i] as Observation;
    const span = b.time - a.time;
    if (span < MIN_INTERVAL_MS || b.used < a.used) continue;
    const days = span / DAY_MS;
    // Counted runs beat runs inferred from the rates (the gate skips some, GitHub drops some).
    const spent = b.runs
      ? Object.entries(b.runs).reduce((sum, [name, n]) => sum + n * cost(name), 0)
      : managedOf(a, b.time, spend);
    const managed = spent / days;
    samples.push({
      start: a.time,
      end: b.time,
      perDay: Math.max(0, (b.used - a.used) / days - managed),
      managedPerDay: managed,
    });
  }
  return samples;
}

/**
 * A learned scale on the prior costs: the slope of usage growth against the managed runs, with
 * the prior (scale 1) weighing as `weight` samples; stays 1 while the rates never varied.
 */
export function learnCostScale(
  observations: readonly Observation[],
  priorCost: (name: string) => number,
  priorSpend: SpendOf,
  now: number,
  weight = 4,
): number {
  const points = otherSamples(observations, priorCost, priorSpend, now).map((s) => ({
    x: s.managedPerDay,
    y: s.perDay + s.managedPerDay,
  }));
  if (points.length < 3) return 1;
  const mx = points.reduce((a, p) => a + p.x, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx < 1e-9) return 1;
  const prior = (weight * sxx) / points.length;
  return Math.min(4, Math.max(0.25, (sxy + prior) / (sxx + prior)));
}

/** Firings behind the prior that every workflow's schedule delivers all its runs. */
const DELIVERY_PRIOR = 20;

/**
 * The share of scheduled firings that became runs (GitHub drops some under load), from the
 * observations that counted runs: counted runs against the firings the rates in force gave,
 * with a prior of every firing delivered; 1 without counted runs.
 */
export function deliveredShare(
  observations: readonly Observation[],
  firings: SpendOf,
  now: number,
): number {
  const recent = observations.filter((o) => o.time >= now - LOOKBACK_MS && o.time <= now);
  let counted = DELIVERY_PRIOR;
  let expected = DELIVERY_PRIOR;
  for (let i = 1; i < recent.length; i++) {
    const a = recent[i - 1] as Observation;
    const b = recent[i] as Observation;
    if (!a.rates || !b.runs) continue;
    for (const [name, rate] of Object.entries(a.rates)) {
      counted += b.runs[name] ?? 0;
      expected += firings(name, rate, a.time, b.time);
    }
  }
  return Math.min(1, Math.max(0.5, counted / expected));
}

export interface OtherForecast {
  /** Use a day on an average weekday of the current regime. */
  level: number;
  /** Multipliers by UTC weekday (0 = Sunday); all 1 before a whole week is seen. */
  factors: number[];
  /** How much a day's use varies around the forecast, as a share of it (a prior before a week). */
  spread: number;
  /** The same, measured over a week or more of the current regime; undefined before. */
  measuredSpread?: number;
  /** Days of history behind the level. */
  days: number;
  /** When the current regime began, if the history shows a change. */
  regimeSince?: number;
}

const weekday = (s: OtherSample) => new Date((s.start + s.end) / 2).getUTCDay();
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * Weekday multipliers from whole weeks of samples: each day's share of its week's mean, its
 * departure shrunk by how much of it day-to-day noise could explain (James-Stein), so a noisy
 * flat week does not pass for a weekly pattern.
 */
function weekdayFactors(samples: readonly OtherSample[]): number[] {
  const sums = Array<number>(7).fill(0);
  const counts = Array<number>(7).fill(0);
  for (let end = samples.length; end - 7 >= 0; end -= 7) {
    const week = samples.slice(end - 7, end);
    const days = new Set(week.map(weekday));
    const m = mean(week.map((s) => s.perDay));
    if (days.size < 7 || m <= 0) continue;
    for (const s of week) {
      sums[weekday(s)] = (sums[weekday(s)] ?? 0) + s.perDay / m;
      counts[weekday(s)] = (counts[weekday(s)] ?? 0) + 1;
    }
  }
  if (counts.some((c) => c === 0)) return Array<number>(7).fill(1);
  // The day-to-day noise: the spread within each weekday when two weeks or more show it.
  let within = 0;
  let df = 0;
  for (let end = samples.length; end - 7 >= 0; end -= 7) {
    const week = samples.slice(end - 7, end);
    const m = mean(week.map((x) => x.perDay));
    if (m <= 0) continue;
    for (const x of week) {
      const i = weekday(x);
      const c = counts[i] as number;
      if (c < 2) continue;
      within += (x.perDay / m - (sums[i] as number) / c) ** 2 * (c / (c - 1));
      df++;
    }
  }
  const noise2 = df > 0 ? Math.max(within / df, 0.0001) : PRIOR_SPREAD * PRIOR_SPREAD;
  const raw = sums.map((s, i) => {
    const d = s / (counts[i] as number) - 1;
    const noise = noise2 / (counts[i] as number);
    return 1 + d * Math.max(0, 1 - noise / Math.max(1e-12, d * d));
  });
  const norm = mean(raw);
  return raw.map((f) => f / norm);
}

/**
 * The first sample of the current regime: the latest day whose use is REGIME_RATIO times (or
 * that share of) both the week before it and the same weekday a week earlier. Both must agree,
 * so a weekly pattern is not taken for a change.
 */
function regimeStart(samples: readonly OtherSample[]): number {
  let start = 0;
  for (let j = 7; j < samples.length; j++) {
    const v = (samples[j] as OtherSample).perDay;
    const prior = samples.slice(Math.max(start, j - 7), j).map((s) => s.perDay);
    const week = mean(prior);
    const lastWeek = (samples[j - 7] as OtherSample).perDay;
    // Use that swings day to day needs a larger jump to count as a new regime. The swing is
    // the series' own, over the whole week before, whatever regime it began in: measured over
    // the few days since a change it reads low and lets noise start regime after regime.
    const around = samples.slice(j - 7, j).map((s) => s.perDay);
    const typical = mean(around);
    const swing = typical > 0 ? Math.sqrt(mean(around.map((x) => (x / typical - 1) ** 2))) : 0;
    // A rise needs three swings above, a fall two below (as shares), so that a quiet day of
    // wide-swinging use is not a fall, while the end of a spike still shows within a day.
    const over = Math.max(REGIME_RATIO, 1 + 3 * swing);
    const under = Math.min(1 / REGIME_RATIO, 1 - 2 * swing);
    const beyond = (ref: number) =>
      ref <= 0 ? v > 0 && j - start >= 7 : v / ref > over || v / ref < under;
    const up = v > week;
    const sameWay = (ref: number) => (up ? v > ref : v < ref);
    if (beyond(week) && beyond(lastWeek) && sameWay(lastWeek)) start = j;
  }
  return start;
}

/** The other consumers' forecast from their samples, or undefined with none. */
export function forecastOther(samples: readonly OtherSample[]): OtherForecast | undefined {
  if (samples.length === 0) return undefined;
  const start = regimeStart(samples);
  const before = samples.slice(0, start);
  const regime = samples.slice(start);
  // A weekly pattern carries across a change of level; prefer the weeks of the current regime.
  const own = weekdayFactors(regime);
  const factors = own.every((f) => f === 1) ? weekdayFactors(before) : own;
  const deseasoned = regime.map((s) => s.perDay / Math.max(0.05, factors[weekday(s)] ?? 1));
  const whole = Math.floor(regime.length / 7) * 7;
  // Whole weeks give the level whatever the factors; a partial regime needs them.
  const level = whole > 0 ? mean(regime.slice(-whole).map((s) => s.perDay)) : mean(deseasoned);
  // The spread is measured against the weekday factors, so a weekly pattern is not noise. The
  // shrunk factors, not each weekday's raw mean: with one week the raw means are the days
  // themselves, and the spread would read 0.
  const rms = level > 0 ? Math.sqrt(mean(deseasoned.map((v) => (v / level - 1) ** 2))) : 0;
  const measured = regime.length >= 7 ? rms : undefined;
  return {
    level,
    factors,
    spread: measured ?? Math.max(PRIOR_SPREAD, rms),
    ...(measured !== undefined ? { measuredSpread: measured } : {}),
    days: regime.reduce((a, s) => a + (s.end - s.start) / DAY_MS, 0),
    ...(start > 0 ? { regimeSince: (samples[start] as OtherSample).start } : {}),
  };
}

/** The other consumers' expected use from `from` to `to` (ms), day piece by day piece. */
export function expectedOther(forecast: OtherForecast, from: number, to: number): number {
  let total = 0;
  for (let t = from; t < to; ) {
    const dayEnd = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
    const until = Math.min(dayEnd, to);
    const factor = forecast.factors[new Date(t).getUTCDay()] ?? 1;
    total += (forecast.level * factor * (until - t)) / DAY_MS;
    t = until;
  }
  return total;
}

/**
 * How far the other use to the reset may run over its forecast: the day-to-day spread over
 * the days left, plus the level's own uncertainty from a short history.
 */
export function otherUncertainty(forecast: OtherForecast, daysLeft: number): number {
  const sigma = forecast.spread * forecast.level;
  const days = Math.max(1, forecast.days);
  return sigma * Math.sqrt(daysLeft + (daysLeft * daysLeft) / days);
}

/**
 * `used` as it is now, when the billing figure lags by `lagMs`: the figure plus what the
 * managed workflows and the other consumers spent since it was taken.
 */
export function usedNow(
  figure: number,
  lagMs: number,
  managedPerDay: number,
  otherPerDay: number,
): number {
  return figure + ((managedPerDay + otherPerDay) * Math.max(0, lagMs)) / DAY_MS;
}
