/** The fleet's control run (src/fleet/run.ts) against a fake organization on loopback. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetInputs } from '../../src/fleet/inputs.js';
import { type Plan, type PlanIndex, parsePlan } from '../../src/fleet/plan.js';
import { runFleet } from '../../src/fleet/run.js';
import { type FakeOrg, type FakeRepo, repoConfig, startFakeOrg } from '../helpers/fake-org.mjs';
import { makeWorkspace } from '../helpers/workspace.js';

const inputs = (over: Partial<FleetInputs> = {}): FleetInputs => ({
  quota: 20_000,
  seatCredits: undefined,
  token: 't',
  billingEntity: undefined,
  unit: 'ai-credits',
  product: 'copilot',
  billingTimeout: 20,
  resetDay: 1,
  targetPercent: 95,
  dryRun: false,
  now: new Date('2026-12-11T00:30:00Z'),
  historyFile: '.github/orchestrator-history.json',
  config: '.github/orchestrator.yml',
  planVariable: 'PLAN',
  ...over,
});
const runs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    event: 'schedule',
    created_at: new Date(Date.parse('2026-12-01T06:00:00Z') + i * 3_600_000).toISOString(),
  }));
const FILES = ['agent-spawner.yml', 'pull-request-review.yml', 'idea-generator.yml'];

function org(n: number): FakeRepo[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `acme/service-${String(i).padStart(3, '0')}`,
    id: 1000 + i,
    // Every tenth has no config, and two carry another topic only.
    topics: i === 1 || i === 2 ? ['other'] : ['paced'],
    ...(i % 10 === 5 ? {} : { config: repoConfig(FILES) }),
    runs: Object.fromEntries(FILES.map((f, j) => [f, runs((i % 7) + j)])),
  }));
}

let fake: FakeOrg | undefined;
afterEach(() => fake?.close());

describe('the control run', () => {
  it('takes the repositories with the topic, skips those without a config, and splits a large plan', async () => {
    fake = await startFakeOrg({ token: 't', repos: org(200), used: 4000 });
    const ws = makeWorkspace({
      '.github/orchestrator.yml':
        'fleet:\n  organization: acme\n  topic: paced\n  repositories:\n    - repo: acme/service-001\n      priority: 3\n      floor: 20\n',
    });
    const result = await runFleet({
      ...inputs(),
      workspace: ws,
      baseUrl: fake.url,
      retryBaseMs: 10,
    });

    // 198 with the topic, plus service-001 listed by name; 20 of those have no config.
    expect(result.gathered.repositories).toHaveLength(199 - 20);
    expect(result.gathered.skipped).toHaveLength(20);
    expect(result.gathered.skipped[0]).toEqual({
      repo: 'acme/service-005',
      why: 'has no .github/orchestrator.yml (or the token cannot read it)',
    });
    expect(result.warnings).toContain(
      'acme/service-005 is left out: it has no .github/orchestrator.yml (or the token cannot read it)',
    );
    expect(result.gathered.repositories.some((r) => r.repo === 'acme/service-002')).toBe(false);

    // The plan is over 48 KB: an index in PLAN, and parts each visible to its own repositories.
    expect(result.planBytes).toBeGreaterThan(48 * 1024);
    const names = result.variables.map((v) => v.name);
    expect(names[0]).toBe('PLAN');
    expect(names.length).toBeGreaterThan(2);
    expect(result.written.map((w) => w.name)).toEqual([...names.slice(1), 'PLAN']);
    const index = parsePlan(fake.variables.get('PLAN')?.value ?? '', 'PLAN') as PlanIndex;
    expect(index.parts.map((p) => p.name)).toEqual(names.slice(1));
    const gatheredIds = result.gathered.repositories.map((r) => r.id).sort();
    expect([...(fake.variables.get('PLAN')?.selected_repository_ids ?? [])].sort()).toEqual(
      gatheredIds,
    );
    let entries = 0;
    for (const v of result.variables.slice(1)) {
      const written = fake.variables.get(v.name);
      const part = parsePlan(written?.value ?? '', v.name) as Plan;
      entries += Object.keys(part.workflows).length;
      const ids = v.repos.map((repo) => 1000 + Number(repo.slice(-3)));
      expect(written?.visibility).toBe('selected');
      expect(written?.selected_repository_ids).toEqual(ids);
    }
    expect(entries).toBe(179 * 3);

    // The priority repository keeps its floor: its workflows are not the ones held back first.
    const rate = (key: string) => result.decision.workflows.find((w) => w.key === key)?.rate ?? -1;
    expect(rate('acme/service-001/agent-spawner.yml')).toBeGreaterThanOrEqual(
      rate('acme/service-003/agent-spawner.yml'),
    );

    // The control history keeps the rates and the runs, keyed owner/repo/workflow.
    const history = JSON.parse(readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'));
    expect(history.records.at(-1).runs['acme/service-003/idea-generator.yml']).toBe(5);
    expect(Object.keys(history.records.at(-1).rates)).toHaveLength(179 * 3);
  });

  it('asks conditionally the next day: unchanged configs and runs answer 304 and cost nothing', async () => {
    const repos = org(12);
    fake = await startFakeOrg({ token: 't', repos, used: 4000 });
    const ws = makeWorkspace({
      '.github/orchestrator.yml': 'fleet:\n  organization: acme\n  topic: paced\n',
    });
    const first = await runFleet({ ...inputs(), workspace: ws, baseUrl: fake.url });
    // A day later one workflow has run once more; everything else is as it was.
    repos[3]?.runs?.['agent-spawner.yml']?.push(...runs(1));
    const second = await runFleet({
      ...inputs({ now: new Date('2026-12-12T00:30:00Z') }),
      workspace: ws,
      baseUrl: fake.url,
    });
    expect(first.requests.notModified).toBe(0);
    // 9 repositories with configs (1 and 2 are not tagged, 5 has none): 9 configs and 26 of
    // 27 first pages of runs unchanged.
    expect(second.requests.notModified).toBe(9 + 26);
    // The first run: the listing, 10 configs (one missing), 27 pages of runs, PATCH then POST.
    expect(first.requests.charged).toBe(1 + 10 + 27 + 2);
    // The second: the listing, the missing config again, the changed page, the PATCH.
    expect(second.requests.charged).toBe(4);
    const history = JSON.parse(readFileSync(join(ws, '.github/orchestrator-history.json'), 'utf8'));
    expect(history.records).toHaveLength(2);
    const before = first.gathered.repositories.find((r) => r.repo === 'acme/service-003');
    expect(history.records[1].runs['acme/service-003/agent-spawner.yml']).toBe(
      (before?.workflows[0]?.runs.runs ?? 0) + 1,
    );
    // Older records keep the managed spend a day, not each workflow's detail.
    expect(history.records[0].rates).toBeUndefined();
    expect(history.records[0].runs).toBeUndefined();
    expect(history.records[0].managedPerDay).toBeGreaterThan(0);
  });

  it('writes nothing when a read fails midway: no variable, no history', async () => {
    fake = await startFakeOrg({
      token: 't',
      repos: org(12),
      used: 4000,
      handler: (r) =>
        r.path.includes('service-009') ? { status: 500, body: { message: 'boom' } } : undefined,
    });
    const ws = makeWorkspace({
      '.github/orchestrator.yml': 'fleet:\n  organization: acme\n  topic: paced\n',
    });
    await expect(
      runFleet({ ...inputs(), workspace: ws, baseUrl: fake.url, retryBaseMs: 5 }),
    ).rejects.toThrow(/service-009.* failed \(500\)|service-009.*got no answer/);
    expect(fake.variables.size).toBe(0);
    expect(() => readFileSync(join(ws, '.github/orchestrator-history.json'))).toThrow();
  });
});
