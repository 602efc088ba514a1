import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS, InputError, parseInputs } from '../src/inputs.js';
import { ROOT } from './helpers/run-action.js';

const good = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z' };
const getter = (values: Record<string, string>) => (name: string) => values[name];

function problemsOf(values: Record<string, string>): string[] {
  try {
    parseInputs(getter(values));
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseInputs', () => {
  it('parses good inputs and applies the defaults', () => {
    const inputs = parseInputs(getter({ ...good, used: '0.33' }));
    expect(inputs).toMatchObject({
      quota: 1500,
      used: 0.33,
      resetDay: 1,
      mode: 'auto',
      dryRun: false,
      historyFile: '.github/orchestrator-history.json',
    });
    expect(inputs.now.toISOString()).toBe('2025-11-12T00:00:00.000Z');
  });

  it('reads a time without an offset as UTC', () => {
    expect(parseInputs(getter({ ...good, now: '2025-11-12T06:30' })).now.toISOString()).toBe(
      '2025-11-12T06:30:00.000Z',
    );
    expect(parseInputs(getter({ ...good, now: '2025-11-12' })).now.toISOString()).toBe(
      '2025-11-12T00:00:00.000Z',
    );
  });

  it.each([
    ['2025-11-12t06:30', '2025-11-12T06:30:00.000Z'],
    ['2025-11-12 06:30:15', '2025-11-12T06:30:15.000Z'],
    ['2025-11-12T06:30:15.5', '2025-11-12T06:30:15.500Z'],
    ['2025-11-12T06:30:15.123456z', '2025-11-12T06:30:15.123Z'],
    ['2025-11-12T06:30+02:00', '2025-11-12T04:30:00.000Z'],
    ['2025-11-12T00:30-01:30', '2025-11-12T02:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00Z', '1970-01-01T00:00:00.000Z'],
  ])('reads now = %s by its own grammar as %s', (now, iso) => {
    expect(parseInputs(getter({ ...good, now })).now.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30', 'does not exist'],
    ['2026-04-31', 'does not exist'],
    ['2026-02-29', 'does not exist'],
    ['2100-02-29', 'does not exist'],
    ['2025-00-10', 'does not exist'],
    ['0050-01-01', '1970 or later'],
    ['1969-12-31T23:59Z', '1970 or later'],
    ['1970-01-01T00:30+01:00', '1970 or later'],
    ['2025-11-12T24:00', 'time that does not exist'],
    ['2025-11-12T10:60', 'time that does not exist'],
    ['2025-11-12T10:00:60', 'time that does not exist'],
    ['2025-11-12T10:00+24:00', 'time that does not exist'],
    ['2025-11-12T10:00+0100', 'YYYY-MM-DD'],
    ['2025-11-12T10', 'YYYY-MM-DD'],
    ['2025-11-12Z', 'YYYY-MM-DD'],
    ['20251112', 'YYYY-MM-DD'],
    ['12 Nov 2025', 'YYYY-MM-DD'],
    ['+002025-11-12', 'YYYY-MM-DD'],
  ])('refuses now = %s (%s), naming the input and the allowed forms', (now, why) => {
    const problems = problemsOf({ ...good, now });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`'now'`);
    expect(problems[0]).toContain(`'${now}'`);
    expect(problems[0]).toContain(why);
    expect(problems[0]).toContain('YYYY-MM-DD');
  });

  it('reads backup-keep, 10 by default, and refuses what is not a count', () => {
    expect(parseInputs(getter(good)).backupKeep).toBe(10);
    expect(parseInputs(getter({ ...good, 'backup-keep': '3' })).backupKeep).toBe(3);
    for (const keep of ['0', '2.5', 'all', '1001']) {
      expect(problemsOf({ ...good, 'backup-keep': keep })[0]).toContain(`'backup-keep'`);
    }
  });

  it('takes the clock when now is empty', () => {
    const before = Date.now();
    const { now } = parseInputs(getter({ ...good, now: '' }));
    expect(now.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('turns history off with an explicit empty value only', () => {
    expect(parseInputs(getter({ ...good, 'history-file': '' })).historyFile).toBe('');
    expect(parseInputs(getter(good)).historyFile).toBe(DEFAULTS['history-file']);
  });

  it.each([
    ['quota', '0'],
    ['quota', '-5'],
    ['quota', 'abc'],
    ['quota', ''],
    ['used', '-1'],
    ['used', 'abc'],
    ['reset-day', '0'],
    ['reset-day', '32'],
    ['reset-day', 'x'],
    ['reset-day', '1.5'],
    ['mode', 'turbo'],
    ['now', 'garbage'],
    ['now', '2025-13-45T00:00:00Z'],
    ['dry-run', 'yes please'],
  ])('rejects %s = %j with a message naming the input', (name, value) => {
    const problems = problemsOf({ ...good, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`'${name}'`);
    if (value !== '') expect(problems[0]).toContain(`'${value}'`);
  });

  it('needs used only without a token', () => {
    const withToken = parseInputs(getter({ quota: '10', token: 'secret' }));
    expect(withToken.used).toBeUndefined();
    expect(withToken).toMatchObject({ token: 'secret', unit: 'ai-credits', product: 'copilot' });
    expect(withToken.billingEntity).toBeUndefined();
    expect(problemsOf({ quota: '10' })[0]).toBe(
      "'used' is required: a number of 0 or more (fractions allowed), or give a token to read it from the billing API",
    );
    expect(parseInputs(getter({ quota: '10', token: 't', used: '4' })).used).toBe(4);
  });

  it('reads the billing entity', () => {
    const inputs = parseInputs(
      getter({ ...good, 'billing-entity': 'org:acme-inc', unit: 'premium-requests' }),
    );
    expect(inputs.billingEntity).toEqual({ kind: 'org', name: 'acme-inc' });
    expect(inputs.unit).toBe('premium-requests');
    expect(
      parseInputs(getter({ ...good, 'billing-entity': 'org:acme/octo' })).billingEntity,
    ).toEqual({
      kind: 'org',
      name: 'acme',
      member: 'octo',
    });
  });

  it.each([
    ['billing-entity', 'acme'],
    ['billing-entity', 'team:acme'],
    ['billing-entity', 'user:octo/cat'],
    ['unit', 'dollars'],
    ['product', 'a/b'],
  ])('rejects %s = %j', (name, value) => {
    const problems = problemsOf({ ...good, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`'${name}'`);
  });

  it('reports every bad input at once', () => {
    const problems = problemsOf({
      quota: 'abc',
      used: '-1',
      'reset-day': '32',
      mode: 'turbo',
      now: 'x',
    });
    expect(problems.map((p) => p.split("'")[1])).toEqual([
      'quota',
      'used',
      'reset-day',
      'mode',
      'now',
    ]);
  });

  it('keeps DEFAULTS equal to the defaults in action.yml', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    for (const [name, value] of Object.entries(DEFAULTS)) {
      expect(action.inputs[name], name).toBeDefined();
      expect(String(action.inputs[name].default ?? ''), name).toBe(value);
    }
  });
});
