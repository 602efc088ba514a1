import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseInputs } from '../src/inputs.js';
import { orchestrate } from '../src/orchestrate.js';
import { outputsOf, reportOf } from '../src/report/outputs.js';
import { renderSummary } from '../src/report/summary.js';
import { FileProblems } from '../src/schedule/config.js';
import { exampleWorkspace, makeWorkspace, snapshot } from './helpers/workspace.js';

function options(workspace: string, values: Record<string, string> = {}) {
  const inputs = parseInputs(
    (name) =>
      ({ quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'history-file': '', ...values })[
        name
      ],
  );
  return { ...inputs, workspace };
}

const CONFIG = '.github/orchestrator.yml';
const agent = (cron: string) =>
  `name: agent\non:\n  schedule:\n    - cron: '${cron}' # managed\njobs: {}\n`;

describe('orchestrate', () => {
  it('tracks and reports without a config, with a warning, changing nothing', async () => {
    const ws = makeWorkspace({ '.github/workflows/a.yml': agent('0 0 * * *') });
    const before = snapshot(ws);
    const result = await orchestrate(options(ws));
    expect(result.decision.mode).toBe('aggressive');
    expect(result.config).toEqual({ path: CONFIG, found: false });
    expect(result.warnings).toEqual([
      `No config at ${CONFIG}: no workflow is managed, so usage is tracked and reported only`,
    ]);
    expect(result.diff).toBe('');
    expect(snapshot(ws)).toEqual(before);
  });

  it('rewrites the managed workflows to the mode, and a second run changes nothing', async () => {
    const ws = exampleWorkspace();
    const first = await orchestrate(options(ws));
    expect(first.written).toBe(true);
    expect(first.changes.map((c) => c.path)).toContain('.github/workflows/agent-spawner.yml');
    expect(readFileSync(join(ws, '.github/workflows/agent-spawner.yml'), 'utf8')).toContain(
      "- cron: '17 */2 * * *'",
    );
    const second = await orchestrate(options(ws));
    expect(second.changes).toEqual([]);
    expect(second.diff).toBe('');
    expect(second.workflows.every((w) => !w.changed)).toBe(true);
  });

  it('writes nothing in dry run but still gives the diff', async () => {
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const result = await orchestrate(options(ws, { 'dry-run': 'true' }));
    expect(result.written).toBe(false);
    expect(result.diff).toContain("+    - cron: '17 */2 * * *'");
    expect(snapshot(ws)).toEqual(before);
  });

  it('keeps a backup of each replaced file when asked', async () => {
    const ws = makeWorkspace({
      [CONFIG]: 'workflows:\n  a.yml:\n    preset: agents\n',
      '.github/workflows/a.yml': agent('17 */3 * * *'),
    });
    await orchestrate(options(ws, { 'backup-dir': 'backups' }));
    const names = readdirSync(join(ws, 'backups'));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^\.github__workflows__a\.yml\.\d{8}T\d{6}Z$/);
    expect(readFileSync(join(ws, 'backups', names[0] as string), 'utf8')).toBe(
      agent('17 */3 * * *'),
    );
    expect(readFileSync(join(ws, '.github/workflows/a.yml'), 'utf8')).toBe(agent('17 */2 * * *'));
  });

  it('writes no file at all when any managed file has a problem, and names every problem', async () => {
    const ws = makeWorkspace({
      [CONFIG]:
        'workflows:\n  good.yml:\n    preset: agents\n  missing.yml:\n    preset: agents\n  broken.yml:\n    preset: agents\n',
      '.github/workflows/good.yml': agent('17 */3 * * *'),
      '.github/workflows/broken.yml': 'on:\n  push:\n',
    });
    const before = snapshot(ws);
    const error = await orchestrate(options(ws)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileProblems);
    expect((error as FileProblems).problems).toEqual([
      `${CONFIG}:4: workflows.missing.yml: there is no .github/workflows/missing.yml; fix the name or the workflows-dir input`,
      ".github/workflows/broken.yml:1: has no 'on: schedule:' entry to rewrite; add one (for example '- cron: \"17 3 * * *\"') for the orchestrator to manage",
    ]);
    expect(snapshot(ws)).toEqual(before);
  });

  it('uses the configured paths', async () => {
    const ws = makeWorkspace({
      'ci/orch.yml': 'workflows:\n  a.yml:\n    preset: agents\n',
      'flows/a.yml': agent('17 */3 * * *'),
    });
    const result = await orchestrate(
      options(ws, { config: 'ci/orch.yml', 'workflows-dir': 'flows', mode: 'conservative' }),
    );
    expect(result.changes.map((c) => c.path)).toEqual(['flows/a.yml']);
    expect(readFileSync(join(ws, 'flows/a.yml'), 'utf8')).toBe(agent('17 */6 * * *'));
    expect(DEFAULTS.config).toBe(CONFIG);
  });
});

describe('orchestrate with history', () => {
  const HISTORY = '.github/orchestrator-history.json';
  const at = (ws: string, now: string, used: string, extra: Record<string, string> = {}) =>
    orchestrate(options(ws, { now, used, 'history-file': HISTORY, ...extra }));

  it('adds one record a day, includes it in the diff, and gives the trend', async () => {
    const ws = makeWorkspace();
    const first = await at(ws, '2025-11-10T00:07:00Z', '200');
    expect(first.trend).toBeUndefined();
    expect(first.changes.map((c) => c.path)).toEqual([HISTORY]);
    expect(first.diff).toContain(`--- /dev/null\n+++ b/${HISTORY}`);
    await at(ws, '2025-11-11T00:07:00Z', '260');
    const third = await at(ws, '2025-11-12T00:07:00Z', '300');
    expect(third.trend).toBe(50);
    const saved = JSON.parse(readFileSync(join(ws, HISTORY), 'utf8'));
    expect(saved.records.map((r: { used: number }) => r.used)).toEqual([200, 260, 300]);
  });

  it('writes no history in dry run, but shows it in the diff', async () => {
    const ws = makeWorkspace();
    const result = await at(ws, '2025-11-10T00:07:00Z', '200', { 'dry-run': 'true' });
    expect(result.diff).toContain(HISTORY);
    expect(snapshot(ws)).toEqual({});
  });

  it('keeps a copy of a corrupt history, warns, and starts anew', async () => {
    const ws = makeWorkspace({ [HISTORY]: '{ not json' });
    const result = await at(ws, '2025-11-10T00:07:00Z', '200');
    const copy = `${HISTORY}.corrupt-20251110T000700Z`;
    expect(result.warnings.find((w) => w.startsWith('History'))).toMatch(
      new RegExp(
        `History file ${HISTORY} is not valid JSON .*; it is kept as ${copy.replace(/\./g, '\\.')}`,
      ),
    );
    expect(readFileSync(join(ws, copy), 'utf8')).toBe('{ not json');
    expect(JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records).toHaveLength(1);
  });
});

describe('usage that contradicts the history', () => {
  const HISTORY = '.github/orchestrator-history.json';
  const history = (time: string, used: number, mode: string) =>
    JSON.stringify({
      version: 1,
      records: [{ date: time.slice(0, 10), time, quota: 1500, used, mode, alert: 'ok' }],
    });

  it('keeps the last recorded mode when usage drops within the period', async () => {
    const ws = makeWorkspace({ [HISTORY]: history('2025-11-11T00:07:00Z', 800, 'conservative') });
    const result = await orchestrate(options(ws, { 'history-file': HISTORY, used: '300' }));
    expect(result.decision.mode).toBe('conservative');
    expect(result.decision.reason).toMatch(/usage looks wrong \(usage dropped from 800/);
    expect(result.warnings).toContain(
      'Usage looks wrong: usage dropped from 800 (2025-11-11T00:07:00Z) to 300 within the period.',
    );
    expect(result.warnings).toContain('Keeping the last recorded mode, conservative.');
  });

  it('keeps the last recorded mode when usage grows by more than the quota in a day', async () => {
    const ws = makeWorkspace({ [HISTORY]: history('2025-11-11T00:00:00Z', 100, 'aggressive') });
    const result = await orchestrate(options(ws, { 'history-file': HISTORY, used: '1700' }));
    expect(result.decision.mode).toBe('aggressive');
    expect(result.warnings.join('\n')).toMatch(/more than the whole quota a day/);
  });

  it('ignores records of an earlier period and keeps a forced mode', async () => {
    const earlier = makeWorkspace({
      [HISTORY]: history('2025-10-30T00:00:00Z', 1400, 'conservative'),
    });
    expect((await orchestrate(options(earlier, { 'history-file': HISTORY }))).decision.mode).toBe(
      'aggressive',
    );
    const forced = makeWorkspace({
      [HISTORY]: history('2025-11-11T00:07:00Z', 800, 'conservative'),
    });
    const result = await orchestrate(options(forced, { 'history-file': HISTORY, mode: 'normal' }));
    expect(result.decision.mode).toBe('normal');
    expect(result.warnings.join('\n')).toMatch(/^Usage looks wrong: usage dropped/m);
    expect(result.warnings.join('\n')).not.toContain('Keeping the last recorded mode');
  });
});

describe('pace mode', () => {
  const HISTORY = '.github/orchestrator-history.json';
  const CONFIG_TEXT = `workflows:
  fast.yml:
    preset: agents
    cost: 2
    priority: 2
  slow.yml:
    preset: ideas
    priority: 1
`;
  const flow = (cron: string) => `on:\n  schedule:\n    - cron: '${cron}'\njobs: {}\n`;

  it('sets each workflow to its own tier and records the tiers and managed spend', async () => {
    // Day 11 of November, 300 of 1500 used, and a week of history at 20 a day of other use
    // while both workflows sat at normal (agents 8 runs × 2, ideas 1 run: 17 a day managed).
    const records = [4, 7, 10].map((day) => ({
      date: `2025-11-${String(day).padStart(2, '0')}`,
      time: `2025-11-${String(day).padStart(2, '0')}T00:07:00Z`,
      quota: 1500,
      used: 37 * (day - 1) + 0.5,
      mode: 'pace',
      alert: 'ok',
      tiers: { 'fast.yml': 'normal', 'slow.yml': 'normal' },
      managedPerDay: 17,
    }));
    const ws = makeWorkspace({
      [CONFIG]: CONFIG_TEXT,
      '.github/workflows/fast.yml': flow('17 */3 * * *'),
      '.github/workflows/slow.yml': flow('37 10 * * *'),
      [HISTORY]: JSON.stringify({ version: 1, records }),
    });
    const result = await orchestrate(
      options(ws, {
        mode: 'pace',
        'history-file': HISTORY,
        used: '370.5',
        now: '2025-11-11T00:07:00Z',
      }),
    );
    expect(result.decision.mode).toBe('pace');
    // The aim: the quota less a reserve of one run's worth (7.5), the target's 5% (75) and what
    // the slowest schedules spend over the 6 days of the release and a 3-day correction
    // (agents 4 runs × 2 and ideas 2 runs a week: 8 + 2/7 a day, × 9 = 74.57).
    expect(result.decision.reason).toMatch(/^rates set to land at [\d.]+ of an aim of 1342.93 /);
    // One projection: the reason, the report, the outputs and the summary give the same figure.
    const landing = Number(/land at ([\d.]+)/.exec(result.decision.reason)?.[1]);
    expect(landing).toBeCloseTo(result.decision.projected ?? Number.NaN, 2);
    expect(reportOf(result).projected).toBeCloseTo(landing, 2);
    expect(outputsOf(result).projected).toBe(String(landing));
    const md = renderSummary(result);
    expect(md).toContain(`| Projected at reset with the new schedules | ${landing} (`);
    expect(md).toContain('target 1342.93)');
    expect(md).not.toContain('at the current burn rate |');
    // The chart draws the aim as a fourth line, flat at 1342.9 (one decimal).
    const chart = md.slice(
      md.indexOf('```mermaid'),
      md.indexOf('```', md.indexOf('```mermaid') + 3),
    );
    const lines = chart.split('\n').filter((l) => l.trim().startsWith('line '));
    expect(lines).toHaveLength(4);
    expect(new Set(JSON.parse(lines[3]?.trim().slice(5) ?? '[]'))).toEqual(new Set([1342.9]));
    // 20 other + 17 managed = 37 a day: 370.5 + 37 × 19.99 ≈ 1110, far under 1342.93: speed up,
    // the higher priority first: fast to its fastest (12), slow to 4 of its 6 (nearest its
    // aggressive tier).
    expect(result.decision.tiers).toEqual({ 'fast.yml': 'aggressive', 'slow.yml': 'aggressive' });
    expect(readFileSync(join(ws, '.github/workflows/fast.yml'), 'utf8')).toBe(flow('17 */2 * * *'));
    const saved = JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records.at(-1);
    expect(saved).toMatchObject({
      mode: 'pace',
      tiers: { 'fast.yml': 'aggressive', 'slow.yml': 'aggressive' },
      managedPerDay: 28,
      rates: { 'fast.yml': 12, 'slow.yml': 4 },
    });
    expect(result.workflows.map((w) => w.tier)).toEqual(['aggressive', 'aggressive']);
  });

  it('keeps every tier when usage looks wrong', async () => {
    const ws = makeWorkspace({
      [CONFIG]: CONFIG_TEXT,
      '.github/workflows/fast.yml': flow('17 */6 * * *'),
      '.github/workflows/slow.yml': flow('37 10 * * *'),
      [HISTORY]: JSON.stringify({
        version: 1,
        records: [
          {
            date: '2025-11-10',
            time: '2025-11-10T00:07:00Z',
            quota: 1500,
            used: 900,
            mode: 'pace',
            alert: 'ok',
          },
        ],
      }),
    });
    const result = await orchestrate(
      options(ws, { mode: 'pace', 'history-file': HISTORY, used: '100' }),
    );
    expect(result.decision.tiers).toEqual({ 'fast.yml': 'conservative', 'slow.yml': 'normal' });
    expect(result.changes.map((c) => c.path)).toEqual([HISTORY]);
  });
});

describe('apply: record', () => {
  it('records the mode and each tier, changing no workflow file', async () => {
    const HISTORY = '.github/orchestrator-history.json';
    const ws = exampleWorkspace();
    const before = snapshot(ws);
    const result = await orchestrate(options(ws, { apply: 'record', 'history-file': HISTORY }));
    expect(result.decision.mode).toBe('aggressive');
    expect(result.changes.map((c) => c.path)).toEqual([HISTORY]);
    expect(result.workflows.every((w) => !w.changed && w.tier === 'aggressive')).toBe(true);
    const after = snapshot(ws);
    delete after[HISTORY];
    expect(after).toEqual(before);
    const record = JSON.parse(readFileSync(join(ws, HISTORY), 'utf8')).records[0];
    expect(record.tiers['agent-spawner.yml']).toBe('aggressive');
  });
});
