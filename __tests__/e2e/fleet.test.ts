/**
 * The fleet end to end, as the runner runs it: dist/index.js in a control repository whose
 * config has a fleet: section, against a loopback fake organization (3 repositories with
 * configs and runs, org billing and seats); it writes the plan variable through the fake. Then
 * dist/gate/index.js runs in each repository with that plan (INPUT_PLAN), with no token and no
 * checkout, over every firing of a day.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRepo, repoConfig, startFakeOrg } from '../helpers/fake-org.mjs';
import { ROOT, runActionAsync } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const NOW = '2026-12-11T00:30:00Z';
const CONTROL = `fleet:
  organization: acme
  repositories:
    - repo: acme/web
      priority: 2
      floor: 10
    - acme/agents
    - acme/docs
`;
const runsOn = (n: number, event = 'schedule') =>
  Array.from({ length: n }, (_, i) => ({
    event,
    created_at: new Date(Date.parse('2026-12-01T01:00:00Z') + i * 3_600_000).toISOString(),
  }));
const REPOS: FakeRepo[] = [
  {
    name: 'acme/web',
    id: 11,
    config: repoConfig(['triage.yml'], { cost: 2 }),
    runs: { 'triage.yml': runsOn(150) },
  },
  {
    name: 'acme/agents',
    id: 12,
    config: repoConfig(['spawner.yml', 'review.yml'], { cost: 3 }),
    runs: {
      'spawner.yml': runsOn(40),
      'review.yml': [...runsOn(30), ...runsOn(2, 'workflow_dispatch')],
    },
  },
  {
    name: 'acme/docs',
    id: 13,
    // An agentic workflow: managed as its .md, run (and listed by the Actions API) as its lock file.
    config: repoConfig(['ideas.md']),
    runs: { 'ideas.lock.yml': runsOn(10) },
  },
];

let fake: Awaited<ReturnType<typeof startFakeOrg>>;
beforeAll(async () => {
  fake = await startFakeOrg({
    token: 'fleet-token',
    org: 'acme',
    repos: REPOS,
    used: 1200,
    seats: 3,
  });
});
afterAll(() => fake.close());

const gate = (repo: string, workflow: string, plan: string, now: string, ws = makeWorkspace()) => {
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(event, JSON.stringify({ schedule: '0 */2 * * *' }));
  return runActionAsync({
    entry: join(ROOT, 'dist/gate/index.js'),
    workspace: ws,
    inputs: { plan, now },
    env: {
      GITHUB_REPOSITORY: repo,
      GITHUB_WORKFLOW_REF: `${repo}/.github/workflows/${workflow}@refs/heads/main`,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: event,
    },
  });
};

describe('the fleet, end to end', () => {
  it('writes the plan variable, and each repository gate follows its share', async () => {
    const control = makeWorkspace({ '.github/orchestrator.yml': CONTROL });
    const run = await runActionAsync({
      workspace: control,
      inputs: { quota: 'seats', 'copilot-plan': 'business', token: 'fleet-token', now: NOW },
      env: { GITHUB_API_URL: fake.url },
    });
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    const logged = run.stdout.replace('::add-mask::fleet-token', '');
    expect(`${logged}${run.summary}${JSON.stringify(run.outputs)}`).not.toContain('fleet-token');

    const variable = fake.variables.get('DYNAMIC_ORCHESTRATOR_PLAN');
    expect(variable?.visibility).toBe('selected');
    expect([...(variable?.selected_repository_ids ?? [])].sort()).toEqual([11, 12, 13]);
    const plan = JSON.parse(variable?.value ?? '{}');
    expect(run.outputs.plan).toBe(variable?.value);
    expect(run.outputs['plan-bytes']).toBe(String(Buffer.byteLength(variable?.value ?? '')));
    expect(plan.period).toEqual({
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
    expect(Object.keys(plan.workflows)).toEqual([
      'acme/agents/review.yml',
      'acme/agents/spawner.yml',
      'acme/docs/ideas.md',
      'acme/web/triage.yml',
    ]);
    // 3 seats × 1,900 credits: the pool, from the seat API. The report is one publish reads.
    const report = JSON.parse(run.outputs.report ?? '{}');
    expect(report).toMatchObject({
      quota: 5700,
      mode: 'pace',
      alert: 'ok',
      changedFiles: ['.github/orchestrator-history.json'],
    });
    expect(typeof report.changed).toBe('boolean');
    for (const entry of Object.values(plan.workflows) as { perDay: number }[]) {
      expect(entry.perDay).toBeGreaterThanOrEqual(0);
      expect(entry.perDay).toBeLessThanOrEqual(12);
    }

    // The control history keeps the fleet's rates and each workflow's runs this period.
    const history = JSON.parse(
      readFileSync(join(control, '.github/orchestrator-history.json'), 'utf8'),
    );
    const record = history.records.at(-1);
    // The request cache rides in the history: tomorrow's reads ask with these ETags.
    expect(Object.keys(history.fleet.configs)).toEqual(['acme/agents', 'acme/docs', 'acme/web']);
    expect(record.rates['acme/web/triage.yml']).toBe(plan.workflows['acme/web/triage.yml'].perDay);
    expect(record.runs).toEqual({
      'acme/agents/review.yml': 32,
      'acme/agents/spawner.yml': 40,
      'acme/docs/ideas.md': 10,
      'acme/web/triage.yml': 150,
    });

    // Each repository's gate, at every firing of the next day (the cron fires every 2 hours):
    // the firings that proceed are the plan's rate a day, evenly spread.
    const day = Date.parse('2026-12-12T00:00:00Z');
    for (const [key, entry] of Object.entries(plan.workflows) as [string, { perDay: number }][]) {
      const [owner, name, workflow] = key.split('/') as [string, string, string];
      const ws = makeWorkspace();
      let proceeded = 0;
      for (let h = 0; h < 24; h += 2) {
        const at = new Date(day + h * 3_600_000 + 60_000).toISOString();
        // GitHub runs an agentic workflow as its lock file; the gate finds it under its .md.
        const runs = workflow.replace(/\.md$/, '.lock.yml');
        const g = await gate(`${owner}/${name}`, runs, variable?.value ?? '', at, ws);
        expect(g.status, g.stdout).toBe(0);
        expect(g.outputs.mode).toBe(`plan (${Math.round(entry.perDay * 100) / 100} runs a day)`);
        if (g.outputs.proceed === 'true') proceeded++;
        else expect(g.outputs.reason).toContain('is not one of them');
      }
      const share = Math.min(12, entry.perDay);
      expect(proceeded, key).toBeGreaterThanOrEqual(Math.floor(share) - 1);
      expect(proceeded, key).toBeLessThanOrEqual(Math.ceil(share) + 1);
    }
  }, 120_000);

  it('in a dry run prints the plan and writes no variable and no file', async () => {
    const control = makeWorkspace({ '.github/orchestrator.yml': CONTROL });
    const before = fake.variables.size;
    const writes = () => fake.seen.filter((r) => r.method !== 'GET').length;
    const writesBefore = writes();
    const run = await runActionAsync({
      workspace: control,
      inputs: {
        quota: '5000',
        token: 'fleet-token',
        now: NOW,
        'dry-run': 'true',
        'plan-variable': 'DRY_PLAN',
      },
      env: { GITHUB_API_URL: fake.url },
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain('DRY_PLAN={"version":1');
    expect(fake.variables.has('DRY_PLAN')).toBe(false);
    expect(fake.variables.size).toBe(before);
    expect(writes()).toBe(writesBefore);
    expect(() => readFileSync(join(control, '.github/orchestrator-history.json'))).toThrow();
  });

  it('fails with every bad fleet input named, and writes nothing', async () => {
    const control = makeWorkspace({ '.github/orchestrator.yml': CONTROL });
    const run = await runActionAsync({
      workspace: control,
      inputs: {
        quota: 'seats',
        'copilot-plan': 'gold',
        'plan-variable': 'GITHUB_PLAN',
        'run-costs': 'gh-aw-runs.json',
        now: NOW,
      },
      env: { GITHUB_API_URL: fake.url },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("'copilot-plan' must be business");
    expect(run.stdout).toContain("'token' is required in fleet mode");
    expect(run.stdout).toContain("'plan-variable'");
    expect(run.stdout).toContain("'run-costs' is for one repository");
  });
});
