import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasBomb } from '../helpers/hostile.js';
import { type ActionRun, NODES, ROOT, runAction } from '../helpers/run-action.js';
import { exampleWorkspace, makeWorkspace, snapshot } from '../helpers/workspace.js';

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
    expect(dryRun.stdout).toContain('Dry run: 6 workflows would change, nothing written');

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

/** A git workspace managing one workflow (given as text or bytes) with the given crons in every mode. */
function managing(workflow: string | Buffer, crons: string[]): string {
  const list = `[${crons.map((c) => `'${c}'`).join(', ')}]`;
  const ws = makeWorkspace({
    '.github/orchestrator.yml': `workflows:\n  w.yml:\n    aggressive: ${list}\n    normal: ${list}\n    conservative: ${list}\n`,
  });
  mkdirSync(join(ws, '.github/workflows'));
  writeFileSync(join(ws, '.github/workflows/w.yml'), workflow);
  git(ws, 'init', '-q');
  git(ws, 'add', '-A');
  git(ws, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
  return ws;
}

const errorsOf = (run: ActionRun) =>
  run.stdout.split('\n').filter((line) => line.startsWith('::error::'));

// A small heap: a regression that expands aliases crashes quickly instead of eating the machine.
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=128' };

describe.each(NODES)('hostile workflows through dist/index.js under %s', (_label, node) => {
  it.each([
    [
      'an alias bomb',
      `name: bomb\non:\n  schedule:\n    - cron: '0 0 * * *'\n  workflow_dispatch:\n    inputs:\n${aliasBomb('      ')}jobs: {}\n`,
      '::error::.github/workflows/w.yml: its YAML aliases expand more than 100 times',
    ],
    [
      'an anchored on: aliased elsewhere',
      "on: &trig\n  schedule:\n    - cron: '0 0 * * *'\njobs: {}\nx-copy: *trig\n",
      "::error::.github/workflows/w.yml:1: the 'on:' value has an anchor (&trig)",
    ],
    [
      'a byte that is not UTF-8',
      Buffer.concat([
        Buffer.from("on:\n  schedule:\n    - cron: '0 0 * * *'\n# caf"),
        Buffer.from([0xe9]),
        Buffer.from('\njobs: {}\n'),
      ]),
      '::error::.github/workflows/w.yml:4: is not valid UTF-8 (byte 0xE9 at offset 45)',
    ],
  ])('refuses %s with one ::error:: naming the file, and writes nothing', (_what, text, error) => {
    const ws = managing(text, ['5 5 * * *']);
    const run = runAction({ node, workspace: ws, inputs, env: SMALL_HEAP });
    expect(run.status).toBe(1);
    const errors = errorsOf(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.slice(0, error.length)).toBe(error);
    expect(git(ws, 'status', '--porcelain')).toBe('');
  });
});

const FIXTURES = join(ROOT, '__tests__/fixtures/rewrite');
const cases = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as Record<
  string,
  { wanted: string[] }
>;

describe.each(NODES)('layouts kept through dist/index.js under %s', (_label, node) => {
  it.each([
    'no-final-newline-shrink',
    'crlf-no-final-newline-shrink',
    'flow-comments-grow',
    'flow-comments-shrink',
    'comment-lines-shrink',
    'generated-lock',
  ])('writes the golden output for %s', (name) => {
    const input = readFileSync(join(FIXTURES, name, 'input.yml'), 'utf8');
    const ws = managing(input, cases[name]?.wanted ?? []);
    const run = runAction({ node, workspace: ws, inputs });
    expect(errorsOf(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(readFileSync(join(ws, '.github/workflows/w.yml'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, name, 'expected.yml'), 'utf8'),
    );
    const generated = run.stdout.split('\n').filter((l) => l.includes('marked as generated'));
    expect(generated).toHaveLength(name === 'generated-lock' ? 1 : 0);
  });

  it('keeps a byte order mark', () => {
    const ws = managing("\ufeffname: bom\non:\n  schedule:\n    - cron: '0 0 * * *'\n", [
      '5 5 * * *',
    ]);
    const run = runAction({ node, workspace: ws, inputs });
    expect(run.status).toBe(0);
    expect(readFileSync(join(ws, '.github/workflows/w.yml'), 'utf8')).toBe(
      "\ufeffname: bom\non:\n  schedule:\n    - cron: '5 5 * * *'\n",
    );
  });
});
