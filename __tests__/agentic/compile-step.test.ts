/**
 * The orchestrator workflow's steps that install gh-aw and recompile the agentic workflows the
 * action changed: their `if:` on schedule and workflow_dispatch runs, and their shipped scripts
 * run with a fake gh on PATH.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CompositeStep, runComposite } from '../helpers/composite.js';
import { type Contexts, runsIf } from '../helpers/expressions.js';
import { fakeGh } from '../helpers/fake-gh.js';
import { fakeProgram } from '../helpers/fake-program.js';
import { ROOT } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';
import { EVENTS, github } from '../publish/setup.js';

const workflow = parse(
  readFileSync(join(ROOT, '.github/workflows/dynamic-orchestrator.yml'), 'utf8'),
) as { jobs: { orchestrate: { steps: CompositeStep[] } } };
const steps = workflow.jobs.orchestrate.steps;
const named = (name: string) => steps.find((s) => s.name === name) as CompositeStep;
const install = named('Install the gh-aw CLI');
const compile = named('Recompile the agentic workflows');
const CHANGED = '.github/workflows/daily-triage.md\n.github/workflows/repo-assist.md';

/** The two steps after a stand-in for the action that gave `agentic-workflows`, as the runner runs them. */
function runSteps(changed: string, env: Record<string, string>) {
  const run = runComposite(
    {
      inputs: {},
      outputs: {},
      runs: {
        using: 'composite',
        steps: [
          { id: 'orchestrator', uses: './' },
          { ...install, id: 'install', shell: 'bash' },
          { ...compile, id: 'compile', shell: 'bash' },
        ],
      },
    },
    {
      cwd: makeWorkspace(),
      inputs: {},
      github: github('schedule'),
      env,
      usesOutputs: { orchestrator: { 'agentic-workflows': changed } },
    },
  );
  return { install: run.steps[1], compile: run.steps[2] };
}

describe('the gh-aw steps of .github/workflows/dynamic-orchestrator.yml', () => {
  it('come after the action and before publish, which stages each .md with its .lock.yml', () => {
    const at = (s: CompositeStep) => steps.indexOf(s);
    const action = steps.find((s) => s.uses === './') as CompositeStep;
    const publish = steps.find((s) => s.uses === './publish') as CompositeStep;
    expect([at(install), at(compile), at(publish)]).toEqual([
      at(action) + 1,
      at(action) + 2,
      at(action) + 3,
    ]);
    expect(readFileSync(join(ROOT, 'publish/plan.sh'), 'utf8')).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell, not a template
      'paths+=("${path%.md}.lock.yml")',
    );
  });

  it.each(Object.keys(EVENTS))('run on a %s event only when a .md changed', (event) => {
    const ctx = (changed: string): Contexts => ({
      github: github(event),
      vars: { COPILOT_QUOTA: '1500' },
      inputs: {},
      steps: { orchestrator: { outputs: { 'agentic-workflows': changed }, outcome: 'success' } },
    });
    for (const step of [install, compile]) {
      expect(runsIf(step.if, ctx(CHANGED))).toBe(true);
      expect(runsIf(step.if, ctx(''))).toBe(false);
      // A failed action step leaves nothing to compile.
      expect(runsIf(step.if, { ...ctx(CHANGED), failed: true })).toBe(false);
    }
  });

  it('install the pinned gh-aw CLI, then compile each changed .md by its workflow id', () => {
    const gh = fakeGh({});
    const result = runSteps(CHANGED, gh.env);
    expect(result.compile?.outcome, result.compile?.stderr).toBe('success');
    const version = install.env?.GH_AW_VERSION;
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(gh.calls()).toEqual([
      {
        args: ['extension', 'install', 'github/gh-aw', '--pin', version],
        token: 'github-token-value',
      },
      { args: ['aw', 'compile', 'daily-triage'], token: 'github-token-value' },
      { args: ['aw', 'compile', 'repo-assist'], token: 'github-token-value' },
    ]);
  });

  it('install and compile nothing when no .md changed', () => {
    const gh = fakeGh({});
    const result = runSteps('', gh.env);
    expect([result.install?.ran, result.compile?.ran]).toEqual([false, false]);
    expect(gh.calls()).toEqual([]);
  });

  it('fail the job when a compile fails, so no pull request carries a .md without its lock', () => {
    const bin = fakeProgram(
      'gh',
      'if [ "$1 $2" = "aw compile" ]; then echo "error: daily-triage.md:3: invalid schedule" >&2; exit 1; fi',
    );
    const result = runSteps(CHANGED, { PATH: `${bin}:${process.env.PATH}` });
    expect(result.install?.outcome).toBe('success');
    expect(result.compile?.outcome).toBe('failure');
    expect(result.compile?.stderr).toContain('daily-triage.md:3: invalid schedule');
  });

  it('pass the expressions through env:, never into a script', () => {
    for (const step of [install, compile]) expect(step.run).not.toContain('${{');
    expect(install.env).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      GH_TOKEN: '${{ github.token }}',
      GH_AW_VERSION: expect.any(String),
    });
    expect(compile.env).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      GH_TOKEN: '${{ github.token }}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      AGENTIC_WORKFLOWS: '${{ steps.orchestrator.outputs.agentic-workflows }}',
    });
  });

  it('are the steps the README shows, with the same pinned version', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/GH_AW_VERSION: (\S+)/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([install.env?.GH_AW_VERSION]));
    for (const step of [install, compile]) {
      for (const line of (step.run ?? '').trim().split('\n')) expect(readme).toContain(line);
    }
  });
});
