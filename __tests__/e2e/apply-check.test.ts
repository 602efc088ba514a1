/** dist/index.js checks its diff with `git apply --check` before it writes or reports it. */
import { delimiter } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPath, fakeProgram, REFUSING_GIT } from '../helpers/fake-program.js';
import { runAction } from '../helpers/run-action.js';
import { makeWorkspace, snapshot } from '../helpers/workspace.js';

const WORKFLOW = "on:\n  schedule:\n    - cron: '17 */3 * * *'\njobs: {}\n";
const workspace = () =>
  makeWorkspace({
    '.github/orchestrator.yml': 'workflows:\n  agent.yml:\n    preset: agents\n',
    '.github/workflows/agent.yml': WORKFLOW,
  });
const inputs = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'dry-run': 'false' };

describe.skipIf(process.platform === 'win32')('dist/index.js and git apply --check', () => {
  it('reports and writes a diff that the real git accepts', () => {
    const ws = workspace();
    const run = runAction({ workspace: ws, inputs });
    expect(run.status).toBe(0);
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs.diff).toContain("+    - cron: '17 */2 * * *'");
    expect(run.stdout).not.toContain('::debug::');
  });

  it('fails the step, writing and reporting nothing, when git refuses the diff', () => {
    const ws = workspace();
    const before = snapshot(ws);
    const run = runAction({
      workspace: ws,
      inputs,
      env: { PATH: `${fakeProgram('git', REFUSING_GIT)}${delimiter}${process.env.PATH}` },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::The diff this run made does not apply with git apply (a defect of the action, please report it): error: patch failed: a.yml:3',
    );
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe('');
    expect(snapshot(ws)).toEqual(before);
  });

  it('skips the check with a debug line when git is not on PATH', () => {
    const run = runAction({ workspace: workspace(), inputs, env: { PATH: emptyPath() } });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::debug::git is not on PATH, so the diff was not checked');
    expect(run.outputs.changed).toBe('true');
  });
});
