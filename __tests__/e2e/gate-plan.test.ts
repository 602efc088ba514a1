/** The gate reading a fleet plan, run as the runner runs dist/gate/index.js: no token, no checkout. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, renderPlan, splitPlan } from '../../src/fleet/plan.js';
import { ROOT, runAction } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const period = { start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') };
const plan = (issuedAt = '2026-12-11T00:30:00Z', rate = 6) =>
  renderPlan(
    buildPlan({
      period,
      issuedAt: new Date(issuedAt),
      workflows: [
        { key: 'acme/web/agent.yml', rate, reason: 'the pool is on pace' },
        { key: 'acme/docs/ideas.yml', rate: 0, reason: 'paused: the pool is short' },
        { key: 'acme/docs/triage.md', rate: 0, reason: 'paused: the pool is short' },
      ],
    }),
  );

function gate(inputs: Record<string, string>, repo = 'Acme/Web', event = 'schedule') {
  const ws = makeWorkspace();
  const payload = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(payload, JSON.stringify({ schedule: '0 * * * *' }));
  return runAction({
    entry: join(ROOT, 'dist/gate/index.js'),
    workspace: ws,
    inputs: { now: '2026-12-11T12:00:30Z', ...inputs },
    env: {
      GITHUB_REPOSITORY: repo,
      GITHUB_WORKFLOW_REF: `${repo}/.github/workflows/agent.yml@refs/heads/main`,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: payload,
    },
  });
}

describe('the gate with a plan', () => {
  it('proceeds on its share of firings: 6 runs a day of an hourly cron is every fourth', () => {
    const results = [0, 1, 2, 3, 4, 5, 6, 7].map((h) =>
      gate({ plan: plan(), now: `2026-12-11T${String(12 + h).padStart(2, '0')}:00:30Z` }),
    );
    for (const r of results) {
      expect(r.status, r.stdout).toBe(0);
      expect(r.outputs.mode).toBe('plan (6 runs a day)');
      expect(r.stdout).not.toContain('::warning::');
    }
    expect(results.map((r) => r.outputs.proceed)).toEqual([
      'true',
      'false',
      'false',
      'false',
      'true',
      'false',
      'false',
      'false',
    ]);
  });

  it('skips every scheduled run of a workflow the plan pauses, and lets a manual run through', () => {
    const paused = gate({ plan: plan(), workflow: 'ideas.yml' }, 'acme/docs');
    expect(paused.status).toBe(0);
    expect(paused.outputs).toMatchObject({ proceed: 'false', mode: 'plan (0 runs a day)' });
    const ideas = runAction({
      entry: join(ROOT, 'dist/gate/index.js'),
      workspace: makeWorkspace(),
      inputs: { plan: plan(), now: '2026-12-11T12:00:30Z', workflow: 'ideas.yml' },
      env: { GITHUB_REPOSITORY: 'acme/docs', GITHUB_EVENT_NAME: 'workflow_dispatch' },
    });
    expect(ideas.outputs.proceed).toBe('true');
    expect(ideas.outputs.reason).toContain('A workflow_dispatch run always proceeds');
  });

  it('finds an agentic workflow, run as NAME.lock.yml, under its NAME.md in the plan', () => {
    const r = gate({ plan: plan(), workflow: 'triage.lock.yml' }, 'acme/docs');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('::warning::');
    expect(r.outputs).toMatchObject({ proceed: 'false', mode: 'plan (0 runs a day)' });
  });

  it.each([
    [
      'from an earlier period',
      { plan: plan('2026-11-29T00:00:00Z'), now: '2027-01-02T12:00:30Z' },
      /The plan is for the period 2026-12-01 to 2027-01-01, not the current one/,
    ],
    [
      'older than max-record-age',
      { plan: plan('2026-12-05T00:00:00Z'), 'max-record-age': '2' },
      /The plan was issued 6\.5 days ago, more than max-record-age \(2 days\)/,
    ],
  ])('proceeds with a warning on a plan %s', (_what, inputs, message) => {
    const r = gate(inputs);
    expect(r.status).toBe(0);
    expect(r.outputs.proceed).toBe('true');
    expect(r.outputs.mode).toBe('unknown');
    expect(r.stdout).toMatch(new RegExp(`::warning::${message.source}`));
  });

  it('proceeds with a warning in a repository the plan does not hold', () => {
    const r = gate({ plan: plan() }, 'acme/other');
    expect(r.status).toBe(0);
    expect(r.outputs.proceed).toBe('true');
    expect(r.stdout).toContain('::warning::The plan has no entry for acme/other/agent.yml');
  });

  it('fails with a clear error on a plan that does not parse, without echoing it', () => {
    const value = '{"version":1, "workflows": ::set-output name=proceed::true';
    const r = gate({ plan: value });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("::error::the gate's plan input is not JSON (");
    expect(r.stdout).not.toContain('set-output name=proceed');
    expect(r.outputs.proceed).toBeUndefined();
    const shape = gate({ plan: '{"version":1,"period":{},"issuedAt":"x","workflows":{}}' });
    expect(shape.status).toBe(1);
    expect(shape.stdout).toContain(
      "::error::the gate's plan input is not a plan: period must have start and end times",
    );
  });

  it('finds its part of a split plan in toJSON(vars), and warns when given only the index', () => {
    const workflows = Array.from({ length: 40 }, (_, i) => ({
      key: `acme/repo-${String(i).padStart(2, '0')}/agent.yml`,
      rate: i % 2 === 0 ? 24 : 0,
      reason: 'the pool is on pace',
    }));
    const built = buildPlan({ period, issuedAt: new Date('2026-12-11T00:30:00Z'), workflows });
    const vars = splitPlan(built, 'DYNAMIC_ORCHESTRATOR_PLAN', 1000);
    expect(vars.length).toBeGreaterThan(3);
    const all = JSON.stringify({
      OTHER: 'x',
      ...Object.fromEntries(vars.map((v) => [v.name, v.value])),
    });
    const on = gate({ plan: all }, 'acme/repo-36');
    expect(on.outputs).toMatchObject({ proceed: 'true', mode: 'plan (24 runs a day)' });
    const off = gate({ plan: all }, 'acme/repo-37');
    expect(off.outputs).toMatchObject({ proceed: 'false', mode: 'plan (0 runs a day)' });
    const index = gate({ plan: vars[0]?.value ?? '' }, 'acme/repo-37');
    expect(index.outputs.proceed).toBe('true');
    expect(index.stdout).toContain('::warning::The fleet plan: the plan is split into');
    expect(index.stdout).toContain('which the plan input does not hold: give the gate plan: $');
    expect(index.stdout).toContain('toJSON(vars)');
  });

  it('reads a one-repository plan kept in a repository variable the same way', () => {
    const own = renderPlan(
      buildPlan({
        period,
        issuedAt: new Date('2026-12-11T00:30:00Z'),
        workflows: [{ key: 'solo/app/agent.yml', rate: 24, reason: 'at its fastest' }],
      }),
    );
    const r = gate({ plan: own }, 'solo/app');
    expect(r.outputs).toMatchObject({ proceed: 'true', mode: 'plan (24 runs a day)' });
  });
});
