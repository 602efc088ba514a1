/** Path inputs through dist/index.js: inside the workspace, meaning what they say. */
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE20, runAction } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const CONFIG = '.github/orchestrator.yml';
const inputs = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'history-file': '' };
const agent = (cron: string) => `name: agent\non:\n  schedule:\n    - cron: '${cron}'\njobs: {}\n`;
const errors = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::'));

function managedWorkspace(): string {
  return makeWorkspace({
    [CONFIG]: 'workflows:\n  a.yml:\n    preset: agents\n',
    '.github/workflows/a.yml': agent('17 */3 * * *'),
  });
}

/** Every entry under a workspace: a file's text, a link's target, or a directory mark. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = path.slice(dir.length + 1);
    if (key.startsWith('.git/')) continue;
    if (entry.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
    else if (entry.isDirectory()) out[key] = '(directory)';
    else out[key] = readFileSync(path, 'utf8');
  }
  return out;
}

/** Runs the bundle and expects one failure whose error contains every part. */
function fails(ws: string, values: Record<string, string>, ...parts: string[]): void {
  const before = snapshot(ws);
  const run = runAction({ node: NODE20, workspace: ws, inputs: { ...inputs, ...values } });
  expect(run.status, run.stdout).toBe(1);
  const found = errors(run.stdout);
  expect(found).toHaveLength(1);
  for (const part of parts) expect(found[0]).toContain(part);
  expect(snapshot(ws)).toEqual(before);
}

describe('path inputs through dist/index.js', () => {
  it('accepts an absolute config inside the workspace and manages what it names', () => {
    const ws = managedWorkspace();
    const run = runAction({
      node: NODE20,
      workspace: ws,
      inputs: {
        ...inputs,
        config: join(ws, CONFIG),
        'workflows-dir': join(ws, '.github/workflows'),
      },
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs['changed-files']).toBe('.github/workflows/a.yml');
    expect(run.outputs.diff).toContain('+++ b/.github/workflows/a.yml');
  });

  it.each([
    ['config', '../orchestrator.yml'],
    ['config', '/etc/passwd'],
    ['history-file', '../history.json'],
    ['history-file', 'a/../../history.json'],
    ['workflows-dir', '..'],
    ['backup-dir', '/tmp'],
  ])('refuses %s = %s outside the workspace, naming the input', (name, value) => {
    fails(managedWorkspace(), { [name]: value }, `'${name}'`, 'outside the workspace');
  });

  it('refuses a path that leaves the workspace through a symlink', () => {
    const ws = managedWorkspace();
    const outside = mkdtempSync(join(tmpdir(), 'do-outside-'));
    symlinkSync(outside, join(ws, 'out'));
    fails(ws, { 'history-file': 'out/history.json' }, `'history-file'`, 'symbolic link');
    fails(ws, { 'backup-dir': 'out/backups' }, `'backup-dir'`, 'symbolic link');
    writeFileSync(join(outside, 'orchestrator.yml'), 'workflows: {}\n');
    fails(ws, { config: 'out/orchestrator.yml' }, `'config'`, 'symbolic link');
  });

  it('fails when a config that was set is missing; only the default may be missing', () => {
    fails(managedWorkspace(), { config: 'ci/orchestrator.yml' }, `'config'`, 'ci/orchestrator.yml');
    const run = runAction({ node: NODE20, inputs });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('::warning::No config at .github/orchestrator.yml');
  });

  it.each([
    [CONFIG, "'config'"],
    ['.github/workflows/a.yml', "'workflows-dir'"],
    ['.github/workflows/history.yml', "'workflows-dir'"],
  ])('refuses a history-file of %s, naming both inputs', (history, other) => {
    fails(managedWorkspace(), { 'history-file': history }, "'history-file'", other);
  });

  it('names the path when a directory stands where a file is expected', () => {
    const ws = managedWorkspace();
    mkdirSync(join(ws, 'ci.yml'));
    fails(ws, { config: 'ci.yml' }, `'config'`, 'ci.yml is a directory');
    mkdirSync(join(ws, 'history.json'));
    fails(ws, { 'history-file': 'history.json' }, `'history-file'`, 'history.json is a directory');
    const dir = makeWorkspace({ [CONFIG]: 'workflows:\n  a.yml:\n    preset: agents\n' });
    mkdirSync(join(dir, '.github/workflows/a.yml'), { recursive: true });
    fails(dir, {}, `${CONFIG}:2`, '.github/workflows/a.yml is a directory');
  });

  it('refuses a symlinked workflow and leaves the link as it is', () => {
    const ws = managedWorkspace();
    mkdirSync(join(ws, 'shared'));
    writeFileSync(join(ws, 'shared/b.yml'), agent('17 */3 * * *'));
    writeFileSync(
      join(ws, CONFIG),
      'workflows:\n  a.yml:\n    preset: agents\n  b.yml:\n    preset: agents\n',
    );
    symlinkSync('../../shared/b.yml', join(ws, '.github/workflows/b.yml'));
    fails(ws, {}, `${CONFIG}:4: workflows.b.yml: .github/workflows/b.yml is a symbolic link`);
    expect(lstatSync(join(ws, '.github/workflows/b.yml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(ws, '.github/workflows/b.yml'))).toBe('../../shared/b.yml');
  });

  it('gives a diff that git apply accepts when workflows-dir is reached through a symlink', () => {
    const ws = managedWorkspace();
    symlinkSync('.github/workflows', join(ws, 'flows'));
    execFileSync('git', ['init', '-q'], { cwd: ws });
    execFileSync('git', ['add', '-A'], { cwd: ws });
    const run = runAction({
      node: NODE20,
      workspace: ws,
      inputs: { ...inputs, 'workflows-dir': 'flows', 'dry-run': 'true' },
    });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs['changed-files']).toBe('.github/workflows/a.yml');
    const patch = join(mkdtempSync(join(tmpdir(), 'do-patch-')), 'p.diff');
    writeFileSync(patch, `${run.outputs.diff}\n`);
    execFileSync('git', ['apply', '--check', patch], { cwd: ws });
    expect(run.outputs.diff).not.toContain('../');
  });
});
