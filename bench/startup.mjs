#!/usr/bin/env node
// Benchmark: `node dist/index.js` on the examples in dry run against a bare `node -e 0`, side by
// side. Goal: ratio at most 3.0 (the runner protocol is @actions/core's, which loads undici at
// import; a daily action does not need the last 100 ms). Usage: npm run bench:startup [-- --rounds=21]
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, dryRunEnv, flags, timeRun } from './lib.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const rounds = Number(flags().rounds ?? 21);
const work = join(root, 'bench/.work/startup');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(join(root, 'examples/workspace'), work, { recursive: true });

const env = dryRunEnv(work);
const node = process.execPath;
const result = compare(
  {
    bare: () => timeRun(node, ['-e', '0']),
    action: () => {
      writeFileSync(env.GITHUB_OUTPUT, '');
      writeFileSync(env.GITHUB_STEP_SUMMARY, '');
      return timeRun(node, [join(root, 'dist/index.js')], { cwd: work, env });
    },
  },
  rounds,
);
const ratio = result.action / result.bare;
console.log(`examples/workspace in dry run, median of ${rounds} interleaved runs each`);
console.log('| run | median ms |\n| --- | --- |');
console.log(`| node -e 0 | ${result.bare.toFixed(1)} |`);
console.log(`| node dist/index.js | ${result.action.toFixed(1)} |`);
console.log(`ratio ${ratio.toFixed(2)} (goal <= 3.0): ${ratio <= 3 ? 'met' : 'NOT met'}`);
