/** What the publish tests share: the main step's report, the event payloads, and a run of the composite. */

import { loadComposite, runComposite } from '../helpers/composite.js';
import type { Value } from '../helpers/expressions.js';
import { fakeGh } from '../helpers/fake-gh.js';

export const HISTORY = '.github/orchestrator-history.json';

/** A report as the main step writes it, with the fields publish reads. */
export function report(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    mode: 'conservative',
    reason: 'ahead of pace',
    alert: 'warning',
    quota: 1500,
    used: 900,
    usagePercent: 60,
    timePercent: 40,
    efficiency: 1.5,
    projected: 2250,
    daysUntilReset: 18,
    changed: true,
    changedFiles: ['.github/workflows/a.yml', '.github/workflows/b.yaml', HISTORY],
    workflows: [
      { path: '.github/workflows/a.yml', changed: true, runsPerDayBefore: 12, runsPerDayAfter: 4 },
      { path: '.github/workflows/b.yaml', changed: true, runsPerDayBefore: 24, runsPerDayAfter: 6 },
    ],
    ...over,
  });
}

const repository = { name: 'app', full_name: 'acme/app', default_branch: 'main' };

/** The event payloads GitHub sends: a schedule's holds only `schedule`. */
export const EVENTS: Record<string, Record<string, Value>> = {
  schedule: {
    event_name: 'schedule',
    ref_name: 'main',
    ref: 'refs/heads/main',
    event: { schedule: '7 0 * * *' },
  },
  workflow_dispatch: {
    event_name: 'workflow_dispatch',
    ref_name: 'main',
    ref: 'refs/heads/main',
    event: {
      inputs: { mode: 'auto', used: '' },
      ref: 'refs/heads/main',
      repository,
      workflow: '.github/workflows/dynamic-orchestrator.yml',
    },
  },
  push: {
    event_name: 'push',
    ref_name: 'main',
    ref: 'refs/heads/main',
    event: { ref: 'refs/heads/main', before: '0'.repeat(40), after: '1'.repeat(40), repository },
  },
};

export const github = (event = 'schedule'): Record<string, Value> => ({
  ...EVENTS[event],
  server_url: 'https://github.com',
  repository: 'acme/app',
  run_id: '4242',
  token: 'github-token-value',
});

/** Runs publish/action.yml in `cwd` with a fake gh answering `answers`. */
export function publish(
  cwd: string,
  inputs: Record<string, string>,
  answers: Record<string, string> = {},
  event = 'schedule',
  usesOutputs: Record<string, Record<string, string>> = {},
) {
  const gh = fakeGh({ 'issue list': '[]', 'pr list': '[]', ...answers });
  const run = runComposite(loadComposite(), {
    cwd,
    inputs: { token: 'pr-token-value', now: '2026-12-01T00:07:00Z', ...inputs },
    github: github(event),
    env: gh.env,
    usesOutputs,
  });
  const step = (id: string) => {
    const found = run.steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id}`);
    return found;
  };
  return { ...run, step, calls: gh.calls };
}
