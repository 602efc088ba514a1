/** gh-aw agentic workflows (.md) managed beside plain workflows, through dist/index.js. */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ActionRun, ROOT, runAction } from '../helpers/run-action.js';
import { makeWorkspace, snapshot } from '../helpers/workspace.js';

const inputs = { quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'history-file': '' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

const CONFIG = `workflows:
  agent.yml:
    preset: agents
  digest.md:
    aggressive: every 2h
    normal: every 6h
    conservative: daily on weekdays
  triage.md:
    aggressive: ['every 4h', '0 9 * * 1']
    normal: [daily, '0 9 * * 1']
    conservative: [weekly, '0 9 * * 1']
`;

const DIGEST = `---
description: Daily digest of the repository
on:
  schedule: daily on weekdays
  workflow_dispatch:
permissions:
  contents: read
engine: copilot
---

# Digest

Summarize what changed since the last run.
`;

const TRIAGE =
  '---\r\non:\r\n  schedule:\r\n    - cron: daily\r\n    - cron: "0 9 * * 1"\r\n  workflow_dispatch:\r\n---\r\n\r\nTriage the open issues.\r\n';

const files = (): Record<string, string> => ({
  '.github/orchestrator.yml': CONFIG,
  '.github/workflows/agent.yml': "on:\n  schedule:\n    - cron: '17 */3 * * *'\njobs: {}\n",
  '.github/workflows/digest.md': DIGEST,
  '.github/workflows/triage.md': TRIAGE,
});

function gitWorkspace(extra: Record<string, string> = {}): string {
  const ws = makeWorkspace({ ...files(), ...extra });
  git(ws, 'init', '-q');
  git(ws, 'add', '-A');
  git(ws, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'start');
  return ws;
}

const errorsOf = (run: ActionRun) =>
  run.stdout.split('\n').filter((line) => line.startsWith('::error::'));

describe.skipIf(process.platform === 'win32')('agentic workflows through dist/index.js', () => {
  it('gives one dry-run diff over .yml and .md files that git apply turns into what a real run writes', () => {
    const dry = gitWorkspace();
    const run = runAction({ workspace: dry, inputs: { ...inputs, 'dry-run': 'true' } });
    expect(run.status).toBe(0);
    expect(errorsOf(run)).toEqual([]);
    expect(git(dry, 'status', '--porcelain')).toBe('');
    expect(run.outputs.mode).toBe('aggressive');
    expect(run.outputs['changed-files']?.split('\n').sort()).toEqual([
      '.github/workflows/agent.yml',
      '.github/workflows/digest.md',
      '.github/workflows/triage.md',
    ]);
    const diff = run.outputs.diff ?? '';
    expect(diff).toContain('-  schedule: daily on weekdays\n+  schedule: every 2h');
    expect(diff).toContain('-    - cron: daily\r\n+    - cron: every 4h\r\n');
    expect(diff).toContain("+    - cron: '17 */2 * * *'");

    const patch = join(dry, '..', `${dry.split('/').pop()}.patch`);
    writeFileSync(patch, `${diff}\n`);
    git(dry, 'apply', '--check', patch);
    git(dry, 'apply', patch);
    // Only the schedule lines changed: the bodies and the CRLF endings are kept.
    const digest = readFileSync(join(dry, '.github/workflows/digest.md'), 'utf8');
    expect(digest).toBe(DIGEST.replace('schedule: daily on weekdays', 'schedule: every 2h'));
    const triage = readFileSync(join(dry, '.github/workflows/triage.md'), 'utf8');
    expect(triage).toBe(TRIAGE.replace('- cron: daily\r\n', '- cron: every 4h\r\n'));

    const real = gitWorkspace();
    const realRun = runAction({ workspace: real, inputs });
    expect(realRun.status).toBe(0);
    expect(realRun.outputs.diff).toBe(diff);
    expect(snapshot(real)).toEqual(snapshot(dry));
  });

  it.each([
    [
      'a config entry naming a lock file',
      { '.github/orchestrator.yml': `${CONFIG}  report.lock.yml:\n    preset: agents\n` },
      [
        "::error::.github/orchestrator.yml:12: 'report.lock.yml' is a gh-aw lock file, compiled from report.md: manage report.md instead (the next 'gh aw compile' would put the lock file's old schedule back, and an edited lock file no longer matches its source)",
      ],
    ],
    [
      "a plain .yml that carries gh-aw's generated header",
      {
        '.github/orchestrator.yml': `${CONFIG}  daily-report.yml:\n    preset: agents\n`,
        '.github/workflows/daily-report.yml': readFileSync(
          join(ROOT, '__tests__/fixtures/agentic/refused/gh-aw-lock.yml'),
          'utf8',
        ),
      },
      [
        "::error::.github/workflows/daily-report.yml:1: is a gh-aw lock file (its header says gh-aw generated it): manage .github/workflows/daily-report.md instead, the agentic workflow it is compiled from; name daily-report.md in the config, and 'gh aw compile' carries the new schedule into the lock file",
      ],
    ],
    [
      'a .md without frontmatter',
      { '.github/workflows/digest.md': '# Digest\n\nSummarize what changed.\n' },
      [
        "::error::.github/workflows/digest.md:1: has no frontmatter: gh-aw reads an agentic workflow's triggers from a YAML block between two '---' lines at the top of the file, so it would not compile this one; add one whose 'on:' holds a 'schedule:' (such as 'schedule: daily')",
      ],
    ],
  ])('refuses %s with a clear error and writes nothing', (_name, extra, errors) => {
    const ws = gitWorkspace(extra);
    const before = snapshot(ws);
    const run = runAction({ workspace: ws, inputs });
    expect(run.status).toBe(1);
    expect(errorsOf(run)).toEqual(errors);
    expect(snapshot(ws)).toEqual(before);
    expect(run.outputs).toEqual({});
  });

  it('names the file, the line and the accepted forms for forms gh-aw rejects, and writes nothing', () => {
    const ws = gitWorkspace({
      '.github/orchestrator.yml': CONFIG.replace('normal: every 6h', "normal: 'daily at 9:00'"),
      '.github/workflows/triage.md': TRIAGE.replace('- cron: daily', '- cron: monthly'),
    });
    const before = snapshot(ws);
    const run = runAction({ workspace: ws, inputs });
    expect(run.status).toBe(1);
    const [config] = errorsOf(run);
    expect(config).toMatch(
      /^::error::\.github\/orchestrator\.yml:6: workflows\.digest\.md\.normal: schedule 'daily at 9:00' is not a form gh-aw accepts \('at <time>' is not gh-aw syntax: use 'around <time>'.*\); accepted forms: daily, daily on weekdays, daily around 14:00, daily between 9:00 and 17:00/,
    );
    expect(snapshot(ws)).toEqual(before);

    // With the config fixed, the rejected form in the .md itself is named with its line.
    writeFileSync(join(ws, '.github/orchestrator.yml'), CONFIG);
    const again = runAction({ workspace: ws, inputs });
    expect(again.status).toBe(1);
    expect(errorsOf(again)).toHaveLength(1);
    expect(errorsOf(again)[0]).toMatch(
      /^::error::\.github\/workflows\/triage\.md:4: schedule 'monthly' is not a form gh-aw accepts \('monthly' is not a form gh-aw accepts\); accepted forms: /,
    );
    expect(readFileSync(join(ws, '.github/workflows/agent.yml'), 'utf8')).toBe(
      files()['.github/workflows/agent.yml'],
    );
  });

  it('paces agentic workflows in the gh-aw forms nearest their rates, never picking a minute', () => {
    const ws = gitWorkspace();
    const run = runAction({
      workspace: ws,
      inputs: { ...inputs, mode: 'pace', used: '420', 'dry-run': 'true' },
    });
    expect(run.status).toBe(0);
    expect(errorsOf(run)).toEqual([]);
    const diff = run.outputs.diff ?? '';
    // Rates between the tiers are written as gh-aw forms, whose minute gh-aw scatters.
    expect(diff).toContain('-  schedule: daily on weekdays\n+  schedule: every 2h on weekdays\n');
    // A list tier shrinks to the one form its rate needs, its CRLF kept.
    expect(diff).toContain(
      '     - cron: daily\r\n-    - cron: "0 9 * * 1"\r\n   workflow_dispatch:\r\n',
    );
    // The .yml keeps getting crons at its own minute.
    expect(diff).toContain("+    - cron: '17 */2 * * *'");
    expect(run.stdout).toContain(
      "'every 2h on weekdays' (gh-aw form: gh-aw scatters its time when it compiles): 8.57 runs/day",
    );
  });

  it('the CLI status shows an agentic workflow schedule now and in every mode, writing nothing', () => {
    const ws = gitWorkspace();
    const before = snapshot(ws);
    const out = spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'status'], {
      cwd: ws,
      encoding: 'utf8',
    });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(
      [
        '.github/workflows/digest.md',
        "  now:          'daily on weekdays' (gh-aw form: gh-aw scatters its time when it compiles): 0.71 runs/day",
        "  aggressive:   'every 2h' (gh-aw form: gh-aw scatters its time when it compiles): 12 runs/day",
      ].join('\n'),
    );
    expect(snapshot(ws)).toEqual(before);
  });
});
