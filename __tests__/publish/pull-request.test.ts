import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';
import { HISTORY, publish, report } from './setup.js';

const CREATED = { 'pull-request-number': '12', 'pull-request-operation': 'created' };

describe('publish: the schedule pull request', () => {
  it('stages exactly the changed workflows, .yaml included, and not the history', () => {
    const run = publish(makeWorkspace(), { report: report() }, {}, 'schedule', {
      'pull-request': CREATED,
    });
    const pr = run.step('pull-request');
    expect(pr.ran).toBe(true);
    expect(pr.with?.['add-paths']).toBe('.github/workflows/a.yml\n.github/workflows/b.yaml');
    expect(pr.with?.token).toBe('pr-token-value');
    expect(pr.with?.branch).toBe('dynamic-orchestrator/schedules');
    expect(pr.with?.['delete-branch']).toBe('true');
    expect(pr.with?.title).toBe('Pace schedules: conservative mode');
    expect(pr.with?.body).toContain('- `.github/workflows/b.yaml`: 24 to 6 runs a day');
    expect(run.step('close').ran).toBe(false);
    expect(run.outputs).toMatchObject(CREATED);
  });

  it('leaves out the history file it is given', () => {
    const run = publish(makeWorkspace(), {
      report: report({ changedFiles: ['.github/workflows/a.yml', 'data/usage.json'] }),
      'history-file': 'data/usage.json',
    });
    expect(run.step('pull-request').with?.['add-paths']).toBe('.github/workflows/a.yml');
  });

  it('adds the .lock.yml beside a changed agentic workflow (.md)', () => {
    const cwd = makeWorkspace({
      '.github/workflows/triage.md': '---\non: daily\n---\n',
      '.github/workflows/triage.lock.yml': 'on: {}\n',
      '.github/workflows/notes.md': '---\non: daily\n---\n',
    });
    const files = [
      '.github/workflows/triage.md',
      '.github/workflows/notes.md',
      '.github/workflows/triage.lock.yml',
    ];
    const run = publish(cwd, { report: report({ changedFiles: files }), 'history-file': '' });
    expect(run.step('pull-request').with?.['add-paths']?.split('\n')).toEqual([
      '.github/workflows/triage.md',
      '.github/workflows/triage.lock.yml',
      '.github/workflows/notes.md',
    ]);
  });

  it('closes yesterday’s open pull request and deletes its branch when nothing changes', () => {
    const run = publish(
      makeWorkspace(),
      { report: report({ changed: false, changedFiles: [HISTORY] }) },
      {
        'pr list': '[{"number":31}]',
      },
    );
    expect(run.step('pull-request').ran).toBe(false);
    const calls = run.calls().filter((c) => c.args[0] === 'pr');
    expect(calls.map((c) => c.args.slice(0, 4))).toEqual([
      ['pr', 'list', '--head', 'dynamic-orchestrator/schedules'],
      ['pr', 'close', '31', '--delete-branch'],
    ]);
    expect(calls.every((c) => c.token === 'pr-token-value')).toBe(true);
    expect(run.outputs).toMatchObject({
      'pull-request-number': '31',
      'pull-request-operation': 'closed',
    });
  });

  it('closes nothing when no pull request is open', () => {
    const run = publish(makeWorkspace(), { report: report({ changed: false, changedFiles: [] }) });
    expect(
      run
        .calls()
        .filter((c) => c.args[0] === 'pr')
        .map((c) => c.args[1]),
    ).toEqual(['list']);
    expect(run.outputs).toMatchObject({
      'pull-request-number': '',
      'pull-request-operation': 'none',
    });
  });

  it('with pull-request off, neither opens nor closes one and needs no token', () => {
    for (const changed of [true, false]) {
      const run = publish(makeWorkspace(), {
        report: report({ changed }),
        'pull-request': 'false',
        token: '',
      });
      expect(run.step('plan').outcome).toBe('success');
      expect(run.step('pull-request').ran).toBe(false);
      expect(run.step('close').ran).toBe(false);
      expect(run.calls().some((c) => c.args[0] === 'pr')).toBe(false);
    }
  });

  it('runs only its input check with every part off, as CI runs it', () => {
    const run = publish(makeWorkspace(), {
      report: report(),
      'history-file': '',
      'pull-request': 'false',
      'alert-label': '',
      token: '',
    });
    expect(run.steps.filter((s) => s.ran).map((s) => s.id)).toEqual(['plan']);
    expect(run.outputs).toEqual({
      'pull-request-number': '',
      'pull-request-operation': 'none',
      'alert-issue': '',
    });
    expect(run.calls()).toEqual([]);
  });

  it('fails before anything else runs, naming every bad input', () => {
    const run = publish(makeWorkspace(), {
      report: 'not json',
      'pull-request': 'yes',
      'history-file': '../outside.json',
      'alert-repeat-days': '0',
      now: 'yesterday-ish',
    });
    const plan = run.step('plan');
    expect(plan.outcome).toBe('failure');
    const errors = plan.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    for (const name of ['report', 'pull-request', 'history-file', 'alert-repeat-days', 'now']) {
      expect(errors[0]).toContain(name);
    }
    expect(run.steps.filter((s) => s.ran).map((s) => s.id)).toEqual(['plan']);
    expect(run.calls()).toEqual([]);
  });

  it('asks for the token when the pull request is on', () => {
    const run = publish(makeWorkspace(), { report: report(), token: '' });
    expect(run.step('plan').stdout).toContain('::error::publish: token is empty');
  });

  it('refuses a changed path outside the workspace', () => {
    const run = publish(makeWorkspace(), {
      report: report({ changedFiles: ['../../etc/passwd'] }),
    });
    expect(run.step('plan').stdout).toContain(
      "::error::publish: report.changedFiles has a path outside the workspace: '../../etc/passwd'",
    );
  });
});
