/** The gate never trusts a stale, future or impossible record, and copes with a lagging clock. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE20, ROOT, runAction } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const CONFIG = `workflows:
  agent-spawner.yml:
    aggressive: '17 */2 * * *'
    normal: '17 */3 * * *'
    conservative: '17 */6 * * *'
    paused: []
  night@build.yml:
    preset: agents
`;
const WORKFLOW = "on:\n  schedule:\n    - cron: '17 */2 * * *'\n  workflow_dispatch:\njobs: {}\n";

const record = (time: string, tiers: Record<string, unknown>, alert = 'ok') => ({
  date: time.slice(0, 10),
  time,
  quota: 1500,
  used: 300,
  mode: 'pace',
  alert,
  tiers,
});

function run(records: unknown[], now: string, workflow = 'agent-spawner.yml', extra = {}) {
  const ws = makeWorkspace({
    '.github/orchestrator.yml': CONFIG,
    [`.github/workflows/${workflow}`]: WORKFLOW,
    '.github/orchestrator-history.json': JSON.stringify({ version: 1, records }),
  });
  const event = join(ws, '..', `${ws.split('/').pop()}-event.json`);
  writeFileSync(event, JSON.stringify({ schedule: '17 */2 * * *' }));
  return runAction({
    node: NODE20,
    workspace: ws,
    entry: join(ROOT, 'dist/gate/index.js'),
    env: {
      GITHUB_WORKFLOW_REF: `octo/repo/.github/workflows/${workflow}@refs/heads/main`,
      GITHUB_EVENT_NAME: 'schedule',
      GITHUB_EVENT_PATH: event,
    },
    inputs: { now, ...extra },
  });
}

/** A manual run of the gate for agent-spawner.yml in a workspace. */
const dispatch = (ws: string) =>
  runAction({
    node: NODE20,
    workspace: ws,
    entry: join(ROOT, 'dist/gate/index.js'),
    env: {
      GITHUB_WORKFLOW_REF: 'octo/repo/.github/workflows/agent-spawner.yml@refs/heads/main',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
    },
    inputs: { now: SKIPPED_FIRING },
  });

// 02:17 is a firing of the aggressive crons that the conservative ones (every 6 h) do not share.
const SKIPPED_FIRING = '2026-11-12T02:18:00Z';

describe('the gate and the recorded mode', () => {
  it('trusts a fresh record of this period: a conservative tier skips the 02:17 firing', () => {
    const r = run(
      [record('2026-11-12T00:07:00Z', { 'agent-spawner.yml': 'conservative' })],
      SKIPPED_FIRING,
    );
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ proceed: 'false', mode: 'conservative' });
  });

  it('proceeds with a warning when the newest record is from an earlier period', () => {
    // A "critical" September record must not block a November run.
    const r = run(
      [record('2026-09-29T00:07:00Z', { 'agent-spawner.yml': 'paused' }, 'critical')],
      SKIPPED_FIRING,
      'agent-spawner.yml',
      { 'block-when-exhausted': 'true' },
    );
    expect(r.status).toBe(0);
    expect(r.outputs.proceed).toBe('true');
    expect(r.stdout).toMatch(
      /::warning::.*earlier billing period: the daily orchestrator seems to have stopped/,
    );
    expect(r.outputs.reason).toMatch(/^The recorded mode is not trusted/);
  });

  it('proceeds with a warning when the newest record is older than max-record-age', () => {
    const records = [record('2026-11-05T00:07:00Z', { 'agent-spawner.yml': 'conservative' })];
    const old = run(records, SKIPPED_FIRING);
    expect(old.outputs.proceed).toBe('true');
    expect(old.stdout).toMatch(/::warning::.*7\.1 days old, more than max-record-age \(3 days\)/);
    // A longer max-record-age trusts it again.
    const trusted = run(records, SKIPPED_FIRING, 'agent-spawner.yml', { 'max-record-age': '10' });
    expect(trusted.outputs).toMatchObject({ proceed: 'false', mode: 'conservative' });
  });

  it('ignores a record dated in the future, with a warning', () => {
    const r = run(
      [
        record('2026-11-12T00:07:00Z', { 'agent-spawner.yml': 'conservative' }),
        record('2027-01-01T00:07:00Z', { 'agent-spawner.yml': 'aggressive' }),
      ],
      SKIPPED_FIRING,
    );
    expect(r.outputs).toMatchObject({ proceed: 'false', mode: 'conservative' });
    expect(r.stdout).toMatch(
      /::warning::.*dated after now \(2027-01-01T00:07:00Z\) and are ignored/,
    );
  });

  it.each(['turbo', 'toString', 7])(
    'refuses a record whose tier is %s as corrupt, and proceeds',
    (tier) => {
      const r = run(
        [record('2026-11-12T00:07:00Z', { 'agent-spawner.yml': tier })],
        SKIPPED_FIRING,
      );
      expect(r.status).toBe(0);
      expect(r.outputs).toMatchObject({ proceed: 'true', mode: 'unknown' });
      expect(r.stdout).toMatch(
        /::warning::History file .* is record 1 is not a usage record: 'tiers' gives/,
      );
    },
  );

  it('refuses a tier named by a prototype key such as __proto__', () => {
    const text = `{"version":1,"records":[{"date":"2026-11-12","time":"2026-11-12T00:07:00Z","quota":1500,"used":300,"mode":"pace","alert":"ok","tiers":{"__proto__":"turbo"}}]}`;
    const ws = makeWorkspace({
      '.github/orchestrator.yml': CONFIG,
      '.github/workflows/agent-spawner.yml': WORKFLOW,
      '.github/orchestrator-history.json': text,
    });
    const r = dispatch(ws);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/'tiers' gives "__proto__" the tier "turbo"/);
  });

  it('skips every scheduled run of a paused workflow whose paused tier is empty', () => {
    const r = run(
      [record('2026-11-28T00:07:00Z', { 'agent-spawner.yml': 'paused' }, 'critical')],
      '2026-11-28T04:18:00Z',
    );
    expect(r.outputs).toMatchObject({ proceed: 'false', mode: 'paused' });
    expect(r.outputs.reason).toMatch(
      /paused tier has no schedule, so every scheduled run is skipped/,
    );
  });

  it('takes a runner clock a little behind the firing for that firing', () => {
    const records = [record('2026-11-12T00:07:00Z', { 'agent-spawner.yml': 'conservative' })];
    // The 06:17 firing is one the conservative tier shares: 10 s of lag must not flip it.
    const lagging = run(records, '2026-11-12T06:16:50Z');
    expect(lagging.outputs).toMatchObject({ proceed: 'true', mode: 'conservative' });
    const onTime = run(records, '2026-11-12T06:17:30Z');
    expect(onTime.outputs.proceed).toBe('true');
    // The 02:17 firing is one it does not share, early or late.
    expect(run(records, '2026-11-12T02:16:50Z').outputs.proceed).toBe('false');
  });

  it('reads a workflow file name that holds an @ from GITHUB_WORKFLOW_REF', () => {
    const r = run(
      [record('2026-11-12T00:07:00Z', { 'night@build.yml': 'conservative' })],
      SKIPPED_FIRING,
      'night@build.yml',
    );
    expect(r.status).toBe(0);
    expect(r.outputs).toMatchObject({ proceed: 'false', mode: 'conservative' });
  });

  it('refuses a max-record-age that is not a positive number of days', () => {
    const r = run([], SKIPPED_FIRING, 'agent-spawner.yml', { 'max-record-age': '-1' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "::error::Invalid input: 'max-record-age' must be a number of days greater than 0",
    );
  });
});

describe('the gate and a history that is not UTF-8', () => {
  it('proceeds with a warning, as for any corrupt history', () => {
    const ws = makeWorkspace({
      '.github/orchestrator.yml': CONFIG,
      '.github/workflows/agent-spawner.yml': WORKFLOW,
    });
    writeFileSync(
      join(ws, '.github/orchestrator-history.json'),
      Buffer.concat([
        Buffer.from('{"version":1,"records":["'),
        Buffer.from([0xe9]),
        Buffer.from('"]}'),
      ]),
    );
    const r = dispatch(ws);
    expect(r.status).toBe(0);
    expect(r.outputs.proceed).toBe('true');
    expect(r.stdout).toMatch(/::warning::History file .* is not readable \(.*not valid UTF-8/);
  });
});

describe('the gate and its path inputs', () => {
  it.each([
    ['history-file', '../../etc/passwd'],
    ['config', '/etc/hostname'],
    ['workflows-dir', '..'],
  ])('refuses %s = %s outside the workspace, naming the input', (input, value) => {
    const r = run([], SKIPPED_FIRING, 'agent-spawner.yml', { [input]: value });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `::error::Invalid input: '${input}' must be a path inside the workspace`,
    );
  });
});
