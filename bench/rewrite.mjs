#!/usr/bin/env node
// Benchmark: the whole dry run (tracker, config, 1000 workflow rewrites, diff) against a bare node
// process that only reads and parses the same files with the same yaml package.
// Goal: ratio at most 1.5. Usage: npm run bench:rewrite [-- --workflows=1000 --rounds=9]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, dryRunEnv, flags, timeRun } from './lib.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const options = flags();
const count = Number(options.workflows ?? 1000);
const rounds = Number(options.rounds ?? 9);
const work = join(root, 'bench/.work/monorepo');

const presets = ['learning', 'ideas', 'ai-ideas', 'agents'];
const normal = {
  learning: ["    - cron: '23 8,14,20 * * *'"],
  ideas: ["    - cron: '37 9 * * *'"],
  'ai-ideas': ["    - cron: '47 */4 * * *' # every four hours"],
  agents: ["    - cron: '17 */3 * * *'"],
};

/** A workflow of a realistic size (about 60 lines) in the shapes real repositories use. */
function workflow(i, preset) {
  const lines = [
    `# Automation ${i}: ${preset}`,
    `name: automation-${i}`,
    i % 3 === 0 ? '"on":' : 'on:',
    '  schedule:',
    ...normal[preset],
    '  workflow_dispatch:',
    '    inputs:',
    '      focus:',
    '        description: Optional focus for this run',
    '        required: false',
    'permissions:',
    '  contents: read',
    '  issues: write',
    'concurrency:',
    `  group: automation-${i}-\${{ github.ref }}`,
    '  cancel-in-progress: false',
    'env:',
    `  AUTOMATION_ID: "${i}"`,
    'jobs:',
  ];
  for (const job of ['prepare', 'run', 'report']) {
    lines.push(
      `  ${job}:`,
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 20',
      '    steps:',
      '      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2',
      '      - name: Set up',
      '        run: |',
      '          echo "preparing"',
      `          echo "job ${job} of automation ${i}"`,
      '      - name: Work',
      '        env:',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      '          FOCUS: ${{ inputs.focus }}',
      '        run: ./scripts/work.sh "$FOCUS"',
    );
  }
  return `${lines.join('\n')}\n`;
}

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, '.github/workflows'), { recursive: true });
const config = ['workflows:'];
for (let i = 0; i < count; i++) {
  const preset = presets[i % presets.length];
  const file = `automation-${String(i).padStart(4, '0')}.yml`;
  writeFileSync(join(work, '.github/workflows', file), workflow(i, preset));
  config.push(`  ${file}:`, `    preset: ${preset}`);
}
writeFileSync(join(work, '.github/orchestrator.yml'), `${config.join('\n')}\n`);

const baseline = join(work, 'baseline.mjs');
writeFileSync(
  baseline,
  `import { readFileSync, readdirSync } from 'node:fs';
import { parseDocument } from ${JSON.stringify(join(root, 'node_modules/yaml/dist/index.js'))};
const dir = '.github/workflows';
parseDocument(readFileSync('.github/orchestrator.yml', 'utf8'));
for (const f of readdirSync(dir)) parseDocument(readFileSync(dir + '/' + f, 'utf8'), { keepSourceTokens: true });
`,
);

const env = dryRunEnv(work, { 'history-file': '' });
const node = process.execPath;
const result = compare(
  {
    baseline: () => timeRun(node, [baseline], { cwd: work }),
    action: () => {
      // The runner creates both files before the step; @actions/core appends to the summary.
      writeFileSync(env.GITHUB_OUTPUT, '');
      writeFileSync(env.GITHUB_STEP_SUMMARY, '');
      return timeRun(node, [join(root, 'dist/index.js')], { cwd: work, env });
    },
  },
  rounds,
);
const ratio = result.action / result.baseline;
console.log(`${count} managed workflows, median of ${rounds} interleaved runs each`);
console.log('| run | median ms |\n| --- | --- |');
console.log(`| bare node: read + parse with yaml | ${result.baseline.toFixed(1)} |`);
console.log(`| dist/index.js dry run, diff included | ${result.action.toFixed(1)} |`);
console.log(`ratio ${ratio.toFixed(2)} (goal <= 1.5): ${ratio <= 1.5 ? 'met' : 'NOT met'}`);
