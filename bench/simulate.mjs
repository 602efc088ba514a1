#!/usr/bin/env node
// Plays every scenario in scenarios/ with each policy through the bundled CLI and prints one
// table comparing them. Usage: npm run bench:simulate
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const rows = [
  '| scenario | policy | final used | utilization | exhausted at | schedule changes |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const file of readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'dist/cli/index.js'),
      'simulate',
      '--scenario',
      join(root, 'scenarios', file),
      '--json',
    ],
    {
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`${file}: ${run.stderr}`);
  for (const [policy, r] of Object.entries(JSON.parse(run.stdout).policies)) {
    rows.push(
      `| ${basename(file, '.json')} | ${policy} | ${r.finalUsed} | ${(r.utilization * 100).toFixed(1)}% | ${r.exhaustedAt ?? 'never'} | ${r.scheduleChanges} |`,
    );
  }
}
console.log(rows.join('\n'));
