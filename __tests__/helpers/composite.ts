/**
 * Runs a composite action's steps the way the runner does: each `if:` evaluated, `env:` and
 * `with:` filled from the contexts, each `run:` script (the shipped text) run with bash in the
 * workspace, and outputs read back from GITHUB_OUTPUT. A `uses:` step cannot run here: its
 * resolved `with:` is recorded and its outputs come from the caller.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type Contexts, interpolate, runsIf, type Value } from './expressions.js';
import { ROOT } from './run-action.js';

export interface CompositeStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string | boolean>;
}

export interface Composite {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: CompositeStep[] };
}

/** The parsed publish/action.yml (or another composite under the repository). */
export function loadComposite(path = 'publish/action.yml'): Composite {
  return parse(readFileSync(join(ROOT, path), 'utf8')) as Composite;
}

export interface StepResult {
  id: string;
  ran: boolean;
  outcome: 'success' | 'failure' | 'skipped';
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** A `uses:` step's inputs as the runner would pass them. */
  with?: Record<string, string>;
}

export interface RunOptions {
  /** The workspace (cwd of every step). */
  cwd: string;
  /** Values for the composite's inputs; the rest take their defaults. */
  inputs: Record<string, string>;
  /** The github context: event_name, event (the payload), ref_name... */
  github: Record<string, Value>;
  /** Extra environment for every step, such as PATH with a fake gh first. */
  env?: Record<string, string>;
  /** Outputs a `uses:` step would give, by step id. */
  usesOutputs?: Record<string, Record<string, string>>;
  actionPath?: string;
}

/** GITHUB_OUTPUT's two forms: name=value and name<<DELIMITER ... DELIMITER. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      out[name] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/** Runs every step of the composite in order; returns each step's result and the composite's outputs. */
export function runComposite(
  composite: Composite,
  options: RunOptions,
): { steps: StepResult[]; outputs: Record<string, string> } {
  const scratch = mkdtempSync(join(tmpdir(), 'do-composite-'));
  const actionPath = options.actionPath ?? join(ROOT, 'publish');
  const github: Record<string, Value> = { action_path: actionPath, ...options.github };
  const steps: Record<string, Value> = {};
  const ctx: Contexts = { github, steps, inputs: {}, env: {}, vars: {}, failed: false };
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(composite.inputs)) {
    inputs[name] = options.inputs[name] ?? interpolate(spec.default ?? '', ctx);
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in composite.inputs)) throw new Error(`the composite has no input ${name}`);
  }
  ctx.inputs = inputs;

  const results: StepResult[] = [];
  composite.runs.steps.forEach((step, index) => {
    const id = step.id ?? `__step${index}`;
    const result: StepResult = {
      id,
      ran: false,
      outcome: 'skipped',
      stdout: '',
      stderr: '',
      outputs: {},
    };
    results.push(result);
    if (runsIf(step.if, ctx)) {
      result.ran = true;
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]),
      );
      if (step.uses) {
        result.with = Object.fromEntries(
          Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]),
        );
        result.outputs = options.usesOutputs?.[id] ?? {};
        result.outcome = 'success';
      } else {
        const script = join(scratch, `step${index}.sh`);
        const outputFile = join(scratch, `output${index}`);
        writeFileSync(script, step.run ?? '');
        writeFileSync(outputFile, '');
        if (step.shell !== 'bash') throw new Error(`step ${id} must declare shell: bash`);
        const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
          cwd: options.cwd,
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: scratch,
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_TERMINAL_PROMPT: '0',
            LANG: 'C.UTF-8',
            GITHUB_ACTION_PATH: actionPath,
            GITHUB_WORKSPACE: options.cwd,
            GITHUB_OUTPUT: outputFile,
            ...options.env,
            ...env,
          },
        });
        result.stdout = run.stdout;
        result.stderr = run.stderr;
        result.outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
        result.outcome = run.status === 0 ? 'success' : 'failure';
        if (run.status !== 0) ctx.failed = true;
      }
    }
    steps[id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.outcome };
  });

  const outputs = Object.fromEntries(
    Object.entries(composite.outputs).map(([name, spec]) => [name, interpolate(spec.value, ctx)]),
  );
  return { steps: results, outputs };
}
