#!/usr/bin/env node
// Benchmark: the fleet's control run (`node dist/index.js` with a fleet: config) against a
// loopback fake organization of 10, 100 and 1,000 repositories, three managed workflows each.
// For each size: a first run (no cache), then daily runs a day apart, each after one more run
// of a tenth of the workflows. Reports API requests per daily run (charged, and 304s, which
// cost no primary rate limit), the plan's size and variables, and the daily run's time as a
// ratio against 10 repositories (median of the daily runs).
// Usage: npm run bench:fleet [-- --days=3 --sizes=10,100,1000]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoConfig, startFakeOrg } from '../__tests__/helpers/fake-org.mjs';
import { flags, median } from './lib.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const options = flags();
const days = Number(options.days ?? 3);
const sizes = (options.sizes ?? '10,100,1000').split(',').map(Number);
const FILES = ['agent-spawner.yml', 'pull-request-review.yml', 'idea-generator.yml'];
const START = Date.parse('2026-12-01T00:00:00Z');

const runsFor = (n) =>
  Array.from({ length: n }, (_, i) => ({
    event: i % 9 === 0 ? 'workflow_dispatch' : 'schedule',
    created_at: new Date(START + 3_600_000 + i * 1_800_000).toISOString(),
  }));

function org(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `acme/service-${String(i).padStart(4, '0')}`,
    id: 10_000 + i,
    topics: ['paced-by-orchestrator'],
    config: repoConfig(FILES, { cost: 1 + (i % 4), priority: i % 3 }),
    runs: Object.fromEntries(FILES.map((f, j) => [f, runsFor(20 + ((i * 7 + j * 13) % 90))])),
  }));
}

/** One control run, as the runner runs it; resolves to its wall time and outputs. */
function controlRun(work, url, now) {
  const output = join(work, 'output');
  writeFileSync(output, '');
  writeFileSync(join(work, 'summary'), '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    GITHUB_API_URL: url,
    INPUT_QUOTA: 'seats',
    'INPUT_COPILOT-PLAN': 'business',
    INPUT_TOKEN: 'bench-token',
    INPUT_NOW: now,
  };
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist/index.js')], { cwd: work, env });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('close', (status) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (status !== 0) reject(new Error(`control run failed (${status}):\n${out}`));
      const bytes = /plan-bytes<<([^\n]+)\n(\d+)/.exec(readFileSync(output, 'utf8'));
      resolve({ ms, planBytes: Number(bytes?.[2] ?? 0) });
    });
  });
}

const rows = [];
for (const n of sizes) {
  const repos = org(n);
  const fake = await startFakeOrg({
    token: 'bench-token',
    org: 'acme',
    repos,
    used: 900 * n,
    seats: 2 * n,
  });
  const work = join(root, `bench/.work/fleet-${n}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, '.github'), { recursive: true });
  writeFileSync(
    join(work, '.github/orchestrator.yml'),
    'fleet:\n  organization: acme\n  topic: paced-by-orchestrator\n  max-requests: 20000\n  timeout: 1800\n',
  );
  const at = (day) => new Date(START + (9 + day) * 86_400_000 + 1_800_000).toISOString();
  const count = () => ({
    all: fake.seen.length,
    free: fake.seen.filter((r) => r.status === 304).length,
  });
  let before = count();
  const first = await controlRun(work, fake.url, at(0));
  const cold = count().all - before.all;
  const daily = [];
  for (let day = 1; day <= days; day++) {
    // A tenth of the workflows ran once more since yesterday.
    repos.forEach((r, i) => {
      if (i % 10 === day % 10) r.runs[FILES[0]].push(...runsFor(1));
    });
    before = count();
    const run = await controlRun(work, fake.url, at(day));
    const after = count();
    daily.push({ ms: run.ms, requests: after.all - before.all, free: after.free - before.free });
  }
  await fake.close();
  const historyBytes = readFileSync(join(work, '.github/orchestrator-history.json')).length;
  rows.push({
    historyBytes,
    n,
    cold,
    requests: median(daily.map((d) => d.requests)),
    free: median(daily.map((d) => d.free)),
    planBytes: first.planBytes,
    variables: [...fake.variables.keys()].length,
    ms: median(daily.map((d) => d.ms)),
  });
}

const base = rows.find((r) => r.n === sizes[0])?.ms ?? 1;
console.log(
  `Fleet control run, ${FILES.length} managed workflows a repository; daily = median of ${days} daily runs`,
);
console.log(
  '| repositories | requests, first run | requests a daily run | of them 304 (free) | charged a daily run | plan bytes | variables | history bytes | daily run ms | time ratio |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.n} | ${r.cold} | ${r.requests} | ${r.free} | ${r.requests - r.free} | ${r.planBytes} | ${r.variables} | ${r.historyBytes} | ${r.ms.toFixed(0)} | ${(r.ms / base).toFixed(2)} |`,
  );
}
