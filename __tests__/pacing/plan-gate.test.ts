import { describe, expect, it } from 'vitest';
import { decideFromPlan, type PlanView } from '../../src/pacing/plan-gate.js';
import { DAY_MS } from '../../src/usage/period.js';

const plan: PlanView = {
  period: { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
  issuedAt: '2026-12-11T00:30:00.000Z',
  workflows: {
    'acme/web/a.yml': { perDay: 3, reason: '' },
    'acme/web/off.yml': { perDay: 0, reason: '' },
  },
};
const ask = (now: string, key = 'acme/web/a.yml', maxAgeDays = 3, crons = ['0 * * * *']) =>
  decideFromPlan({ plan, key, now: new Date(now), maxAgeMs: maxAgeDays * DAY_MS, crons });

describe('the gate from a plan', () => {
  it('lets through 3 of the 24 hourly firings of a day, one every eight hours', () => {
    const day = Array.from({ length: 24 }, (_, h) =>
      ask(`2026-12-12T${String(h).padStart(2, '0')}:00:10Z`),
    );
    expect(day.map((a, h) => (a.proceed ? h : -1)).filter((h) => h >= 0)).toEqual([0, 8, 16]);
    expect(day.every((a) => a.rate === 3 && a.warning === undefined)).toBe(true);
  });

  it.each([
    ['at the period end', '2027-01-01T00:00:10Z', 3, /not the current one/],
    ['before the period start', '2026-11-30T23:00:10Z', 3, /not the current one/],
    [
      'older than max-record-age',
      '2026-12-14T00:31:00Z',
      3,
      /issued 3\.0 days ago, more than max-record-age \(3 days\)/,
    ],
  ])('proceeds with a warning %s', (_what, now, days, warning) => {
    const answer = ask(now, 'acme/web/a.yml', days);
    expect(answer.proceed).toBe(true);
    expect(answer.warning).toMatch(warning);
    expect(answer.rate).toBeUndefined();
  });

  it('trusts a plan exactly max-record-age old, skips a paused one, warns on a missing key', () => {
    expect(ask('2026-12-14T00:30:00Z').warning).toBeUndefined();
    expect(ask('2026-12-12T05:00:10Z', 'acme/web/off.yml')).toMatchObject({
      proceed: false,
      rate: 0,
    });
    expect(ask('2026-12-12T05:00:10Z', 'acme/web/b.yml').warning).toBe(
      'The plan has no entry for acme/web/b.yml: the control run does not manage it',
    );
  });
});
