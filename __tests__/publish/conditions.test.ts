import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadComposite } from '../helpers/composite.js';
import { type Contexts, evaluate, runsIf } from '../helpers/expressions.js';
import { ROOT } from '../helpers/run-action.js';
import { EVENTS, github } from './setup.js';

describe('the expression evaluator', () => {
  const ctx: Contexts = {
    github: { event_name: 'schedule', event: { schedule: '7 0 * * *' } },
    inputs: { flag: 'true', empty: '' },
    steps: { plan: { outputs: { changed: 'TRUE' }, outcome: 'success' } },
  };
  it.each([
    ["inputs.flag == 'true'", true],
    ["inputs.flag != 'true'", false],
    ["steps.plan.outputs.changed == 'true'", true], // strings compare without case
    ['github.event.repository.default_branch', null], // a missing property is null
    ["github.event.repository.default_branch == ''", true], // null == '' as numbers
    ["inputs.empty || 'fallback'", 'fallback'],
    ["inputs.flag && 'yes'", 'yes'],
    ["!(inputs.flag == 'true') || inputs.empty == ''", true],
    ["startsWith(github.event_name, 'sched')", true],
    ['contains(fromJSON(\'["a","b"]\'), \'B\')', true],
    ["'it''s'", "it's"],
    ['1 < 2 && 2 >= 2', true],
    ["github['event_name']", 'schedule'],
  ])('%s is %j', (expr, expected) => {
    expect(evaluate(expr, ctx)).toEqual(expected);
  });

  it('wraps an if: without a status function in success()', () => {
    expect(runsIf("inputs.flag == 'true'", { ...ctx, failed: true })).toBe(false);
    expect(runsIf("!cancelled() && inputs.flag == 'true'", { ...ctx, failed: true })).toBe(true);
    expect(runsIf(undefined, { ...ctx, failed: true })).toBe(false);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(runsIf('${{ always() }}', { ...ctx, failed: true })).toBe(true);
  });

  it('refuses what it does not know rather than guess', () => {
    expect(() => evaluate('hashFiles("x")', ctx)).toThrow();
    expect(() => evaluate('secret.x', ctx)).toThrow(/unknown context/);
  });
});

const composite = loadComposite();
const step = (id: string) => {
  const found = composite.runs.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
};
const defaults = Object.fromEntries(
  Object.entries(composite.inputs).map(([name, spec]) => [name, spec.default ?? '']),
);

/** The contexts of a publish run on `event`, after the plan step said `changed`. */
function contexts(event: string, inputs: Record<string, string> = {}, changed = 'true'): Contexts {
  return {
    github: github(event),
    inputs: { ...defaults, ...inputs },
    steps: { plan: { outputs: { changed }, outcome: 'success' } },
  };
}

describe.each(Object.keys(EVENTS))('publish if: conditions on a %s event', (event) => {
  it('commits the history unless it is off (no repository object needed)', () => {
    expect(runsIf(step('history').if, contexts(event))).toBe(true);
    expect(runsIf(step('history').if, contexts(event, { 'history-file': '' }))).toBe(false);
  });

  it('opens the pull request only on a change, and closes a stale one otherwise', () => {
    expect(runsIf(step('pull-request').if, contexts(event))).toBe(true);
    expect(runsIf(step('close').if, contexts(event))).toBe(false);
    expect(runsIf(step('pull-request').if, contexts(event, {}, 'false'))).toBe(false);
    expect(runsIf(step('close').if, contexts(event, {}, 'false'))).toBe(true);
    for (const changed of ['true', 'false']) {
      const off = contexts(event, { 'pull-request': 'false' }, changed);
      expect(runsIf(step('pull-request').if, off)).toBe(false);
      expect(runsIf(step('close').if, off)).toBe(false);
    }
  });

  it('keeps the alert issue even after an earlier step failed, unless the inputs were bad', () => {
    expect(runsIf(step('alert').if, { ...contexts(event), failed: true })).toBe(true);
    const badInputs = {
      ...contexts(event),
      failed: true,
      steps: { plan: { outcome: 'failure', outputs: {} } },
    };
    expect(runsIf(step('alert').if, badInputs)).toBe(false);
    expect(runsIf(step('alert').if, contexts(event, { 'alert-label': '' }))).toBe(false);
  });
});

describe('.github/workflows/dynamic-orchestrator.yml if: conditions', () => {
  const text = readFileSync(join(ROOT, '.github/workflows/dynamic-orchestrator.yml'), 'utf8');
  const workflow = parse(text);
  const job = workflow.jobs.orchestrate;

  it('is checkout, the action, the gh-aw recompile and publish, with only the permissions publish uses, each explained', () => {
    expect(
      job.steps.map((s: { uses?: string; name?: string }) => s.uses?.split('@')[0] ?? s.name),
    ).toEqual([
      'actions/checkout',
      './',
      'Install the gh-aw CLI',
      'Recompile the agentic workflows',
      './publish',
    ]);
    expect(job.permissions).toEqual({ contents: 'write', issues: 'write' });
    for (const name of Object.keys(job.permissions)) {
      expect(text).toMatch(new RegExp(`\\n\\s+${name}: write # \\S`));
    }
  });

  it.each(Object.keys(EVENTS))('runs every step on a %s event once the quota is set', (event) => {
    // The gh-aw steps run when the action changed an agentic workflow (its own test).
    const changed = { 'agentic-workflows': '.github/workflows/a.md' };
    const ctx: Contexts = {
      github: github(event),
      vars: { COPILOT_QUOTA: '1500' },
      inputs: {},
      steps: { orchestrator: { outputs: changed, outcome: 'success' } },
    };
    expect(runsIf(job.if, ctx)).toBe(true);
    for (const s of job.steps) expect(runsIf(s.if, ctx), JSON.stringify(s)).toBe(true);
    expect(runsIf(job.if, { ...ctx, vars: {} })).toBe(false);
  });

  it('hands publish the report; the old history guard was false on every schedule run', () => {
    const publish = job.steps.find((s: { uses?: string }) => s.uses === './publish');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(publish?.with?.report).toBe('${{ steps.orchestrator.outputs.report }}');
    const oldGuard = 'github.ref_name == github.event.repository.default_branch';
    expect(runsIf(oldGuard, { github: github('schedule') })).toBe(false);
    expect(runsIf(oldGuard, { github: github('workflow_dispatch') })).toBe(true);
  });
});
