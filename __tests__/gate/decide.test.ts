import { describe, expect, it } from 'vitest';
import { decideGate, gateWindow, windowInWords } from '../../src/pacing/gate.js';
import { runsBetween } from '../../src/schedule/cron.js';

const FASTEST = '17 */2 * * *';
const NORMAL = ['17 */3 * * *'];

describe('the gate over a simulated day', () => {
  it('in normal mode lets through exactly the runs the normal cron would make', () => {
    const firings = runsBetween(
      FASTEST,
      new Date('2025-11-12T00:00:00Z'),
      new Date('2025-11-13T00:00:00Z'),
    );
    expect(firings).toHaveLength(12);
    const decided = firings.map((at) => ({
      at: at.toISOString().slice(11, 16),
      ...decideGate({
        event: 'schedule',
        firingCron: FASTEST,
        now: at,
        tierCrons: NORMAL,
        tierName: 'normal',
      }),
    }));
    expect(decided.filter((d) => d.proceed).map((d) => d.at)).toEqual([
      '00:17',
      '04:17',
      '06:17',
      '10:17',
      '12:17',
      '16:17',
      '18:17',
      '22:17',
    ]);
    expect(decided.filter((d) => !d.proceed).map((d) => d.at)).toEqual([
      '02:17',
      '08:17',
      '14:17',
      '20:17',
    ]);
    expect(decided[1]?.reason).toBe(
      'The normal schedule does not fire after 00:17, up to 02:17 UTC on 2025-11-12, so this run is skipped.',
    );
  });

  it('counts a late start against its own firing, not the next one', () => {
    // Started 40 minutes late: still the 02:17 firing, still skipped.
    const late = decideGate({
      event: 'schedule',
      firingCron: FASTEST,
      now: new Date('2025-11-12T02:57:00Z'),
      tierCrons: NORMAL,
      tierName: 'normal',
    });
    expect(late.proceed).toBe(false);
    expect(gateWindow(FASTEST, new Date('2025-11-12T02:57:00Z'))).toEqual({
      from: new Date('2025-11-12T00:17:00Z'),
      to: new Date('2025-11-12T02:17:00Z'),
    });
  });

  it('lets manual and other runs through, unless the quota is used up and blocking is on', () => {
    const now = new Date('2025-11-12T02:17:00Z');
    expect(
      decideGate({ event: 'workflow_dispatch', now, tierCrons: NORMAL, tierName: 'normal' }),
    ).toEqual({
      proceed: true,
      reason: 'A workflow_dispatch run always proceeds: a person or another event asked for it.',
    });
    expect(decideGate({ event: 'workflow_dispatch', now, blockExhausted: true }).proceed).toBe(
      false,
    );
    expect(
      decideGate({ event: 'schedule', firingCron: FASTEST, now, blockExhausted: true }).proceed,
    ).toBe(false);
  });

  it('proceeds when no mode is known', () => {
    const answer = decideGate({
      event: 'schedule',
      firingCron: FASTEST,
      now: new Date('2025-11-12T02:17:00Z'),
    });
    expect(answer.proceed).toBe(true);
    expect(answer.reason).toMatch(/No mode is known yet/);
  });
});

describe('the gate window in words', () => {
  it('names the hours, and both days when the window crosses midnight', () => {
    expect(windowInWords(new Date('2025-11-12T00:17:00Z'), new Date('2025-11-12T03:17:00Z'))).toBe(
      'after 00:17, up to 03:17 UTC on 2025-11-12',
    );
    expect(windowInWords(new Date('2025-11-11T22:17:00Z'), new Date('2025-11-12T00:17:00Z'))).toBe(
      'after 22:17 on 2025-11-11, up to 00:17 UTC on 2025-11-12',
    );
  });
});
