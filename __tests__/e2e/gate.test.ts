import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATE_DEFAULTS } from '../../src/gate/run.js';
import { NODES, ROOT, runAction } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const CONFIG = `workflows:
  agent-spawner.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
`;
const WORKFLOW = "on:\n  schedule:\n    - cron: '17 */2 * * *'\n  workflow_dispatch:\njobs: {}\n";
const history = (tier: string, alert = 'ok') =>
  JSON.stringify({
    version: 1,
    records: [
      {
        date: '2025-11-12',
        time: '2025-11-12T00:07:00Z',
        quota: 1500,
        used: 300,
        mode: 'normal',
        alert,
        tiers: { 'agent-spawner.yml': tier },
      },
    ],
  });

function gateWorkspace(tier: string, alert = 'ok') {
  const ws = makeWorkspace({
    '.github/orchestrator.yml': CONFIG,
    '.github/workflows/agent-spawner.yml': WORKFLOW,
    '.github/orchestrator-history.json': history(tier, alert),
  });
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(event, JSON.stringify({ schedule: '17 */2 * * *' }));
  return { ws, event };
}

describe('gate/action.yml', () => {
  it('points into the shared dist/ and declares its outputs', () => {
    const action = parse(readFileSync(join(ROOT, 'gate/action.yml'), 'utf8'));
    expect(action.runs).toEqual({ using: 'node20', main: '../dist/gate/index.js' });
    // A few lines that start the gate from the bundle every entry shares.
    const entry = readFileSync(join(ROOT, 'gate', action.runs.main), 'utf8');
    expect(entry).toContain("from '../lib/index.js'");
    expect(readFileSync(join(ROOT, 'dist/lib/index.js'), 'utf8').length).toBeGreaterThan(1000);
    expect(Object.keys(action.outputs)).toEqual(['proceed', 'mode', 'reason']);
  });

  it('declares the defaults the gate applies itself', () => {
    const action = parse(readFileSync(join(ROOT, 'gate/action.yml'), 'utf8'));
    for (const [name, value] of Object.entries(GATE_DEFAULTS)) {
      expect(String(action.inputs[name]?.default), name).toBe(value);
    }
  });
});

describe.each(NODES)('dist/gate/index.js under %s', (_label, node) => {
  const gate = (ws: string, env: Record<string, string>, inputs: Record<string, string> = {}) =>
    runAction({
      node,
      workspace: ws,
      entry: join(ROOT, 'dist/gate/index.js'),
      env: {
        GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/agent-spawner.yml@refs/heads/main',
        ...env,
      },
      inputs,
    });

  it('skips and lets through scheduled runs by the recorded tier', () => {
    const { ws, event } = gateWorkspace('normal');
    const skip = gate(
      ws,
      { GITHUB_EVENT_NAME: 'schedule', GITHUB_EVENT_PATH: event },
      { now: '2025-11-12T02:19:00Z' },
    );
    expect(skip.status).toBe(0);
    expect(skip.outputs).toMatchObject({ proceed: 'false', mode: 'normal' });
    expect(skip.outputs.reason).toBe(
      'The normal schedule does not fire after 00:17, up to 02:17 UTC on 2025-11-12, so this run is skipped.',
    );
    expect(skip.summary).toContain('### Dynamic orchestrator gate: skip');
    const go = gate(
      ws,
      { GITHUB_EVENT_NAME: 'schedule', GITHUB_EVENT_PATH: event },
      { now: '2025-11-12T04:18:00Z' },
    );
    expect(go.outputs).toMatchObject({ proceed: 'true', mode: 'normal' });
  });

  it('lets a manual run through, but not when the quota is used up and blocking is on', () => {
    const { ws } = gateWorkspace('conservative', 'critical');
    const now = '2025-11-12T02:19:00Z';
    expect(gate(ws, { GITHUB_EVENT_NAME: 'workflow_dispatch' }, { now }).outputs.proceed).toBe(
      'true',
    );
    const blocked = gate(
      ws,
      { GITHUB_EVENT_NAME: 'workflow_dispatch' },
      { 'block-when-exhausted': 'true', now },
    );
    expect(blocked.outputs.proceed).toBe('false');
    expect(blocked.outputs.reason).toMatch(/quota is used up/);
  });

  it('proceeds with a warning when nothing is recorded', () => {
    const ws = makeWorkspace({ '.github/orchestrator.yml': CONFIG });
    const run = gate(ws, { GITHUB_EVENT_NAME: 'schedule' });
    expect(run.outputs.proceed).toBe('true');
    expect(run.stdout).toMatch(
      /::warning::No recorded mode in \.github\/orchestrator-history\.json and no token/,
    );
  });

  it('fails clearly on bad inputs', () => {
    const ws = makeWorkspace();
    const run = gate(
      ws,
      { GITHUB_WORKFLOW_REF: '' },
      { 'block-when-exhausted': 'maybe', token: 'ghp_gateTestToken123' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("'workflow' must be the managed workflow's file name");
    expect(run.stdout).toContain(
      "'quota' is required: a number greater than 0 (needed with a token)",
    );
    expect(run.stdout).toContain("'block-when-exhausted' must be true or false, got 'maybe'");
  });
});
