/** auto never calls a spent quota "on track"; paused tiers; the history is validated like input. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE20, runAction } from '../helpers/run-action.js';
import { makeWorkspace, snapshot } from '../helpers/workspace.js';

const WORKFLOW = "on:\n  schedule:\n    - cron: '17 */3 * * *'\n  workflow_dispatch:\njobs: {}\n";
const config = (paused: string) => `workflows:
  agent-spawner.yml:
    preset: agents
    cost: 2
${paused}
  idea-generator.yml:
    preset: ideas
`;
const files = (paused: string, extra: Record<string, string> = {}) => ({
  '.github/orchestrator.yml': config(paused),
  '.github/workflows/agent-spawner.yml': WORKFLOW,
  '.github/workflows/idea-generator.yml': WORKFLOW.replace('17 */3', '37 9'),
  ...extra,
});
const act = (ws: string, inputs: Record<string, string>) =>
  runAction({ node: NODE20, workspace: ws, inputs: { quota: '1500', ...inputs } });

describe('auto under the spent-quota guard', () => {
  it('goes conservative, not "on track", at 1540 of 1500 used 80% into the period', () => {
    // 80% of November: day 24 at 00:00. Efficiency 1.283 alone would read as normal.
    const ws = makeWorkspace(files(''));
    const r = act(ws, { used: '1540', now: '2026-11-25T00:00:00Z', 'dry-run': 'true' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.mode).toBe('conservative');
    expect(report.reason).toMatch(/^the quota is used up \(1540 of 1500\), so conservative/);
    expect(r.summary).not.toMatch(/on track/);
  });

  it('goes conservative when the projection passes the quota with a week or less left', () => {
    // 1280 used at day 25 of 30 (efficiency 1.024): projected 1536 at the reset.
    const ws = makeWorkspace(files(''));
    const r = act(ws, { used: '1280', now: '2026-11-26T00:00:00Z', 'dry-run': 'true' });
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.mode).toBe('conservative');
    expect(report.reason).toMatch(/reaches 1536 of 1500 with 5\.0 days to the reset/);
    // The same efficiency mid-month is the documented rule's "normal".
    const mid = act(ws, { used: '768', now: '2026-11-16T00:00:00Z', 'dry-run': 'true' });
    expect(JSON.parse(mid.outputs.report ?? '{}').mode).toBe('normal');
  });
});

describe('the paused tier', () => {
  it('pauses only the workflows that have one once a run no longer fits, in the pull-request flow', () => {
    const ws = makeWorkspace(files("    paused: '17 9 1 * *'"));
    const r = act(ws, { used: '1499', now: '2026-11-28T00:00:00Z' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.outputs.report ?? '{}');
    const tiers = Object.fromEntries(
      report.workflows.map((w: { path: string; tier: string }) => [w.path, w.tier]),
    );
    expect(tiers).toEqual({
      '.github/workflows/agent-spawner.yml': 'paused',
      '.github/workflows/idea-generator.yml': 'conservative',
    });
    expect(r.stdout).toContain('.github/workflows/agent-spawner.yml (paused)');
    expect(report.reason).toMatch(
      /paused agent-spawner\.yml: what is left \(1\) does not cover a run/,
    );
    expect(readFileSync(join(ws, '.github/workflows/agent-spawner.yml'), 'utf8')).toContain(
      "- cron: '17 9 1 * *'",
    );
  });

  it('records an empty paused tier for the gate with apply: record', () => {
    const ws = makeWorkspace(files('    paused: []'));
    const r = act(ws, { used: '1500', now: '2026-11-28T00:00:00Z', apply: 'record' });
    expect(r.status).toBe(0);
    const history = JSON.parse(readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'));
    expect(history.records.at(-1).tiers['agent-spawner.yml']).toBe('paused');
  });

  it('refuses an empty paused tier in the pull-request flow, before writing anything', () => {
    const ws = makeWorkspace(files('    paused: []'));
    const before = snapshot(ws);
    const r = act(ws, { used: '100', now: '2026-11-10T00:00:00Z' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /::error::.*\.github\/orchestrator\.yml:2: workflows\.agent-spawner\.yml\.paused is empty, which only the gate step can apply/,
    );
    expect(snapshot(ws)).toEqual(before);
  });

  it('never pauses a forced mode', () => {
    const ws = makeWorkspace(files("    paused: '17 9 1 * *'"));
    const r = act(ws, { used: '1500', mode: 'aggressive', 'dry-run': 'true' });
    const report = JSON.parse(r.outputs.report ?? '{}');
    expect(report.workflows.map((w: { tier: string }) => w.tier)).toEqual([
      'aggressive',
      'aggressive',
    ]);
  });
});

describe('the history, validated like input', () => {
  const rec = (over: Record<string, unknown>) => ({
    date: '2026-11-10',
    time: '2026-11-10T00:07:00Z',
    quota: 1500,
    used: 200,
    mode: 'normal',
    alert: 'ok',
    ...over,
  });
  it.each([
    ['a tier that is not a mode', { tiers: { 'agent-spawner.yml': 'turbo' } }, /'tiers' gives/],
    ['an inherited name', { tiers: { 'agent-spawner.yml': 'toString' } }, /'tiers' gives/],
    ['a negative used', { used: -500 }, /'used' is not a finite number of 0 or more/],
    ['a used that is not finite', { used: 'OVERFLOW' }, /'used' is not a finite number/],
    ['a day that does not exist', { date: '2026-02-30' }, /'date' is not a day/],
  ])('keeps a history with %s aside as corrupt and starts anew', (_name, over, why) => {
    // JSON has no Infinity: 1e400 is how a file spells a number that overflows to it.
    const text = JSON.stringify({ version: 1, records: [rec(over)] }).replace(
      '"OVERFLOW"',
      '1e400',
    );
    const ws = makeWorkspace(files('', { '.github/orchestrator-history.json': text }));
    const r = act(ws, { used: '300', now: '2026-11-12T00:07:00Z', mode: 'pace' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(why);
    expect(r.stdout).toMatch(
      /it is kept as \.github\/orchestrator-history\.json\.corrupt-20261112T000700Z/,
    );
    expect(
      readFileSync(join(ws, '.github/orchestrator-history.json.corrupt-20261112T000700Z'), 'utf8'),
    ).toBe(text);
  });

  it('never takes a record dated in the future for the latest one', () => {
    const text = JSON.stringify({
      version: 1,
      records: [
        rec({ used: 200 }),
        rec({ date: '2027-03-01', time: '2027-03-01T00:07:00Z', used: 5000, mode: 'conservative' }),
      ],
    });
    const ws = makeWorkspace(files('', { '.github/orchestrator-history.json': text }));
    const r = act(ws, { used: '300', now: '2026-11-12T00:07:00Z' });
    expect(r.status).toBe(0);
    // Against the future record's 5000 this would read as usage that dropped.
    expect(r.stdout).not.toMatch(/usage dropped/);
    expect(r.stdout).toMatch(
      /::warning::.*1 record\(s\) are dated after now \(2027-03-01T00:07:00Z\); they are kept but ignored/,
    );
    const history = JSON.parse(readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'));
    expect(history.records.map((x: { date: string }) => x.date)).toEqual([
      '2026-11-10',
      '2026-11-12',
      '2027-03-01',
    ]);
  });
});
