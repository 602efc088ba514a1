/**
 * The ways to run the action on a laptop: `npm run local` (the bundle) and @github/local-action
 * (the sources, with its own @actions/core), each with an .env.example for the action and the gate.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as gate from '../src/gate/main.js';
import * as action from '../src/main.js';
import { ROOT } from './helpers/run-action.js';

const scripts: Record<string, string> = JSON.parse(
  readFileSync(join(ROOT, 'package.json'), 'utf8'),
).scripts;

describe('@github/local-action', () => {
  it('finds a run function in each entry main module', () => {
    expect(typeof action.run).toBe('function');
    expect(typeof gate.run).toBe('function');
    expect(gate.run).toBe(gate.runGateStep);
  });

  it.each([
    ['local-action', '.', 'src/main.ts', '.env'],
    ['local-action:gate', 'gate', '../src/gate/main.ts', 'gate/.env'],
  ])('npm run %s runs an action folder, its entry and a .env', (name, dir, entry, env) => {
    expect(scripts[name]).toBe(`npx --yes @github/local-action@7.0.1 run ${dir} ${entry} ${env}`);
    expect(existsSync(join(ROOT, dir, 'action.yml'))).toBe(true);
    expect(existsSync(resolve(ROOT, dir, entry))).toBe(true);
    expect(existsSync(join(ROOT, `${env}.example`))).toBe(true);
  });
});

describe('the .env examples under npm run local', () => {
  const local = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'scripts/run-local.mjs'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });

  it('runs the action with .env.example, in dry run', () => {
    const out = local('--env=.env.example');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Dry run: ');
    expect(out.stdout).toMatch(/Outputs:\nmode:\naggressive\n/);
  });

  it('runs the gate with --gate and gate/.env.example', () => {
    const out = local('--gate', '--env=gate/.env.example');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Proceed: A workflow_dispatch run always proceeds');
    expect(out.stdout).toMatch(/Outputs:\nproceed:\ntrue\nmode:\nunknown\n/);
  });
});
