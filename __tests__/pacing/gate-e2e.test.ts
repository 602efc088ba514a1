import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { ROOT, runAction, runActionAsync } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

// The gate as the runner runs it (dist/gate/index.js), reading pace's recorded rate, or with a
// token deciding each run from the budget against a loopback fake of the billing API.
const CONFIG = `workflows:
  agent-spawner.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
    cost: 2
`;
const WORKFLOW = "on:\n  schedule:\n    - cron: '17 */2 * * *'\njobs: {}\n";
const TOKEN = 'ghp_budgetGateToken0123456789';
const record = (rate: number) => ({
  date: '2025-11-12',
  time: '2025-11-12T00:07:00Z',
  quota: 1500,
  used: 300,
  mode: 'pace',
  alert: 'ok',
  tiers: { 'agent-spawner.yml': 'conservative' },
  managedPerDay: rate * 2,
  rates: { 'agent-spawner.yml': rate },
});

function workspace(records: unknown[]) {
  const ws = makeWorkspace({
    '.github/orchestrator.yml': CONFIG,
    '.github/workflows/agent-spawner.yml': WORKFLOW,
    '.github/orchestrator-history.json': JSON.stringify({ version: 1, records }),
  });
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(event, JSON.stringify({ schedule: '17 */2 * * *' }));
  return { ws, event };
}
const env = (event: string) => ({
  GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/agent-spawner.yml@refs/heads/main',
  GITHUB_EVENT_NAME: 'schedule',
  GITHUB_EVENT_PATH: event,
});

describe('the gate behind pace', () => {
  it('lets through the share of firings that gives the recorded rate, evenly spread', () => {
    // 3 runs a day of 12 firings: a slot every 8 hours from the period start.
    const { ws, event } = workspace([record(3)]);
    const at = (now: string) =>
      runAction({
        workspace: ws,
        entry: join(ROOT, 'dist/gate/index.js'),
        env: env(event),
        inputs: { now },
      }).outputs;
    const day = Array.from(
      { length: 12 },
      (_, i) => `2025-11-12T${String(i * 2).padStart(2, '0')}:17:00Z`,
    );
    const through = day.filter((now) => at(now).proceed === 'true');
    expect(through).toEqual([
      '2025-11-12T00:17:00Z',
      '2025-11-12T08:17:00Z',
      '2025-11-12T16:17:00Z',
    ]);
    const skip = at('2025-11-12T10:17:00Z');
    expect(skip.mode).toBe('pace (3 runs a day)');
    expect(skip.reason).toBe(
      'The recorded rate is 3 runs a day, and this firing is not one of them, so this run is skipped.',
    );
  });
});

describe('the budget gate (with a token)', () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });
  const run = (ws: string, event: string, inputs: Record<string, string>) =>
    runActionAsync({
      workspace: ws,
      entry: join(ROOT, 'dist/gate/index.js'),
      env: { ...env(event), GITHUB_API_URL: github?.url ?? '' },
      inputs: { token: TOKEN, ...inputs },
    });

  it('skips cleanly, with the reason, once what remains does not cover the run and the forecast', async () => {
    github = await startFakeGitHub({ token: TOKEN });
    const { ws, event } = workspace([record(4)]);
    // The fake bills 300.5 this month; a quota of 320 leaves 19.5 for 18 days of other use.
    const out = await run(ws, event, { quota: '320', now: '2025-11-12T08:17:00Z' });
    expect(out.status).toBe(0);
    expect(out.outputs.proceed).toBe('false');
    expect(out.outputs.reason).toMatch(
      /^What is left of the quota \(19\.5\) does not cover this run/,
    );
    expect(out.summary).toContain('skip');
    expect(
      `${out.stdout}${out.summary}${JSON.stringify(out.outputs)}`.replace(
        `::add-mask::${TOKEN}`,
        '',
      ),
    ).not.toContain(TOKEN);
  });

  it('lets runs through at the budget rate while the quota has room', async () => {
    github = await startFakeGitHub({ token: TOKEN });
    const { ws, event } = workspace([record(4)]);
    const day = Array.from(
      { length: 12 },
      (_, i) => `2025-11-12T${String(i * 2).padStart(2, '0')}:17:00Z`,
    );
    const answers = [];
    for (const now of day) answers.push((await run(ws, event, { quota: '1500', now })).outputs);
    const through = answers.filter((a) => a.proceed === 'true').length;
    // Plenty left (1199.5 for 19 days): the budget gives the fastest rate, every firing.
    expect(through).toBe(12);
    expect(answers[0]?.mode).toBe('budget (12 runs a day)');
    expect(answers[0]?.reason).toMatch(
      /^The budget gives agent-spawner\.yml 12 runs a day and covers this one/,
    );
  });
});
