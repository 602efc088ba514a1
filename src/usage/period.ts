/** The billing calendar: periods that start at 00:00 UTC on a reset day. */

export const DAY_MS = 86_400_000;

/** One billing period, [start, end). */
export interface Period {
  start: Date;
  end: Date;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** 00:00 UTC of `resetDay` in the given month, clamped to the month's last day. */
export function resetMoment(year: number, month: number, resetDay: number): Date {
  // Date.UTC normalises month overflow (month 12 is January of the next year).
  const first = new Date(Date.UTC(year, month, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth();
  return new Date(Date.UTC(y, m, Math.min(resetDay, daysInMonth(y, m))));
}

/** The period that contains `now`: start <= now < end. */
export function periodFor(now: Date, resetDay: number): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const thisMonth = resetMoment(y, m, resetDay);
  if (thisMonth.getTime() <= now.getTime()) {
    return { start: thisMonth, end: resetMoment(y, m + 1, resetDay) };
  }
  return { start: resetMoment(y, m - 1, resetDay), end: thisMonth };
}
