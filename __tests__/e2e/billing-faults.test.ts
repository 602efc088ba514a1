/**
 * A billing API that hangs, rate-limits or answers nonsense, met by the bundles as the runner
 * runs them. Budgets are short (billing-timeout) so that every case ends in seconds; nothing
 * here measures time, only what the step did and how many requests it made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answer, type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { NODES, ROOT, runActionAsync } from '../helpers/run-action.js';
import { exampleWorkspace, makeWorkspace, snapshot } from '../helpers/workspace.js';

const TOKEN = 'ghp_faultsTestToken0123456789abcdef';
const NOW = '2025-11-12T00:00:00Z';
let github: FakeGitHub | undefined;

afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** A fake API whose usage endpoint gives `answer`; GET /user answers as recorded. */
async function api(answer: Answer) {
  github = await startFakeGitHub({
    token: TOKEN,
    handler: (r) => (r.path === '/user' ? undefined : answer),
  });
  return github;
}
const usageRequests = () => github?.seen.filter((r) => r.path !== '/user').length;

function action(node: string, inputs: Record<string, string>, ws = exampleWorkspace()) {
  return runActionAsync({
    node,
    workspace: ws,
    inputs: { quota: '1500', token: TOKEN, now: NOW, 'billing-timeout': '1', ...inputs },
    env: { GITHUB_API_URL: github?.url ?? '' },
  });
}

const HANG: Answer = { status: 200, hang: 'before-headers' };
const RATE_LIMITED = (after: string): Answer => ({
  status: 429,
  headers: { 'retry-after': after },
  body: { message: 'API rate limit exceeded' },
});

describe.each(NODES)('dist/index.js and a billing API that misbehaves, under %s', (_l, node) => {
  it('ends at the billing-timeout on a server that never answers, falling back to used', async () => {
    await api(HANG);
    const run = await action(node, { used: '600', 'history-file': '' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::The billing API did not answer for user:octo: no answer within the 1 s budget; the billing-timeout input sets the budget \(1 s\)\. Using the used input \(600\) instead\./,
    );
    expect(JSON.parse(run.outputs.report ?? '{}')).toMatchObject({
      used: 600,
      source: 'the used input (the billing API could not be read)',
    });
    expect(usageRequests()).toBe(1);
  });

  it('fails with a clear error, writing nothing, when it never answers and no used is given', async () => {
    await api(HANG);
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const run = await action(node, {}, ws);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::The billing API did not answer for user:octo: no answer within the 1 s budget; the billing-timeout input sets the budget/m,
    );
    expect(snapshot(ws)).toEqual(before);
  });

  it('does not wait out a Retry-After of an hour: one request, then the fallback', async () => {
    await api(RATE_LIMITED('3600'));
    const run = await action(node, { used: '600', 'history-file': '', 'billing-timeout': '5' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::The billing API did not answer for user:octo \(last answer 429\): the server asked to wait 3600 s, longer than the longest wait honoured \(30 s\)/,
    );
    expect(run.outputs.mode).toBe('normal');
    expect(usageRequests()).toBe(1);
  });

  it('makes one request for a Retry-After of 15 s that the budget cannot hold', async () => {
    await api(RATE_LIMITED('15'));
    const run = await action(node, { used: '600', 'history-file': '', 'billing-timeout': '5' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'the server asked to wait 15 s, longer than what is left of the 5 s budget',
    );
    // The two plugins this replaced made 12 requests here.
    expect(usageRequests()).toBe(1);
  });

  it('makes at most 3 requests however often a 429 asks for no wait', async () => {
    await api(RATE_LIMITED('0'));
    const run = await action(node, { used: '600', 'history-file': '', 'billing-timeout': '5' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(429) after 3 attempts');
    expect(usageRequests()).toBe(3);
  });

  it('refuses a negative quantity, naming the field, and falls back to used', async () => {
    await api({ status: 200, body: { usageItems: [{ product: 'Copilot', grossQuantity: -500 }] } });
    const run = await action(node, { used: '600', 'history-file': '' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::The billing API answer for user:octo \(2025-11\) has usageItems\[0\]\.grossQuantity = -500; expected a finite number of 0 or more\. Using the used input \(600\) instead\./,
    );
    expect(run.outputs.remaining).toBe('900');
  });

  it('refuses quantities that sum to Infinity, so the history keeps a real number', async () => {
    const huge = { product: 'Copilot', grossQuantity: 1.7e308 };
    await api({ status: 200, body: { usageItems: [huge, huge] } });
    const ws = exampleWorkspace();
    const run = await action(node, { used: '600' }, ws);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('whose sum is not a finite number');
    const history = JSON.parse(readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'));
    expect(history.records.map((r: { used: number }) => r.used)).toEqual([600]);
  });

  it('fails naming the field when the answer is wrong and no used is given', async () => {
    await api({ status: 200, body: { usageItems: [{ product: 'Copilot', grossQuantity: '7' }] } });
    const run = await action(node, {});
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*usageItems\[0\]\.grossQuantity = "7"/m);
  });
});

const CONFIG = `workflows:
  agent-spawner.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
`;

describe.each(NODES)('dist/gate/index.js and a billing API that hangs, under %s', (_l, node) => {
  it('fails with a clear error at the billing-timeout', async () => {
    await api(HANG);
    const run = await runActionAsync({
      node,
      entry: join(ROOT, 'dist/gate/index.js'),
      workspace: makeWorkspace({ '.github/orchestrator.yml': CONFIG }),
      inputs: {
        workflow: 'agent-spawner.yml',
        token: TOKEN,
        quota: '1500',
        now: NOW,
        'billing-timeout': '1',
      },
      env: { GITHUB_API_URL: github?.url ?? '', GITHUB_EVENT_NAME: 'schedule' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::The billing API did not answer for user:octo: no answer within the 1 s budget; the billing-timeout input sets the budget/m,
    );
    expect(usageRequests()).toBe(1);
  });

  it('refuses a billing-timeout that is not a number of seconds', async () => {
    const run = await runActionAsync({
      node,
      entry: join(ROOT, 'dist/gate/index.js'),
      workspace: makeWorkspace({ '.github/orchestrator.yml': CONFIG }),
      inputs: {
        workflow: 'agent-spawner.yml',
        token: TOKEN,
        quota: '1500',
        'billing-timeout': '0',
      },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("'billing-timeout' must be a number of seconds greater than 0");
  });
});
