import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-action.js';
import { exampleWorkspace, snapshot } from '../helpers/workspace.js';

const CLI = join(ROOT, 'dist/cli/index.js');
const run = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

describe('the bundled CLI', () => {
  it('shows each managed schedule now and in every mode', () => {
    const ws = exampleWorkspace();
    const out = run(ws, 'status');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(
      [
        '.github/workflows/agent-spawner.yml',
        "  now:          '17 */3 * * *' (At 17 minutes past the hour, every 3 hours): 8 runs/day",
        "  aggressive:   '17 */2 * * *' (At 17 minutes past the hour, every 2 hours): 12 runs/day",
        "  normal:       '17 */3 * * *' (At 17 minutes past the hour, every 3 hours): 8 runs/day",
        "  conservative: '17 */6 * * *' (At 17 minutes past the hour, every 6 hours): 4 runs/day",
      ].join('\n'),
    );
  });

  it('with --quota and --used, shows usage, the recommended mode and what needs an update', () => {
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const out = run(
      ws,
      'status',
      '--quota',
      '1500',
      '--used',
      '300',
      '--now',
      '2025-11-12T00:00:00Z',
    );
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(
      'Used 300 of 1500 (20%, from the used input) at 36.67% of the period',
    );
    expect(out.stdout).toMatch(/^Recommended mode: aggressive \(efficiency 0\.545 is below 0\.7/m);
    expect(out.stdout).toContain(
      [
        '.github/workflows/agent-spawner.yml',
        "  current:      '17 */3 * * *' (At 17 minutes past the hour, every 3 hours): 8 runs/day",
        "  recommended:  '17 */2 * * *' (At 17 minutes past the hour, every 2 hours): 12 runs/day (aggressive)",
        '  status:       UPDATE NEEDED',
      ].join('\n'),
    );
    expect(out.stdout).toContain(
      "6 of 6 workflows need an update: run without 'status' to apply it.",
    );
    // Status writes nothing, not even the history.
    expect(snapshot(ws)).toEqual(before);
    const normal = run(
      ws,
      'status',
      '--quota',
      '1500',
      '--used',
      '550',
      '--now',
      '2025-11-12T00:00:00Z',
    );
    expect(normal.stdout).toMatch(/^Recommended mode: normal/m);
    expect(normal.stdout).toContain('  status:       up to date');
    expect(normal.stdout).toContain('Every managed schedule is what the recommended mode wants.');
  });

  it('status names the config line and the flags to check when a workflow file is missing', () => {
    const ws = exampleWorkspace();
    const out = run(ws, 'status', '--workflows-dir', 'nowhere');
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(
      /^error: \.github\/orchestrator\.yml:\d+: workflows\.learn-from-tldr\.yml: cannot read nowhere\/learn-from-tldr\.yml in .* \(ENOENT\); fix the name, --workflows-dir or --dir/m,
    );
  });

  it.each([[['--quota', '-5']], [['--quota=-5']]])("gives %j the input's own message", (flag) => {
    const ws = exampleWorkspace();
    const out = run(ws, ...flag, '--used', '3', '--dry-run');
    expect(out.status).toBe(1);
    expect(out.stderr).toBe(
      "error: Invalid input: --quota must be a number greater than 0 (the monthly allowance), got '-5'\n",
    );
  });

  it('status keeps to the workspace, as run does', () => {
    const ws = exampleWorkspace();
    const out = run(ws, 'status', '--config', '../../etc/passwd');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(
      'error: Invalid input: --config must be a path inside the workspace',
    );
  });

  it('runs the pipeline in dry run, printing the diff and writing nothing', () => {
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const out = run(
      ws,
      '--quota',
      '1500',
      '--used',
      '1200',
      '--now',
      '2025-11-12T00:00:00Z',
      '--dry-run',
    );
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Mode: conservative');
    expect(out.stdout).toContain("+    - cron: '17 */6 * * *'");
    expect(snapshot(ws)).toEqual(before);
  });

  it('paces each workflow with --mode pace', () => {
    const ws = exampleWorkspace();
    const out = run(
      ws,
      '--quota',
      '1500',
      '--used',
      '300',
      '--now',
      '2025-11-12T00:00:00Z',
      '--mode',
      'pace',
      '--history-file',
      '',
    );
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^Mode: pace \((rates set to land at|on course for) \d/m);
    expect(out.stdout).toMatch(
      /^\.github\/workflows\/agent-spawner\.yml \((aggressive|normal|conservative)\): /m,
    );
  });

  it('forces a mode and writes, then has nothing left to change', () => {
    const ws = exampleWorkspace();
    const args = ['--quota', '10', '--used', '1', '--mode', 'normal', '--history-file', ''];
    expect(run(ws, ...args).status).toBe(0);
    const again = run(ws, ...args);
    expect(again.stdout).toContain('.github/workflows/agent-spawner.yml: unchanged');
    expect(again.stdout).not.toContain('Wrote');
  });

  it('names bad options as flags and exits 1; unknown commands exit 2', () => {
    const ws = exampleWorkspace();
    const bad = run(ws, '--quota', 'abc');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      "--quota must be a number greater than 0 (the monthly allowance), got 'abc'",
    );
    expect(bad.stderr).toContain('--used is required');
    const unknown = run(ws, 'statu');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown command 'statu'");
    const missing = run(join(ws, '.github'), 'status');
    expect(missing.stderr).toMatch(/no config at \.github\/orchestrator\.yml/);
  });
});
