/** The run-costs input through dist/index.js: gh-aw's per-run AI credits set the cost per run. */
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAction } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const HISTORY = '.github/orchestrator-history.json';
const LOGS = readFileSync(join(ROOT, '__tests__/fixtures/gh-aw/logs.json'), 'utf8');

/** A workspace managing weekly-digest.yml, once a day in normal mode, at a config cost of 3. */
function workspace(extra: Record<string, string> = {}) {
  return makeWorkspace({
    '.github/orchestrator.yml': [
      'workflows:',
      '  weekly-digest.yml:',
      "    aggressive: '17 */6 * * *'",
      "    normal: '17 9 * * *'",
      "    conservative: '17 9 * * 1'",
      '    cost: 3',
      '',
    ].join('\n'),
    '.github/workflows/weekly-digest.yml': "on:\n  schedule:\n    - cron: '17 9 * * *'\njobs: {}\n",
    ...extra,
  });
}

const run = (ws: string, inputs: Record<string, string> = {}) =>
  runAction({
    workspace: ws,
    inputs: { quota: '1500', used: '300', now: '2026-12-01T00:07:00Z', mode: 'normal', ...inputs },
  });

/** What the run recorded the managed workflows spend a day (runs a day times cost per run). */
const managedPerDay = (ws: string) =>
  JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records.at(-1).managedPerDay;

describe('run-costs, a gh aw logs --json file', () => {
  it('sets the cost per run to the median AI credits of the runs in it, over the config', () => {
    const ws = workspace({ 'logs/runs.json': LOGS });
    const out = run(ws, { 'run-costs': 'logs/runs.json' });
    expect(out.status, out.stdout).toBe(0);
    // 30 and 40.5 AI credits: the median is 35.25, at one run a day.
    expect(managedPerDay(ws)).toBe(35.25);
    expect(out.stdout).toContain(
      '.github/workflows/weekly-digest.yml: cost per run 35.25 AI credits, the median of its 2 run(s) in logs/runs.json (the config said 3)',
    );
  });

  it("keeps the config's cost without the input, or for a workflow with no run in the file", () => {
    const ws = workspace();
    expect(run(ws).status).toBe(0);
    expect(managedPerDay(ws)).toBe(3);

    const other = workspace({
      'runs.json': JSON.stringify({
        runs: [{ workflow_path: '.github/workflows/x.lock.yml', aic: 9 }],
      }),
    });
    const out = run(other, { 'run-costs': 'runs.json' });
    expect(out.status, out.stdout).toBe(0);
    expect(managedPerDay(other)).toBe(3);
    expect(out.stdout).toContain(
      '.github/workflows/weekly-digest.yml: no run in runs.json spent AI credits, so its cost per run stays 3',
    );
  });

  it.each([
    [
      'a missing file',
      {},
      'missing.json',
      /::error::Invalid input: 'run-costs' missing\.json does not exist; give the file that `gh aw logs --json` wrote/,
    ],
    [
      'a path outside the workspace',
      {},
      '../runs.json',
      /::error::Invalid input: 'run-costs' must be a path inside the workspace .+, got '\.\.\/runs\.json'/,
    ],
    [
      'a directory',
      { 'logs/x': '' },
      'logs',
      /::error::Invalid input: 'run-costs' logs is a directory/,
    ],
    [
      'a file that is not JSON',
      { 'runs.json': 'total_runs: 3\n' },
      'runs.json',
      /::error::runs\.json: is not JSON \(.*\); it must be the JSON that `gh aw logs --json` prints/,
    ],
    [
      'a bad aic',
      { 'runs.json': '{"runs":[{"workflow_path":"a","aic":"lots"}]}' },
      'runs.json',
      /::error::runs\.json: runs\[0\]\.aic must be a number of 0 or more \(the AI credits the run spent\), got "lots"/,
    ],
  ])('refuses %s with an error naming it, and writes nothing', (_name, files, input, message) => {
    const ws = workspace(files as Record<string, string>);
    const out = run(ws, { 'run-costs': input });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(message);
    expect(existsSync(join(ws, HISTORY))).toBe(false);
  });

  it('refuses a file over 16 MiB before reading it', () => {
    const ws = workspace();
    writeFileSync(join(ws, 'big.json'), `{"runs":[]}${' '.repeat(16 * 1024 * 1024)}`);
    const out = run(ws, { 'run-costs': 'big.json' });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      /::error::big\.json: is 16777227 bytes, more than the 16777216 a run-costs file may have; narrow `gh aw logs` with --start-date or --count/,
    );
    expect(existsSync(join(ws, HISTORY))).toBe(false);
  });

  it('refuses a link that leads out of the workspace', () => {
    const ws = workspace();
    const outside = makeWorkspace({ 'runs.json': LOGS });
    symlinkSync(join(outside, 'runs.json'), join(ws, 'runs.json'));
    const out = run(ws, { 'run-costs': 'runs.json' });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(
      /::error::Invalid input: 'run-costs' \('runs\.json'\) leads through a symbolic link to .+, outside the workspace/,
    );
  });

  it('escapes what the file holds before it reaches the log', () => {
    const ws = workspace({
      'runs.json': JSON.stringify({ runs: [{ workflow_path: 'x', aic: '\n::warning::hi' }] }),
    });
    const out = run(ws, { 'run-costs': 'runs.json' });
    expect(out.status).toBe(1);
    expect(out.stdout).not.toMatch(/^::warning::hi/m);
    expect(out.stdout).toContain('got "\\n::warning::hi"');
  });
});
