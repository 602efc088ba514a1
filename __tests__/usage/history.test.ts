import { describe, expect, it } from 'vitest';
import {
  type HistoryRecord,
  MAX_RECORDS,
  parseHistory,
  recordOf,
  recordRun,
  renderHistory,
  trendBurnRate,
} from '../../src/usage/history.js';
import { computeUsage } from '../../src/usage/tracker.js';

const usageAt = (iso: string, used: number) =>
  computeUsage({ quota: 1500, used, resetDay: 1, now: new Date(iso) });
const record = (iso: string, used: number): HistoryRecord =>
  recordOf(usageAt(iso, used), 'normal', new Date(iso));

describe('history records', () => {
  it('round-trips through the file text', () => {
    const records = [record('2025-11-10T00:07:00Z', 200), record('2025-11-11T00:07:00Z', 250)];
    const text = renderHistory(records);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseHistory(text)).toEqual({ records });
  });

  it('keeps one record a day: a later run that day replaces it', () => {
    const morning = record('2025-11-11T00:07:00Z', 250);
    const evening = record('2025-11-11T18:00:00Z', 260);
    const next = record('2025-11-12T00:07:00Z', 300);
    expect(recordRun(recordRun([morning], evening), next)).toEqual([evening, next]);
  });

  it(`is bounded to ${MAX_RECORDS} records, dropping the oldest`, () => {
    let records: HistoryRecord[] = [];
    const start = Date.parse('2024-01-01T00:07:00Z');
    for (let d = 0; d < MAX_RECORDS + 25; d++) {
      records = recordRun(records, record(new Date(start + d * 86_400_000).toISOString(), d));
    }
    expect(records).toHaveLength(MAX_RECORDS);
    expect(records[0]?.used).toBe(25);
  });

  it.each([
    ['{', /not valid JSON/],
    ['[]', /expected an object with a 'records' list/],
    ['{"records": [{"date": "2025-11-11"}]}', /record 1 is not a usage record/],
    [
      '{"records": [{"date":"2025-11-11","time":"x","quota":1,"used":1,"mode":"normal","alert":"ok"}]}',
      /record 1/,
    ],
  ])('reports %s as a problem', (text, problem) => {
    const parsed = parseHistory(text);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('trendBurnRate', () => {
  it('measures from the oldest record of the last 7 days', () => {
    const records = [
      record('2025-11-02T00:00:00Z', 10), // older than 7 days: ignored
      record('2025-11-05T00:00:00Z', 100),
      record('2025-11-09T00:00:00Z', 200),
    ];
    // 7 days from Nov 5 to Nov 12: (380 - 100) / 7 = 40 a day.
    expect(
      trendBurnRate(
        records,
        usageAt('2025-11-12T00:00:00Z', 380),
        new Date('2025-11-12T00:00:00Z'),
      ),
    ).toBe(40);
  });

  it('counts from the period start (at 0) when the period is younger than 7 days', () => {
    expect(
      trendBurnRate([], usageAt('2025-11-05T00:00:00Z', 80), new Date('2025-11-05T00:00:00Z')),
    ).toBe(20);
  });

  it('ignores records of the previous period', () => {
    const records = [record('2025-10-29T00:00:00Z', 1400)];
    expect(
      trendBurnRate(records, usageAt('2025-11-03T00:00:00Z', 60), new Date('2025-11-03T00:00:00Z')),
    ).toBe(30);
  });

  it('has no trend when the history does not reach back a day', () => {
    const records = [record('2025-11-20T06:00:00Z', 900)];
    expect(
      trendBurnRate(
        records,
        usageAt('2025-11-20T12:00:00Z', 910),
        new Date('2025-11-20T12:00:00Z'),
      ),
    ).toBeUndefined();
    expect(
      trendBurnRate([], usageAt('2025-11-20T12:00:00Z', 910), new Date('2025-11-20T12:00:00Z')),
    ).toBeUndefined();
  });
});
