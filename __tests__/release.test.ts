/** The release workflow, Dependabot and the package's published files. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

const release = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8'));
const steps: { name?: string; run?: string }[] = release.jobs.release.steps;
const script = (name: string) => steps.find((s) => s.name === name)?.run ?? '';

describe('the release workflow', () => {
  it('runs on version tags only, and may write only contents', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.jobs.release.permissions).toEqual({ contents: 'write' });
  });

  it('refuses a tag that is not the package version, and accepts the one that is', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const run = (tag: string) =>
      spawnSync('bash', ['-eo', 'pipefail', '-c', script("The tag is the package's version")], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, TAG: tag },
        encoding: 'utf8',
      });
    expect(run(`v${version}`).status).toBe(0);
    const wrong = run('v99.0.0');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain(
      `::error::Tag v99.0.0 does not match package.json version ${version}`,
    );
  });

  it('checks dist/ and runs the tests before it moves the major tag', () => {
    const names = steps.map((s) => s.name ?? s.run ?? '');
    const at = (name: string) => names.indexOf(name);
    expect(at('dist/ is what the sources build')).toBeGreaterThan(-1);
    expect(at('npm test')).toBeGreaterThan(at('dist/ is what the sources build'));
    expect(at('Move the major tag')).toBeGreaterThan(at('npm test'));
    // The major tag is the release tag up to its first dot: v1.2.3 moves v1.
    const major = spawnSync(
      'bash',
      ['-c', `TAG=v1.2.3; ${script('Move the major tag').split('\n')[0]}; echo "$major"`],
      {
        encoding: 'utf8',
      },
    );
    expect(major.stdout.trim()).toBe('v1');
  });
});

describe('Dependabot', () => {
  const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8'));
  it('updates npm and the pinned actions, in directories that exist', () => {
    expect(config.version).toBe(2);
    const ecosystems = config.updates.map(
      (u: { 'package-ecosystem': string }) => u['package-ecosystem'],
    );
    expect(ecosystems).toEqual(expect.arrayContaining(['npm', 'github-actions']));
    for (const update of config.updates) {
      for (const dir of update.directories ?? [update.directory]) {
        expect(existsSync(join(ROOT, dir)), dir).toBe(true);
      }
      expect(['daily', 'weekly', 'monthly']).toContain(update.schedule.interval);
    }
  });
});

describe('the published package', () => {
  it('holds the actions, the bundle, the schema and the docs, and no sources or tests', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    for (const want of [
      'action.yml',
      'gate/action.yml',
      'publish/action.yml',
      'dist/index.js',
      'dist/gate/index.js',
      'dist/cli/index.js',
      'schema/orchestrator.schema.json',
      'LICENSE',
    ])
      expect(files).toContain(want);
    expect(files.filter((f) => /^(src|__tests__|test|bench|scenarios)\//.test(f))).toEqual([]);
  });

  it('has a LICENSE that matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });
});
