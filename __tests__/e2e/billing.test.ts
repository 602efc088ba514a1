import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { NODES, runActionAsync } from '../helpers/run-action.js';
import { exampleWorkspace, snapshot } from '../helpers/workspace.js';

const TOKEN = 'ghp_e2eSecretTokenValue0123456789abcdef';
let github: FakeGitHub | undefined;

afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** Every byte the action wrote where a person or a later step could see it. */
function everything(
  run: { stdout: string; stderr: string; outputs: Record<string, string>; summary: string },
  ws: string,
) {
  return [
    run.stdout,
    run.stderr,
    JSON.stringify(run.outputs),
    run.summary,
    JSON.stringify(snapshot(ws)),
  ].join('\n');
}

describe.each(NODES)(
  'dist/index.js reading usage from a fake billing API under %s',
  (_label, node) => {
    it('sums the usage, decides the mode and never shows the token', async () => {
      github = await startFakeGitHub({ token: TOKEN });
      const ws = exampleWorkspace();
      const run = await runActionAsync({
        node,
        workspace: ws,
        inputs: { quota: '1500', token: TOKEN, now: '2025-11-12T00:00:00Z' },
        env: { GITHUB_API_URL: github.url },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
      const report = JSON.parse(run.outputs.report ?? '{}');
      expect(report).toMatchObject({
        used: 300.5,
        mode: 'aggressive',
        source: 'the billing API (user:octo, ai-credits)',
      });
      expect(run.outputs['usage-percent']).toBe('20.03');
      expect(run.stdout).toContain('from the billing API (user:octo, ai-credits)');
      const history = JSON.parse(
        readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'),
      );
      expect(history.records[0].used).toBe(300.5);
      // The mask line is the one place the runner must see it; nothing else may carry it.
      expect(everything(run, ws).replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    });

    it('falls back to the used input with a warning when the API refuses', async () => {
      github = await startFakeGitHub({ token: 'another-token' });
      const ws = exampleWorkspace();
      const run = await runActionAsync({
        node,
        workspace: ws,
        inputs: {
          quota: '1500',
          used: '600',
          token: TOKEN,
          now: '2025-11-12T00:00:00Z',
          'history-file': '',
        },
        env: { GITHUB_API_URL: github.url },
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        /::warning::The billing API refused the token \(401\).*Using the used input \(600\) instead\./,
      );
      expect(run.outputs.mode).toBe('normal');
      expect(everything(run, ws).replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    });

    it('fails, naming what to do, when the API refuses and no used is given', async () => {
      github = await startFakeGitHub({
        token: TOKEN,
        handler: (r) => (r.path === '/user' ? undefined : { status: 403, body: {} }),
      });
      const ws = exampleWorkspace();
      const before = snapshot(ws);
      const run = await runActionAsync({
        node,
        workspace: ws,
        inputs: { quota: '1500', token: TOKEN, 'billing-entity': 'org:acme' },
        env: { GITHUB_API_URL: github.url },
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(
        /::error::The billing API answered 403 for org:acme: .*Administration: read/,
      );
      expect(snapshot(ws)).toEqual(before);
      expect(everything(run, ws).replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    });
  },
);
