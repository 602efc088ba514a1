import { describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/workspace.js';
import { publish, report } from './setup.js';

const NOW = '2026-12-01T00:07:00Z';
const marker = (level: string, at: string) =>
  `<!-- dynamic-orchestrator-alert level=${level} at=${at} -->`;

/** `gh issue list --json number,body,comments` for one open alert issue. */
const openIssue = (body: string, comments: string[] = []) =>
  JSON.stringify([{ number: 5, body, comments: comments.map((c) => ({ body: c })) }]);

function alert(level: string, issues = '[]', inputs: Record<string, string> = {}) {
  const run = publish(
    makeWorkspace(),
    {
      report: report({ alert: level, changed: false }),
      'pull-request': 'false',
      now: NOW,
      ...inputs,
    },
    { 'issue list': issues, 'issue create': 'https://github.com/acme/app/issues/42\n' },
  );
  const calls = run.calls().filter((c) => c.args[0] !== 'issue' || c.args[1] !== 'list');
  return { run, calls, step: run.step('alert') };
}

describe('publish: the quota alert issue', () => {
  it('opens one issue when none is open, with the level and time in a hidden marker', () => {
    const { run, calls } = alert('warning');
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual([
      'label create',
      'issue create',
    ]);
    const create = calls[1]?.args ?? [];
    expect(create.slice(0, 6)).toEqual([
      'issue',
      'create',
      '--title',
      'Copilot quota at risk',
      '--label',
      'quota-alert',
    ]);
    const body = create[create.indexOf('--body') + 1] ?? '';
    expect(body).toContain('**Alert: warning**. Used 900 of 1500 (60%)');
    expect(body).toContain('[Run](https://github.com/acme/app/actions/runs/4242)');
    expect(body).toContain(marker('warning', NOW));
    expect(calls.every((c) => c.token === 'github-token-value')).toBe(true);
    expect(run.outputs['alert-issue']).toBe('42');
  });

  it('does nothing while the alert is ok and no issue is open', () => {
    const { run, calls } = alert('ok');
    expect(calls).toEqual([]);
    expect(run.outputs['alert-issue']).toBe('');
  });

  it('does not comment again at the same level within the repeat period', () => {
    const { run, calls, step } = alert(
      'warning',
      openIssue(`x\n${marker('warning', '2026-11-24T00:07:01Z')}`),
    );
    expect(calls).toEqual([]);
    expect(step.stdout).toContain('no new comment on issue #5');
    expect(run.outputs['alert-issue']).toBe('5');
  });

  it('comments again at the same level once the repeat period has passed', () => {
    const { calls } = alert(
      'warning',
      openIssue(`x\n${marker('warning', '2026-11-24T00:07:00Z')}`),
    );
    expect(calls.map((c) => c.args.slice(0, 3))).toEqual([['issue', 'comment', '5']]);
    expect(calls[0]?.args.at(-1)).toContain(marker('warning', NOW));
  });

  it('honours alert-repeat-days', () => {
    const issue = openIssue(marker('warning', '2026-11-30T00:07:00Z'));
    expect(alert('warning', issue, { 'alert-repeat-days': '1' }).calls).toHaveLength(1);
    expect(alert('warning', issue, { 'alert-repeat-days': '2' }).calls).toHaveLength(0);
  });

  it('comments when the level changes, reading the newest marker from the comments', () => {
    const issue = openIssue(marker('warning', '2026-11-20T00:07:00Z'), [
      'a person wrote this',
      `y\n${marker('critical', '2026-11-30T00:07:00Z')}`,
    ]);
    expect(alert('critical', issue).calls).toEqual([]);
    const { calls } = alert('warning', issue);
    expect(calls.map((c) => c.args.slice(0, 3))).toEqual([['issue', 'comment', '5']]);
    expect(calls[0]?.args.at(-1)).toContain('**Alert: warning**');
  });

  it('comments on an issue that has no marker yet (opened by the old workflow)', () => {
    expect(
      alert('critical', openIssue('**Alert: warning**. Used ...')).calls.map((c) => c.args[1]),
    ).toEqual(['comment']);
  });

  it('closes the issue when the alert is back to ok', () => {
    const { run, calls } = alert('ok', openIssue(marker('critical', '2026-11-30T00:07:00Z')));
    expect(calls.map((c) => c.args.slice(0, 4))).toEqual([['issue', 'close', '5', '--comment']]);
    expect(calls[0]?.args[4]).toContain(marker('ok', NOW));
    expect(run.outputs['alert-issue']).toBe('5');
  });

  it('is off with an empty alert-label', () => {
    const { run } = alert('critical', '[]', { 'alert-label': '' });
    expect(run.step('alert').ran).toBe(false);
    expect(run.calls()).toEqual([]);
  });
});
