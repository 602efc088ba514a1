import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-action.js';
import { exampleWorkspace, snapshot } from '../helpers/workspace.js';

const script = join(ROOT, 'scripts/run-local.mjs');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });

describe('the README quick start and npm run local', () => {
  it('runs the bundle on a copy of the examples', () => {
    const out = run('--example', '--used=1400');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Mode: conservative');
    expect(out.stdout).toMatch(/Outputs:\nmode:\nconservative\n/);
  });

  it('takes its variables from a .env file', () => {
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const env = join(mkdtempSync(join(tmpdir(), 'do-env-')), '.env');
    writeFileSync(
      env,
      `GITHUB_WORKSPACE=${ws}\nINPUT_QUOTA=1500\nINPUT_USED="300" # quoted\nINPUT_NOW=2025-11-12T00:00:00Z\nINPUT_DRY-RUN=true\n`,
    );
    const out = run(`--env=${env}`);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Mode: aggressive');
    expect(snapshot(ws)).toEqual(before);
    expect(run('--env=/nonexistent/.env').stderr).toContain('copy .env.example to .env');
  });

  it('takes the CLI flag forms, and leaves no temporary folder behind', () => {
    const out = run('--example', '--used', '1400', '--mode', 'normal', '--dry-run');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Mode: normal (mode forced to normal by input)');
    expect(out.stdout).toContain('Inputs: quota=1500 used=1400');
    // The summary is printed, since its file goes with the run's folders.
    expect(out.stdout).toContain('## Dynamic orchestrator: normal');
    const workspace = /^Workspace: (.+)$/m.exec(out.stdout)?.[1] ?? '';
    expect(workspace).not.toBe('');
    expect(existsSync(workspace)).toBe(false);
  });
});
