import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  MAX_VARIABLE_BYTES,
  type Plan,
  PlanError,
  parsePlan,
  planFor,
  renderPlan,
  splitPlan,
} from '../../src/fleet/plan.js';

const period = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') };
const issuedAt = new Date('2026-12-11T00:30:00Z');

/** A fleet of `n` repositories with three workflows each. */
function fleetPlan(n: number): Plan {
  const workflows = Array.from({ length: n }, (_, i) =>
    ['agent.yml', 'review.yml', 'ideas.yml'].map((w, j) => ({
      key: `acme/repo-${String(i).padStart(4, '0')}/${w}`,
      rate: 1 + ((i + j) % 11) / 3,
      reason: `${(1 + ((i + j) % 11) / 3).toFixed(2)} runs a day of the pool's budget`,
    })),
  ).flat();
  return buildPlan({ period, issuedAt, workflows });
}

describe('the plan format', () => {
  it('builds sorted, rounded entries with short reasons, and parses back the same', () => {
    const plan = buildPlan({
      period,
      issuedAt,
      workflows: [
        { key: 'acme/web/b.yml', rate: 2 / 3, reason: 'x'.repeat(300) },
        { key: 'acme/web/a.yml', rate: 4, reason: 'at its fastest' },
      ],
    });
    expect(Object.keys(plan.workflows)).toEqual(['acme/web/a.yml', 'acme/web/b.yml']);
    expect(plan.workflows['acme/web/b.yml']?.perDay).toBe(0.667);
    expect(plan.workflows['acme/web/b.yml']?.reason).toHaveLength(120);
    expect(plan.issuedAt).toBe('2026-12-11T00:30:00.000Z');
    expect(parsePlan(renderPlan(plan), 'p')).toEqual(plan);
  });

  it('keeps a plan that fits in one variable whole', () => {
    const plan = fleetPlan(10);
    const vars = splitPlan(plan, 'PLAN');
    expect(vars).toHaveLength(1);
    expect(vars[0]?.name).toBe('PLAN');
    expect(JSON.parse(vars[0]?.value ?? '')).toEqual(plan);
  });

  it('splits a plan too large for one variable by repository, with an index first', () => {
    const plan = fleetPlan(1000);
    expect(Buffer.byteLength(renderPlan(plan))).toBeGreaterThan(MAX_VARIABLE_BYTES);
    const vars = splitPlan(plan, 'PLAN');
    expect(vars.length).toBeGreaterThan(2);
    expect(vars.map((v) => v.name)).toEqual([
      'PLAN',
      ...vars.slice(1).map((_, i) => `PLAN_${i + 2}`),
    ]);
    for (const v of vars)
      expect(Buffer.byteLength(v.value)).toBeLessThanOrEqual(MAX_VARIABLE_BYTES);
    // Every entry is in exactly one part, and a repository's workflows stay together.
    const merged: Record<string, unknown> = {};
    for (const v of vars.slice(1)) {
      const part = parsePlan(v.value, v.name) as Plan;
      for (const key of Object.keys(part.workflows)) {
        expect(merged[key]).toBeUndefined();
        expect(v.repos).toContain(key.split('/').slice(0, 2).join('/'));
      }
      Object.assign(merged, part.workflows);
    }
    expect(merged).toEqual(plan.workflows);
    // A gate in any repository finds its entries from toJSON(vars).
    const all = JSON.stringify(Object.fromEntries(vars.map((v) => [v.name, v.value])));
    for (const repo of ['acme/repo-0000', 'acme/repo-0517', 'acme/repo-0999']) {
      const found = planFor(all, repo, 'PLAN');
      expect('plan' in found && found.plan.workflows[`${repo}/agent.yml`]).toEqual(
        plan.workflows[`${repo}/agent.yml`],
      );
    }
  });

  it('splits at a small limit too, and refuses a repository that cannot fit alone', () => {
    const plan = fleetPlan(3);
    const vars = splitPlan(plan, 'P', 500);
    expect(vars.length).toBe(4);
    expect(vars.slice(1).map((v) => v.repos)).toEqual([
      ['acme/repo-0000'],
      ['acme/repo-0001'],
      ['acme/repo-0002'],
    ]);
    expect(() => splitPlan(plan, 'P', 300)).toThrow(
      /alone take \d+ bytes, more than one variable holds \(300\)/,
    );
  });

  it('refuses what is not a plan without quoting it', () => {
    const secretish = 'not json but maybe ghp_abcdef';
    expect(() => parsePlan(secretish, 'the plan input')).toThrow(PlanError);
    try {
      parsePlan(secretish, 'the plan input');
    } catch (error) {
      expect((error as Error).message).not.toContain('ghp_');
      expect((error as Error).message).toMatch(/is not JSON \(29 bytes\)/);
    }
    const base = {
      version: 1,
      period: { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' },
      issuedAt: '2026-12-11T00:00:00Z',
    };
    expect(() => parsePlan(JSON.stringify({ ...base, version: 2, workflows: {} }), 'p')).toThrow(
      /version must be 1/,
    );
    expect(() =>
      parsePlan(JSON.stringify({ ...base, workflows: { 'a/b': { perDay: 1 } } }), 'p'),
    ).toThrow(/a key is owner\/repo\/workflow/);
    expect(() =>
      parsePlan(JSON.stringify({ ...base, workflows: { 'a/b/c.yml': { perDay: -1 } } }), 'p'),
    ).toThrow(/0 or more/);
    expect(() =>
      parsePlan(JSON.stringify({ ...base, issuedAt: 'soon', workflows: {} }), 'p'),
    ).toThrow(/issuedAt/);
  });

  it('says where a repository is when the gate holds only the index of a split plan', () => {
    const vars = splitPlan(fleetPlan(3), 'P', 500);
    const found = planFor(vars[0]?.value ?? '', 'acme/repo-0001', 'P');
    expect(found).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression a user writes
      note: 'the plan is split into 3 parts and acme/repo-0001 is in P_3, which the plan input does not hold: give the gate plan: ${{ toJSON(vars) }}',
    });
    const some = JSON.stringify({ P: vars[0]?.value, P_2: vars[1]?.value });
    expect(planFor(some, 'acme/repo-0002', 'P')).toEqual({
      note: "the plan's index names P_4 for acme/repo-0002, but this repository cannot read it (the variable's repository access)",
    });
    expect(planFor(JSON.stringify({ OTHER: 'x' }), 'acme/repo-0002', 'P')).toEqual({
      note: 'the variables hold no P',
    });
  });
});
