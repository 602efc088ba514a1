#!/usr/bin/env node
// Plays every scenario in scenarios/ with each policy through the bundled CLI: once as written,
// then over 40 seeds with each day's other use scaled by a factor from [0.6, 1.4]. Prints both
// tables, then the fleet scenarios' table with their three policies side by side.
// Usage: npm run bench:simulate [-- --seeds N --noise X]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '40' }, noise: { type: 'string', default: '0.4' } },
});
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = (args) => {
  const run = spawnSync(process.execPath, [join(root, 'dist/cli/index.js'), 'simulate', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout).policies;
};
/** Every seed of a scenario, each policy's results under `seeds`. */
const seedRuns = (path) =>
  cli(['--scenario', path, '--json', '--seeds', values.seeds, '--noise', values.noise]);
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const rank = (sorted, share) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];

const single = [
  '| scenario | policy | final used | utilization | exhausted at | schedule changes |',
  '| --- | --- | --- | --- | --- | --- |',
];
const seeded = [
  `| scenario | policy | median used | 10th percentile | ran out (of ${values.seeds}) | median changes |`,
  '| --- | --- | --- | --- | --- | --- |',
];
const files = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort();
// A fleet scenario (several repositories on one pool) plays the fleet's policies: its own table.
const isFleet = (file) =>
  JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8')).repositories !== undefined;
for (const file of files.filter((f) => !isFleet(f))) {
  const name = basename(file, '.json');
  const path = join(root, 'scenarios', file);
  for (const [policy, r] of Object.entries(cli(['--scenario', path, '--json']))) {
    single.push(
      `| ${name} | ${policy} | ${r.finalUsed} | ${pct(r.utilization)} | ${r.exhaustedAt ?? 'never'} | ${r.scheduleChanges} |`,
    );
  }
  const runs = seedRuns(path);
  for (const [policy, { seeds }] of Object.entries(runs)) {
    const used = seeds.map((s) => s.utilization).sort((a, b) => a - b);
    const changes = seeds.map((s) => s.scheduleChanges).sort((a, b) => a - b);
    const out = seeds.filter((s) => s.exhaustedAt !== null).length;
    seeded.push(
      `| ${name} | ${policy} | ${pct(rank(used, 0.5))} | ${pct(rank(used, 0.1))} | ${out} | ${rank(changes, 0.5)} |`,
    );
  }
}
console.log('Single run, each scenario as written:\n');
console.log(single.join('\n'));
console.log(
  `\n${values.seeds} seeds, other use a day × U[1 − ${values.noise}, 1 + ${values.noise}]:\n`,
);
console.log(seeded.join('\n'));

const policies = ['alone-pool', 'alone-share', 'fleet'];
const fleetSingle = [
  `| scenario | ${policies.join(' | ')} | fleet's floors |`,
  `| --- | ${policies.map(() => '---').join(' | ')} | --- |`,
];
const fleetSeeded = [
  `| scenario | ${policies.join(' | ')} | fleet's floors broken |`,
  `| --- | ${policies.map(() => '---').join(' | ')} | --- |`,
];
const floorsOf = (r) =>
  Object.entries(r.repositories)
    .filter(([, x]) => x.floor > 0)
    .map(([repo, x]) => `${repo} ${x.spent} of ${x.floor}${x.floorKept ? '' : ' BROKEN'}`)
    .join(', ') || 'none set';
for (const file of files.filter(isFleet)) {
  const name = basename(file, '.json');
  const path = join(root, 'scenarios', file);
  const one = cli(['--scenario', path, '--json']);
  const cells = policies.map((p) => {
    const r = one[p];
    return `${pct(r.utilization)}, ${r.exhaustedAt ? `out ${r.exhaustedAt.slice(5, 16)}` : 'never out'}, ${r.scheduleChanges} changes`;
  });
  fleetSingle.push(`| ${name} | ${cells.join(' | ')} | ${floorsOf(one.fleet)} |`);
  const runs = seedRuns(path);
  const seededCells = policies.map((p) => {
    const seeds = runs[p].seeds;
    const used = seeds.map((x) => x.utilization).sort((a, b) => a - b);
    const changes = seeds.map((x) => x.scheduleChanges).sort((a, b) => a - b);
    const out = seeds.filter((x) => x.exhaustedAt !== null).length;
    return `${pct(rank(used, 0.5))} (p10 ${pct(rank(used, 0.1))}), out ${out}, ${rank(changes, 0.5)} changes`;
  });
  const broken = runs.fleet.seeds.filter((x) =>
    Object.values(x.repositories).some((r) => !r.floorKept),
  ).length;
  fleetSeeded.push(`| ${name} | ${seededCells.join(' | ')} | ${broken} of ${values.seeds} |`);
}
console.log(
  '\nFleets, single run (utilization of the pool, when it ran out, plan changes of a rate):\n',
);
console.log(fleetSingle.join('\n'));
console.log(
  `\nFleets, ${values.seeds} seeds, each repository's other use a day × U[1 − ${values.noise}, 1 + ${values.noise}] (median, 10th percentile, seeds that ran out, median changes):\n`,
);
console.log(fleetSeeded.join('\n'));
