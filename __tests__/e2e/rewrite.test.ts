import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODES, runAction } from '../helpers/run-action.js';
import { exampleWorkspace, snapshot } from '../helpers/workspace.js';

const inputs = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'history-file': '' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function gitWorkspace(): string {
  const ws = exampleWorkspace();
  git(ws, 'init', '-q');
  git(ws, 'add', '-A');
  git(ws, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
  return ws;
}

describe.each(NODES)('rewriting through dist/index.js under %s', (_label, node) => {
  it('gives a dry-run diff that git apply turns into exactly what a real run writes', () => {
    const dry = gitWorkspace();
    const dryRun = runAction({ node, workspace: dry, inputs: { ...inputs, 'dry-run': 'true' } });
    expect(dryRun.status).toBe(0);
    expect(git(dry, 'status', '--porcelain')).toBe('');
    expect(dryRun.outputs.changed).toBe('true');
    expect(dryRun.outputs['changed-files']?.split('\n')).toHaveLength(6);
    expect(dryRun.stdout).toContain('Dry run: 6 file(s) would change, nothing written');

    const patch = join(dry, '..', `${dry.split('/').pop()}.patch`);
    writeFileSync(patch, `${dryRun.outputs.diff}\n`);
    git(dry, 'apply', '--check', patch);
    git(dry, 'apply', patch);

    const real = gitWorkspace();
    const realRun = runAction({ node, workspace: real, inputs });
    expect(realRun.status).toBe(0);
    expect(realRun.outputs.diff).toBe(dryRun.outputs.diff);
    expect(snapshot(dry)).toEqual(snapshot(real));
    expect(git(real, 'diff', '--stat')).toContain('6 files changed');

    // The same mode again: no change, empty diff.
    const again = runAction({ node, workspace: real, inputs });
    expect(again.outputs).toMatchObject({ changed: 'false', diff: '', 'changed-files': '' });
  });

  it('fails with one ::error:: naming the file and line, and writes nothing', () => {
    const ws = gitWorkspace();
    writeFileSync(
      join(ws, '.github/orchestrator.yml'),
      "workflows:\n  agent-spawner.yml:\n    preset: agents\n    normal: '0 0 L * *'\n  idea-generator.yml:\n    preset: ideas\n",
    );
    git(ws, 'commit', '-qam', 'bad config');
    const run = runAction({ node, workspace: ws, inputs: { ...inputs, mode: 'normal' } });
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      "::error::.github/orchestrator.yml:4: workflows.agent-spawner.yml.normal: cron '0 0 L * *' is not valid for GitHub: day of month value 'L' is not supported: use numbers (no L, W, # or ?)",
    ]);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });

  it('warns and only reports when there is no config', () => {
    const run = runAction({ node, inputs });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::warning::No config at .github/orchestrator.yml');
    expect(run.outputs).toMatchObject({ mode: 'aggressive', changed: 'false', diff: '' });
  });
});
