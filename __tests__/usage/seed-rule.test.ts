/** The table in docs/design.md that sets the seed's mode rule beside this action's is true. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  computeUsage,
  decideMode,
  modeForEfficiency,
  type Usage,
} from '../../src/usage/tracker.js';
import { ROOT } from '../helpers/run-action.js';

/** The seed's rule: the efficiency bands, then conservative once the projection reaches 90%. */
function seedRule(usage: Usage) {
  return usage.projected >= 0.9 * usage.quota
    ? 'conservative'
    : modeForEfficiency(usage.efficiency);
}

const doc = readFileSync(join(ROOT, 'docs/design.md'), 'utf8');
const section = doc.slice(doc.indexOf("### The seed's rule beside this one"));
const rows = section
  .split('\n')
  .filter((line) => /^\| Nov \d+ \|/.test(line))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

describe("docs/design.md: the seed's rule beside this one", () => {
  it('has rows, and rows where the rules differ', () => {
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.some((r) => r[4] !== r[5])).toBe(true);
  });

  it.each(rows)(
    '%s, used %s: efficiency %s, projected %s, seed %s, action %s',
    (day, used, e, p, seed, ours) => {
      const now = new Date(`2026-11-${day?.slice(4).padStart(2, '0')}T00:00:00Z`);
      const usage = computeUsage({ quota: 1500, used: Number(used), resetDay: 1, now });
      expect(Number(usage.efficiency.toFixed(3))).toBe(Number(e));
      expect(Math.round(usage.projected)).toBe(Number(p));
      expect(seedRule(usage)).toBe(seed);
      expect(decideMode('auto', usage).mode).toBe(ours);
    },
  );
});
