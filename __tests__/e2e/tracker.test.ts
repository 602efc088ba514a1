import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODES, runAction } from '../helpers/run-action.js';

const example = {
  quota: '1500',
  used: '300',
  'reset-day': '1',
  now: '2025-11-12T00:00:00Z',
  'history-file': '',
};

describe.each(NODES)('dist/index.js under %s', (_label, node) => {
  it('runs on this node', () => {
    expect(existsSync(node)).toBe(true);
  });

  it('gives the worked example through GITHUB_OUTPUT', () => {
    const run = runAction({ node, inputs: example });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({
      mode: 'aggressive',
      'usage-percent': '20',
      'time-percent': '36.67',
      efficiency: '0.545',
      'burn-rate': '27.27',
      projected: '818.18',
      remaining: '1200',
      'days-until-reset': '19',
      alert: 'ok',
    });
    expect(run.stdout).toContain('Mode: aggressive');
  });

  it('fails with one ::error:: naming every bad input, and writes no output', () => {
    const run = runAction({
      node,
      inputs: { quota: '0', used: 'abc', 'reset-day': '32', mode: 'turbo', now: 'garbage' },
    });
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    for (const name of ['quota', 'used', 'reset-day', 'mode', 'now'])
      expect(errors[0]).toContain(`'${name}'`);
    expect(run.outputs).toEqual({});
  });
});
