/** The tracker: usage figures, the mode rule and the alert level, as pure functions. */
import { DAY_MS, type Period, periodFor } from './period.js';

export const MODES = ['aggressive', 'normal', 'conservative'] as const;
export type Mode = (typeof MODES)[number];
/** A workflow's tier: a mode, or `paused` (its config may give one) once a run no longer fits. */
export const TIERS = [...MODES, 'paused'] as const;
export type Tier = (typeof TIERS)[number];
export type Alert = 'ok' | 'warning' | 'critical';

/** Efficiency below this is under-use: speed up. */
export const AGGRESSIVE_BELOW = 0.7;
/** Efficiency at or above this is over-use: slow down. */
export const CONSERVATIVE_FROM = 1.3;
/** Used at or above this share of the quota raises a warning. */
export const WARNING_SHARE = 0.8;
/**
 * Rates are computed over at least this much elapsed time, so that the first hours of a
 * period (a few units used in a few minutes) do not extrapolate into a false over-use.
 */
export const MIN_RATE_WINDOW_MS = DAY_MS;
/**
 * The spent-quota guard of `auto` looks this far ahead of the reset: inside it, a projection
 * past the quota means running out before the reset, and there is no time left to correct.
 */
export const GUARD_DAYS = 7;

export interface UsageInput {
  quota: number;
  used: number;
  resetDay: number;
  now: Date;
}

export interface Usage {
  period: Period;
  quota: number;
  used: number;
  remaining: number;
  /** used / quota × 100 */
  usagePercent: number;
  /** elapsed share of the period × 100 */
  timePercent: number;
  /** usagePercent / timePercent, with time taken as at least MIN_RATE_WINDOW_MS */
  efficiency: number;
  /** used per elapsed day (elapsed taken as at least MIN_RATE_WINDOW_MS) */
  burnRate: number;
  /** usage at the period end at the current burn rate */
  projected: number;
  daysUntilReset: number;
  alert: Alert;
}

/** Rounds away binary noise so that 0.7 computed as 0.6999999999999999 compares as 0.7. */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** All figures of the tracker for one moment. */
export function computeUsage({ quota, used, resetDay, now }: UsageInput): Usage {
  const period = periodFor(now, resetDay);
  const length = period.end.getTime() - period.start.getTime();
  const elapsed = now.getTime() - period.start.getTime();
  const rateWindow = Math.max(elapsed, MIN_RATE_WINDOW_MS);

  const daysLeft = (period.end.getTime() - now.getTime()) / DAY_MS;
  const burnRate = used / (rateWindow / DAY_MS);
  const projected = used + burnRate * daysLeft;

  return {
    period,
    quota,
    used,
    remaining: Math.max(0, quota - used),
    usagePercent: (used / quota) * 100,
    timePercent: (elapsed / length) * 100,
    efficiency: (used / quota) * (length / rateWindow),
    burnRate,
    projected,
    daysUntilReset: daysLeft,
    alert: alertFor(quota, used, projected),
  };
}

/** The designed three-mode rule; a value exactly at a threshold takes the higher mode. */
export function modeForEfficiency(efficiency: number): Mode {
  const e = clean(efficiency);
  if (e < AGGRESSIVE_BELOW) return 'aggressive';
  if (e < CONSERVATIVE_FROM) return 'normal';
  return 'conservative';
}

/** critical once the quota is spent; warning when on course to pass it or past 80%. */
export function alertFor(quota: number, used: number, projected: number): Alert {
  if (used >= quota) return 'critical';
  if (projected > quota || used >= quota * WARNING_SHARE) return 'warning';
  return 'ok';
}

export interface Decision {
  /** The mode, or `pace` when each workflow has its own tier. */
  mode: Mode | 'pace';
  reason: string;
  /** Each managed workflow's tier, by file name, when they differ (pace, or paused ones). */
  tiers?: Record<string, Tier>;
  /** With `pace`: each managed workflow's rate (runs a day), by file name. */
  rates?: Record<string, number>;
  /** With `pace`: usage expected at the reset with the new schedules, and the target. */
  projected?: number;
  target?: number;
}

/**
 * Why `auto` must slow down whatever the efficiency says, or undefined: the quota is used up,
 * or the projection passes the quota with the reset less than GUARD_DAYS away.
 */
export function guardReason(usage: Usage): string | undefined {
  if (usage.used >= usage.quota) {
    return `the quota is used up (${clean(usage.used)} of ${usage.quota})`;
  }
  if (usage.projected > usage.quota && usage.daysUntilReset <= GUARD_DAYS) {
    return `at this pace usage reaches ${Math.round(usage.projected)} of ${usage.quota} with ${usage.daysUntilReset.toFixed(1)} days to the reset, too late to correct`;
  }
  return undefined;
}

/** The mode to apply: the forced one, or the efficiency rule under the spent-quota guard. */
export function decideMode(requested: Mode | 'auto', usage: Usage): Decision & { mode: Mode } {
  if (requested !== 'auto') {
    return { mode: requested, reason: `mode forced to ${requested} by input` };
  }
  // The same precision as the efficiency output: three decimals, no trailing zeros.
  const e = String(Number(usage.efficiency.toFixed(3)));
  const guard = guardReason(usage);
  if (guard) return { mode: 'conservative', reason: `${guard}, so conservative (efficiency ${e})` };
  const mode = modeForEfficiency(usage.efficiency);
  const why: Record<Mode, string> = {
    aggressive: `efficiency ${e} is below ${AGGRESSIVE_BELOW}: the quota is being under-used`,
    normal: `efficiency ${e} is between ${AGGRESSIVE_BELOW} and ${CONSERVATIVE_FROM}: on track`,
    conservative: `efficiency ${e} is ${CONSERVATIVE_FROM} or more: the quota is being over-used`,
  };
  return { mode, reason: why[mode] };
}
