/**
 * One repository's plan in a repository variable, as the runner runs it: dist/index.js with
 * `apply: record` and `repository-variable: true` writes the decision as a plan to the
 * repository's Actions variable through a loopback fake of the API; then dist/gate/index.js,
 * with no token and no checkout, reads that value (INPUT_PLAN) at every firing of a day.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOrgRequest, startFakeOrg } from '../helpers/fake-org.mjs';
import { ROOT, runActionAsync } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const TOKEN = 'repo-token-s3cret';
const NOW = '2026-12-11T00:30:00Z';
const KEY = 'solo/app/DYNAMIC_ORCHESTRATOR_PLAN';
const CONFIG = `workflows:
  agent.yml:
    aggressive: '17 * * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
    cost: 10
`;
const WORKFLOW = "on:\n  schedule:\n    - cron: '17 * * * *'\n  workflow_dispatch:\njobs: {}\n";
const files = { '.github/orchestrator.yml': CONFIG, '.github/workflows/agent.yml': WORKFLOW };

let fault:
  | ((request: FakeOrgRequest) => { status: number; body?: unknown } | undefined)
  | undefined;
let fake: Awaited<ReturnType<typeof startFakeOrg>>;
beforeAll(async () => {
  fake = await startFakeOrg({
    token: TOKEN,
    org: 'solo',
    repos: [{ name: 'solo/app', id: 21 }],
    used: 600,
    handler: (request) => fault?.(request),
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fault = undefined;
  fake.repoVariables.clear();
});

const control = (inputs: Record<string, string>, ws = makeWorkspace(files)) =>
  runActionAsync({
    workspace: ws,
    inputs: {
      quota: '3000',
      mode: 'pace',
      apply: 'record',
      'repository-variable': 'true',
      token: TOKEN,
      'billing-entity': 'org:solo',
      'history-file': '',
      now: NOW,
      ...inputs,
    },
    env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: 'solo/app' },
  });

const gate = (plan: string, now: string, ws: string) => {
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(event, JSON.stringify({ schedule: '17 * * * *' }));
  return runActionAsync({
    entry: join(ROOT, 'dist/gate/index.js'),
    workspace: ws,
    inputs: { plan, now },
    env: {
      GITHUB_REPOSITORY: 'solo/app',
      GITHUB_WORKFLOW_REF: 'solo/app/.github/workflows/agent.yml@refs/heads/main',
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: event,
    },
  });
};

/** Everything a run shows, with the one line that masks the token taken out. */
const shown = (run: Awaited<ReturnType<typeof control>>) =>
  `${run.stdout.replace(`::add-mask::${TOKEN}`, '')}${run.stderr}${run.summary}${JSON.stringify(run.outputs)}`;
const writes = () => fake.seen.filter((r) => r.method !== 'GET').length;

describe('one repository, with a repository variable', () => {
  it('writes the plan to the repository variable, and the gate follows its share', async () => {
    const ws = makeWorkspace(files);
    const run = await control({}, ws);
    expect(run.status, run.stdout).toBe(0);
    expect(shown(run)).not.toContain(TOKEN);
    expect(run.stdout).toContain(
      'Repository variable DYNAMIC_ORCHESTRATOR_PLAN of solo/app created.',
    );
    const value = fake.repoVariables.get(KEY)?.value ?? '';
    expect(run.outputs.plan).toBe(value);
    expect(run.outputs['plan-bytes']).toBe(String(Buffer.byteLength(value)));
    const plan = JSON.parse(value);
    expect(plan).toMatchObject({
      version: 1,
      period: { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
      issuedAt: '2026-12-11T00:30:00.000Z',
    });
    expect(Object.keys(plan.workflows)).toEqual(['solo/app/agent.yml']);
    const perDay: number = plan.workflows['solo/app/agent.yml'].perDay;
    // Paced between its slowest (4 a day) and fastest (24 a day) tier.
    expect(perDay).toBeGreaterThanOrEqual(4);
    expect(perDay).toBeLessThanOrEqual(24);
    // No history: nothing in the workspace changed, so nothing needs a commit.
    expect(run.outputs['changed-files']).toBe('');
    expect(existsSync(join(ws, '.github/orchestrator-history.json'))).toBe(false);
    expect(readFileSync(join(ws, '.github/workflows/agent.yml'), 'utf8')).toBe(WORKFLOW);

    // The gate, at every firing of the next day of the hourly cron, with the variable's value.
    const gateWs = makeWorkspace();
    const day = Date.parse('2026-12-12T00:00:00Z');
    let proceeded = 0;
    for (let h = 0; h < 24; h++) {
      const at = new Date(day + h * 3_600_000 + 17 * 60_000 + 30_000).toISOString();
      const g = await gate(value, at, gateWs);
      expect(g.status, g.stdout).toBe(0);
      expect(g.stdout).not.toContain('::warning::');
      expect(g.outputs.mode).toBe(`plan (${Math.round(perDay * 100) / 100} runs a day)`);
      if (g.outputs.proceed === 'true') proceeded++;
    }
    expect(proceeded).toBeGreaterThanOrEqual(Math.floor(perDay) - 1);
    expect(proceeded).toBeLessThanOrEqual(Math.ceil(perDay) + 1);

    // The next day's run updates the variable in place.
    const again = await control({ now: '2026-12-12T00:30:00Z' });
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toContain(
      'Repository variable DYNAMIC_ORCHESTRATOR_PLAN of solo/app updated.',
    );
    expect(JSON.parse(fake.repoVariables.get(KEY)?.value ?? '{}').issuedAt).toBe(
      '2026-12-12T00:30:00.000Z',
    );
  }, 120_000);

  it('in a dry run prints the plan and writes no variable and no file', async () => {
    const ws = makeWorkspace(files);
    const before = writes();
    const run = await control(
      { 'dry-run': 'true', 'plan-variable': 'DRY_PLAN', 'history-file': '.github/h.json' },
      ws,
    );
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      `Dry run: the plan (${run.outputs['plan-bytes']} bytes) is not written to the repository variable DRY_PLAN of solo/app:`,
    );
    expect(run.stdout).toContain('DRY_PLAN={"version":1');
    expect(JSON.parse(run.outputs.plan ?? '{}').workflows['solo/app/agent.yml']).toBeDefined();
    expect(writes()).toBe(before);
    expect(fake.repoVariables.size).toBe(0);
    expect(existsSync(join(ws, '.github/h.json'))).toBe(false);
    expect(shown(run)).not.toContain(TOKEN);
    // With nothing to write, a dry run needs no token (usage from the used input).
    const local = await control({ 'dry-run': 'true', token: '', used: '600' });
    expect(local.status, local.stdout).toBe(0);
    expect(local.outputs.plan).toBe(run.outputs.plan);
    expect(writes()).toBe(before);
  });

  it('refuses apply: rewrite and a missing token, naming the inputs, before any request', async () => {
    const seen = fake.seen.length;
    const run = await control({ apply: 'rewrite', token: '', used: '100' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::Invalid inputs:');
    expect(run.stdout).toContain("'repository-variable: true' needs 'apply: record'");
    expect(run.stdout).toContain("'token' is required with 'repository-variable: true'");
    expect(fake.seen.length).toBe(seen);

    const bad = await control({ 'plan-variable': 'GITHUB_PLAN', 'repository-variable': 'yes' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      "::error::Invalid input: 'repository-variable' must be true or false",
    );

    const fleet = makeWorkspace({ '.github/orchestrator.yml': 'fleet:\n  organization: solo\n' });
    const inFleet = await control({}, fleet);
    expect(inFleet.status).toBe(1);
    expect(inFleet.stdout).toContain(
      "::error::Invalid input: 'repository-variable: true' is for one repository",
    );
    expect(fake.seen.length).toBe(seen);
    expect(shown(inFleet)).not.toContain(TOKEN);
  });

  it('writes no file when the variable cannot be written', async () => {
    fault = (r) =>
      r.path.startsWith('/repos/solo/app/actions/variables')
        ? { status: 403, body: { message: `Resource not accessible by ${TOKEN}` } }
        : undefined;
    const ws = makeWorkspace(files);
    const run = await control({ 'history-file': '.github/orchestrator-history.json' }, ws);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::PATCH /repos/solo/app/actions/variables/');
    expect(existsSync(join(ws, '.github/orchestrator-history.json'))).toBe(false);
    expect(shown(run)).not.toContain(TOKEN);
  });
});
