import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeRepo } from '../helpers/git-remote.js';
import { HISTORY, publish, report } from './setup.js';

const OLD_HISTORY = '{"version":1,"records":[]}\n';
const NEW_HISTORY = '{"version":1,"records":[{"day":"2026-12-01","used":900}]}\n';

/** A checkout as the main step leaves it: the history and two workflows changed, uncommitted. */
function checkoutAfterMainStep() {
  const repo = makeRepo({
    [HISTORY]: OLD_HISTORY,
    '.github/workflows/a.yml': "on:\n  schedule:\n    - cron: '0 * * * *'\n",
    '.github/workflows/b.yaml': "on:\n  schedule:\n    - cron: '*/30 * * * *'\n",
  });
  repo.write({
    [HISTORY]: NEW_HISTORY,
    '.github/workflows/a.yml': "on:\n  schedule:\n    - cron: '0 */6 * * *'\n",
    '.github/workflows/b.yaml': "on:\n  schedule:\n    - cron: '0 */4 * * *'\n",
  });
  return repo;
}

const workflowChangesStayUncommitted = (work: string) =>
  expect(git(work, 'status', '--porcelain').split('\n').sort()).toEqual([
    ' M .github/workflows/a.yml',
    ' M .github/workflows/b.yaml',
  ]);

describe('publish: the history commit', () => {
  it('commits and pushes the changed history on a schedule run, and nothing else', () => {
    const repo = checkoutAfterMainStep();
    const run = publish(repo.work, { report: report() }, {}, 'schedule');
    expect(run.step('history').outcome).toBe('success');
    expect(repo.remoteFile(HISTORY)).toBe(NEW_HISTORY.trim());
    expect(repo.remoteLog()).toEqual(['Record Copilot usage for 2026-12-01', 'Initial']);
    expect(git(repo.remote, 'show', '--name-only', '--format=', 'main')).toBe(HISTORY);
    workflowChangesStayUncommitted(repo.work);
  });

  it('commits on a workflow_dispatch run too', () => {
    const repo = checkoutAfterMainStep();
    publish(repo.work, { report: report() }, {}, 'workflow_dispatch');
    expect(repo.remoteFile(HISTORY)).toBe(NEW_HISTORY.trim());
  });

  it('pushes nothing when the history is unchanged', () => {
    const repo = checkoutAfterMainStep();
    repo.write({ [HISTORY]: OLD_HISTORY });
    const run = publish(repo.work, { report: report() });
    expect(run.step('history').stdout).toContain('History unchanged');
    expect(repo.remoteLog()).toEqual(['Initial']);
    expect(repo.pushAttempts()).toBe(0);
  });

  it('does nothing with the history off', () => {
    const repo = checkoutAfterMainStep();
    const run = publish(repo.work, { report: report(), 'history-file': '' });
    expect(run.step('history').ran).toBe(false);
    expect(repo.remoteLog()).toEqual(['Initial']);
    expect(git(repo.work, 'status', '--porcelain')).toContain(` M ${HISTORY}`);
  });

  it('retries once after a refused push, and then succeeds', () => {
    const repo = checkoutAfterMainStep();
    repo.refusePushes(1);
    const run = publish(repo.work, { report: report() });
    expect(run.step('history').stdout).toContain('second try');
    expect(repo.pushAttempts()).toBe(2);
    expect(repo.remoteFile(HISTORY)).toBe(NEW_HISTORY.trim());
    expect(repo.remoteLog()).toHaveLength(2);
    workflowChangesStayUncommitted(repo.work);
  });

  it('puts the history on the new tip when another push came first', () => {
    const repo = checkoutAfterMainStep();
    expect(git(repo.work, 'rev-parse', '--is-shallow-repository')).toBe('true');
    repo.pushFromElsewhere(
      { [HISTORY]: '{"version":1,"records":[{"day":"2026-11-30"}]}\n', 'README.md': 'hello\n' },
      'Someone else',
    );
    const run = publish(repo.work, { report: report() });
    expect(run.step('history').outcome).toBe('success');
    expect(repo.remoteLog().slice(1)).toEqual(['Someone else', 'Initial']);
    expect(repo.remoteFile(HISTORY)).toBe(NEW_HISTORY.trim());
    expect(repo.remoteFile('README.md')).toBe('hello');
    // The checkout moved to the new tip, so the pull request starts from it.
    expect(git(repo.work, 'rev-parse', 'HEAD')).toBe(git(repo.remote, 'rev-parse', 'main'));
    workflowChangesStayUncommitted(repo.work);
  });

  it('warns when refused twice, leaves no local commit, and the later steps still run', () => {
    const repo = checkoutAfterMainStep();
    const before = git(repo.work, 'rev-parse', 'HEAD');
    repo.refusePushes(2);
    const run = publish(
      repo.work,
      { report: report({ changed: false }) },
      {
        'pr list': '[{"number":7}]',
      },
    );
    const history = run.step('history');
    expect(history.outcome).toBe('success');
    expect(history.stdout).toMatch(/::warning::publish: the push of .* was refused twice/);
    expect(history.stdout).toContain('bypass list');
    expect(repo.pushAttempts()).toBe(2);
    expect(repo.remoteLog()).toEqual(['Initial']);
    expect(git(repo.work, 'rev-parse', 'HEAD')).toBe(before);
    expect(git(repo.work, 'show', `:${HISTORY}`)).toBe(OLD_HISTORY.trim());
    expect(git(repo.work, 'diff', '--', HISTORY)).toContain('2026-12-01');
    expect(run.step('close').outcome).toBe('success');
    expect(run.step('alert').outcome).toBe('success');
    expect(run.calls().map((c) => c.args.slice(0, 2).join(' '))).toEqual([
      'pr list',
      'pr close',
      'issue list',
      'label create',
      'issue create',
    ]);
  });

  it('loses nothing when the other push changed a workflow this run changed too', () => {
    const repo = checkoutAfterMainStep();
    repo.pushFromElsewhere(
      { '.github/workflows/a.yml': "on:\n  schedule:\n    - cron: '5 * * * *'\n" },
      'Hand edit',
    );
    const run = publish(repo.work, { report: report() });
    expect(run.step('history').stdout).toContain('::warning::publish: the push of');
    expect(repo.remoteLog()).toEqual(['Hand edit', 'Initial']);
    expect(readFileSync(join(repo.work, '.github/workflows/a.yml'), 'utf8')).toContain(
      "'0 */6 * * *'",
    );
    expect(readFileSync(join(repo.work, HISTORY), 'utf8')).toBe(NEW_HISTORY);
    expect(run.step('pull-request').ran).toBe(true);
  });

  it('warns and pushes nothing from a detached HEAD', () => {
    const repo = checkoutAfterMainStep();
    git(repo.work, 'checkout', '--quiet', '--detach');
    const run = publish(repo.work, { report: report() });
    expect(run.step('history').stdout).toContain(
      '::warning::publish: the checkout is a detached HEAD',
    );
    expect(repo.pushAttempts()).toBe(0);
  });
});
