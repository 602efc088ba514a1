import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { parseHistory } from '../../src/usage/history.js';
import { makeWorkspace } from '../helpers/workspace.js';

// Pace through the action's own pipeline: a rate between the tiers is written as crons (only
// the cron bytes change) and recorded in the history; the gate set-up records it only.
const CONFIG = `workflows:
  agent.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
    cost: 2
    priority: 1
`;
const HISTORY = '.github/orchestrator-history.json';
const flow = (cron: string) =>
  `name: agent\non:\n  schedule:\n    - cron: "${cron}" # managed\njobs: {}\n`;
// Ten days at 15 a day of other use while the workflow ran 8 times a day at 2.
const records = Array.from({ length: 10 }, (_, i) => ({
  date: `2025-11-${String(i + 1).padStart(2, '0')}`,
  time: `2025-11-${String(i + 1).padStart(2, '0')}T00:07:00Z`,
  quota: 1000,
  used: 31 * i,
  mode: 'pace',
  alert: 'ok',
  tiers: { 'agent.yml': 'normal' },
  managedPerDay: 16,
  rates: { 'agent.yml': 8 },
}));

async function run(apply: string, extra: Record<string, string> = {}) {
  const ws = makeWorkspace({
    '.github/orchestrator.yml': CONFIG,
    '.github/workflows/agent.yml': flow('17 */3 * * *'),
    [HISTORY]: JSON.stringify({ version: 1, records }),
  });
  const inputs = parseInputs(
    (name) =>
      ({
        quota: '1200',
        used: '310',
        now: '2025-11-11T00:07:00Z',
        mode: 'pace',
        apply,
        'history-file': HISTORY,
        ...extra,
      })[name],
  );
  const result = await orchestrate({ ...inputs, workspace: ws });
  const saved = parseHistory(readFileSync(join(ws, HISTORY), 'utf8'));
  return { ws, result, last: 'records' in saved ? saved.records.at(-1) : undefined };
}

describe('pace in the action', () => {
  it('writes a rate between the tiers as an hour list at the workflow minute, and records it', async () => {
    // 310 used and 15 a day of other use for 20 days (300); the aim is 1200 less 6, 60 held
    // and 72 that the slowest schedule (4 runs at 2) spends over 9 days: 452 left for 20 days,
    // 22.6 a day, at 2 a run 11 runs, between normal (8) and aggressive (12).
    const { ws, result, last } = await run('rewrite');
    const rate = result.decision.rates?.['agent.yml'] as number;
    expect(Number.isInteger(rate)).toBe(true);
    expect(rate).toBeGreaterThan(8);
    expect(rate).toBeLessThan(12);
    const text = readFileSync(join(ws, '.github/workflows/agent.yml'), 'utf8');
    const cron = /cron: "([^"]+)"/.exec(text)?.[1] ?? '';
    expect(cron).toMatch(/^17 [\d,]+ \* \* \*$/);
    expect(cron.split(' ')[1]?.split(',')).toHaveLength(rate);
    // Only the cron bytes changed: quotes and the comment stay.
    expect(text).toBe(flow(cron));
    expect(last?.rates).toEqual({ 'agent.yml': rate });
  });

  it('behind the gate, records any rate and changes no file', async () => {
    const { ws, result, last } = await run('record');
    expect(readFileSync(join(ws, '.github/workflows/agent.yml'), 'utf8')).toBe(
      flow('17 */3 * * *'),
    );
    const rate = result.decision.rates?.['agent.yml'] as number;
    expect(rate).toBeGreaterThan(8);
    expect(last?.rates?.['agent.yml']).toBeCloseTo(rate, 3);
  });
});

describe('the history file', () => {
  const one = (extra: Record<string, unknown>) =>
    JSON.stringify({
      version: 1,
      records: [{ ...records[0], ...extra }],
    });

  it('accepts rates of runs a day, and refuses any that is not a finite number of 0 or more', () => {
    expect(parseHistory(one({ rates: { 'agent.yml': 2.5 } }))).toHaveProperty('records');
    expect(parseHistory(one({ rates: { 'agent.yml': -1 } }))).toEqual({
      problem:
        'record 1 is not a usage record: \'rates\' gives "agent.yml" the rate -1, which is not a finite number of runs a day, 0 or more',
    });
    expect(parseHistory(one({ rates: ['x'] }))).toEqual({
      problem: "record 1 is not a usage record: 'rates' is not an object",
    });
  });

  it('keeps a rate named __proto__ off Object.prototype', () => {
    const parsed = parseHistory(
      `{"version":1,"records":[${JSON.stringify(records[0]).slice(0, -1)},"rates":{"__proto__":3}}]}`,
    );
    const rates = 'records' in parsed ? parsed.records[0]?.rates : undefined;
    // Copied into a prototype-free object, the name is an own key like any other.
    expect(Object.getPrototypeOf(rates)).toBeNull();
    expect(Object.entries(rates ?? {})).toEqual([['__proto__', 3]]);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe('a cost the config does not give', () => {
  // Eleven days of history while agent.yml ran 4, then 12, then 4… runs a day: usage grew by
  // 10 a day of other use plus 2 a run, so a run costs 2, not the default 1.
  const varied = Array.from({ length: 11 }, (_, i) => {
    const rate = i % 2 === 0 ? 4 : 12;
    const used = Array.from({ length: i }, (_, j) => 10 + (j % 2 === 0 ? 4 : 12) * 2).reduce(
      (a, b) => a + b,
      0,
    );
    return {
      date: `2025-11-${String(i + 1).padStart(2, '0')}`,
      time: `2025-11-${String(i + 1).padStart(2, '0')}T00:07:00Z`,
      quota: 900,
      used,
      mode: 'pace',
      alert: 'ok',
      tiers: { 'agent.yml': rate === 4 ? 'conservative' : 'aggressive' },
      rates: { 'agent.yml': rate },
    };
  });
  const decide = async (config: string) => {
    const ws = makeWorkspace({
      '.github/orchestrator.yml': config,
      '.github/workflows/agent.yml': flow('17 */6 * * *'),
      [HISTORY]: JSON.stringify({ version: 1, records: varied }),
    });
    const inputs = parseInputs(
      (name) =>
        ({
          quota: '900',
          used: String((varied.at(-1)?.used ?? 0) + 10 + 4 * 2),
          now: '2025-11-12T00:07:00Z',
          mode: 'pace',
          apply: 'record',
          'dry-run': 'true',
          'history-file': HISTORY,
        })[name],
    );
    return (await orchestrate({ ...inputs, workspace: ws })).decision.rates?.[
      'agent.yml'
    ] as number;
  };

  it('is learned from the history, so the rate is what a cost of 2 allows, not a cost of 1', async () => {
    const base = CONFIG.replace('    cost: 2\n', '');
    const learned = await decide(base);
    const one = await decide(base.replace('priority: 1', 'priority: 1\n    cost: 1'));
    const two = await decide(CONFIG);
    expect(learned).toBeLessThan(one);
    expect(Math.abs(learned - two)).toBeLessThan(Math.abs(learned - one));
  });
});

describe('billing-lag-hours', () => {
  it('adds what was spent since a late figure, so pace runs a little slower', async () => {
    const rateWith = async (lag: string) =>
      (await run('record', { quota: '1000', 'dry-run': 'true', 'billing-lag-hours': lag })).result
        .decision.rates?.['agent.yml'] as number;
    // Twelve hours late: 310 stands for 310 plus half a day of 15 other and 16 managed.
    expect(await rateWith('12')).toBeLessThan(await rateWith('0'));
  });

  it('is refused outside 0 to 72 hours, naming the input', () => {
    expect(() =>
      parseInputs((name) => ({ quota: '10', used: '1', 'billing-lag-hours': '100' })[name]),
    ).toThrow(/'billing-lag-hours'.*0 to 72/);
  });
});
