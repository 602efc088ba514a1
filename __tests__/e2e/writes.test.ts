/** Hostile files and faults, through dist/index.js: check everything, then write everything or nothing. */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODES, parseCommandFile, runAction } from '../helpers/run-action.js';
import { makeWorkspace, snapshot } from '../helpers/workspace.js';

const CONFIG = '.github/orchestrator.yml';
const HISTORY = '.github/history/orchestrator-history.json';
const inputs = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'history-file': '' };
const agent = (cron: string, extra = '') =>
  `name: agent\non:\n  schedule:\n    - cron: '${cron}'\n${extra}jobs: {}\n`;
const errors = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error::'));

/** Three managed workflows, all at normal, so that aggressive changes each. */
function threeWorkflows(extra: Record<string, string> = {}): string {
  return makeWorkspace({
    [CONFIG]:
      'workflows:\n  a.yml:\n    preset: agents\n  b.yml:\n    preset: agents\n  c.yml:\n    preset: agents\n',
    '.github/workflows/a.yml': agent('17 */3 * * *'),
    '.github/workflows/b.yml': agent('17 */3 * * *'),
    '.github/workflows/c.yml': agent('17 */3 * * *'),
    ...extra,
  });
}

describe.each(NODES)('invalid current schedules through dist/index.js under %s', (_label, node) => {
  it.each([['normal'], ['pace']])(
    'names each file and line before writing any file (mode %s)',
    (mode) => {
      const ws = threeWorkflows({
        '.github/workflows/b.yml': agent('61 * * * *'),
        '.github/workflows/c.yml': agent('17 */3 * * *', '      timezone: Mars/Olympus\n'),
      });
      const before = snapshot(ws);
      const run = runAction({ node, workspace: ws, inputs: { ...inputs, mode } });
      expect(run.status).toBe(1);
      expect(errors(run.stdout)).toHaveLength(1);
      const [error] = errors(run.stdout);
      expect(error).toContain(
        ".github/workflows/b.yml:4: cron '61 * * * *' is not valid for GitHub: minute value '61' is out of range 0-59",
      );
      expect(error).toContain(
        ".github/workflows/c.yml:5: timezone 'Mars/Olympus' is not a time zone",
      );
      expect(snapshot(ws)).toEqual(before);
      expect(run.outputs).toEqual({});
    },
  );
});

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/**
 * Runs the bundle as a user the permissions bind: as root, as nobody through setpriv (root
 * ignores file modes); otherwise as the current user. The command files belong to that user.
 */
function runUnprivileged(workspace: string, node: string, values: Record<string, string>) {
  const files = mkdtempSync(join(tmpdir(), 'do-cmd-'));
  const output = join(files, 'output');
  const summary = join(files, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  if (asRoot) for (const path of [files, output, summary]) chownSync(path, NOBODY, NOBODY);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: workspace,
  };
  for (const [name, value] of Object.entries(values)) env[`INPUT_${name.toUpperCase()}`] = value;
  const command = asRoot
    ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', node]
    : [node];
  const child = spawnSync(
    command[0] as string,
    [...command.slice(1), join(import.meta.dirname, '../../dist/index.js')],
    { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 },
  );
  return {
    status: child.status,
    stdout: child.stdout,
    outputs: parseCommandFile(readFileSync(output, 'utf8')),
  };
}

/** Hands every path of the workspace to nobody (when root), as a checkout by that user would be. */
function giveAway(dir: string): void {
  if (!asRoot) return;
  chownSync(dir, NOBODY, NOBODY);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    chownSync(join(entry.parentPath, entry.name), NOBODY, NOBODY);
  }
}

describe.each(NODES)('a write that fails through dist/index.js under %s', (_label, node) => {
  it('changes no file when the history directory is read-only, and names the file', () => {
    const ws = threeWorkflows({ [HISTORY]: '{"version":1,"records":[]}\n' });
    giveAway(ws);
    chmodSync(join(ws, '.github/history'), 0o555);
    const before = snapshot(ws);
    const run = runUnprivileged(ws, node, { ...inputs, 'history-file': HISTORY });
    chmodSync(join(ws, '.github/history'), 0o755);
    expect(run.status).toBe(1);
    expect(errors(run.stdout)).toEqual([
      `::error::could not write ${HISTORY} (EACCES); no file was changed`,
    ]);
    expect(snapshot(ws)).toEqual(before);
    expect(readdirSync(join(ws, '.github/workflows')).sort()).toEqual(['a.yml', 'b.yml', 'c.yml']);
    expect(run.outputs).toEqual({});
  });

  // A sticky directory lets nobody create the temporary file but not replace root's history:
  // the rename itself fails after the workflows are already renamed, and they are put back.
  it.skipIf(!asRoot)('puts back the files already renamed when a later rename fails', () => {
    const ws = threeWorkflows({ [HISTORY]: '{"version":1,"records":[]}\n' });
    giveAway(ws);
    const dir = join(ws, '.github/history');
    chownSync(dir, 0, 0);
    chownSync(join(dir, 'orchestrator-history.json'), 0, 0);
    chmodSync(join(dir, 'orchestrator-history.json'), 0o666);
    chmodSync(dir, 0o1777);
    const before = snapshot(ws);
    const run = runUnprivileged(ws, node, { ...inputs, 'history-file': HISTORY });
    expect(run.status).toBe(1);
    expect(errors(run.stdout)).toEqual([
      `::error::could not write ${HISTORY} (EPERM); no file was changed`,
    ]);
    expect(snapshot(ws)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['orchestrator-history.json']);
    expect(readdirSync(join(ws, '.github/workflows')).sort()).toEqual(['a.yml', 'b.yml', 'c.yml']);
  });
});

describe('backups through dist/index.js', () => {
  it('keeps the last backup-keep copies of each changed file, stamped, and none of unchanged ones', () => {
    const ws = makeWorkspace({
      [CONFIG]:
        "workflows:\n  a.yml:\n    preset: agents\n  b.yml:\n    aggressive: '5 1 * * *'\n    normal: '5 1 * * *'\n    conservative: '5 1 * * *'\n",
      '.github/workflows/a.yml': agent('17 */3 * * *'),
      '.github/workflows/b.yml': agent('5 1 * * *'),
    });
    const backups = join(ws, 'backups');
    const texts: string[] = [];
    for (const mode of ['aggressive', 'conservative', 'normal', 'aggressive']) {
      texts.push(readFileSync(join(ws, '.github/workflows/a.yml'), 'utf8'));
      const run = runAction({
        workspace: ws,
        inputs: { ...inputs, mode, 'backup-dir': 'backups', 'backup-keep': '2' },
      });
      expect(run.status, run.stdout).toBe(0);
      expect(run.outputs.changed).toBe('true');
    }
    const names = readdirSync(backups);
    expect(names).toHaveLength(2);
    for (const name of names)
      expect(name).toMatch(/^\.github__workflows__a\.yml\.\d{8}T\d{6}Z(-\d+)?$/);
    // The two newest copies: a.yml as it was before the third and the fourth run.
    expect(names.map((n) => readFileSync(join(backups, n), 'utf8')).sort()).toEqual(
      [texts[2], texts[3]].sort(),
    );
  });
});

describe('the now input through dist/index.js, on a runner in Los Angeles', () => {
  const env = { TZ: 'America/Los_Angeles' };
  it.each([
    ['2025-11-12t10:00'],
    ['2025-11-12 10:00:00.000'],
    ['2025-11-12T02:00-08:00'],
    ['2025-11-12T10:00z'],
  ])('reads %s as 2025-11-12T10:00Z', (now) => {
    const run = runAction({ env, inputs: { ...inputs, now } });
    expect(run.status, run.stdout).toBe(0);
    expect(run.outputs['days-until-reset']).toBe('18.58');
  });

  it.each([
    ['2026-02-30'],
    ['2026-04-31'],
    ['2026-02-29T00:00Z'],
    ['0050-01-01'],
    ['2025-11-12T24:00'],
    ['2025-11-12T10:00+0100'],
    ['2025-11-12T10'],
  ])('refuses %s naming the input and the allowed forms', (now) => {
    const run = runAction({ env, inputs: { ...inputs, now } });
    expect(run.status).toBe(1);
    const [error] = errors(run.stdout);
    expect(error).toContain(`'now'`);
    expect(error).toContain(`'${now}'`);
    expect(error).toContain('YYYY-MM-DD');
  });
});
