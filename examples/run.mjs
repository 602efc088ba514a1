#!/usr/bin/env node
// Runs the bundled action on a copy of examples/workspace, the way the runner does, and prints
// what it logged and its outputs. Needs no install: dist/ is committed.
// Usage: npm run example [-- --used=1200 --mode=auto --dry-run=false ...]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const workspace = mkdtempSync(join(tmpdir(), 'orchestrator-example-'));
cpSync(join(root, 'examples/workspace'), workspace, { recursive: true });
const outputFile = join(workspace, '..', `${workspace.split(/[\\/]/).pop()}.output`);
const summaryFile = `${outputFile}.summary`;
writeFileSync(outputFile, '');
writeFileSync(summaryFile, '');

const inputs = {
  quota: '1500',
  used: '300',
  'reset-day': '1',
  now: '2025-11-12T00:00:00Z',
  'dry-run': 'true',
};
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z-]+)=(.*)$/.exec(arg);
  if (!match) {
    console.error(`Unknown argument '${arg}': use --input-name=value, for example --used=1200`);
    process.exit(2);
  }
  inputs[match[1]] = match[2];
}
const env = {
  ...process.env,
  GITHUB_WORKSPACE: workspace,
  GITHUB_OUTPUT: outputFile,
  GITHUB_STEP_SUMMARY: summaryFile,
};
for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

console.log(`Workspace: ${workspace}`);
console.log(`Inputs: ${JSON.stringify(inputs)}\n`);
const run = spawnSync(process.execPath, [join(root, 'dist/index.js')], {
  cwd: workspace,
  env,
  stdio: 'inherit',
});
console.log('\nOutputs (GITHUB_OUTPUT):');
console.log(
  readFileSync(outputFile, 'utf8')
    .replace(/^ghadelimiter_.*\n/gm, '')
    .replace(/<<ghadelimiter_.*\n/g, ':\n'),
);
process.exit(run.status ?? 1);
