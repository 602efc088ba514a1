#!/usr/bin/env node
// Runs the bundled action as the runner does (INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, cwd = workspace) and prints its log, outputs and summary.
// Needs no install: dist/ is committed.
//   npm run example [-- --used=1200 --mode=normal]   on a copy of examples/workspace, dry run
//   npm run local [-- --env=.env]                    with the variables of a .env file
//   npm run local -- --gate [--env=gate/.env]        the gate step (dist/gate/index.js)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const example = args.includes('--example');
const gate = args.includes('--gate');
const files = mkdtempSync(join(tmpdir(), 'orchestrator-run-'));
const env = { ...process.env };

/** KEY=VALUE lines; # starts a comment; values may be quoted. */
function readEnvFile(path) {
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][\w-]*)\s*=\s*(.*?)\s*$/.exec(line.replace(/\s+#.*$/, ''));
    if (match) vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

if (example) {
  env.GITHUB_WORKSPACE = mkdtempSync(join(tmpdir(), 'orchestrator-example-'));
  cpSync(join(root, 'examples/workspace'), env.GITHUB_WORKSPACE, { recursive: true });
  Object.assign(env, {
    INPUT_QUOTA: '1500',
    INPUT_USED: '300',
    INPUT_NOW: '2025-11-12T00:00:00Z',
    'INPUT_DRY-RUN': 'true',
  });
} else {
  const envFile =
    args.find((a) => a.startsWith('--env='))?.slice(6) ?? (gate ? 'gate/.env' : '.env');
  if (!existsSync(envFile)) {
    const copy = gate ? 'gate/.env.example to gate/.env' : '.env.example to .env';
    console.error(`No ${envFile}: copy ${copy} and edit it, or pass --env=FILE`);
    process.exit(2);
  }
  Object.assign(env, readEnvFile(envFile));
  env.GITHUB_WORKSPACE = resolve(root, env.GITHUB_WORKSPACE ?? '.');
}
// The CLI's forms: --used=1200, --used 1200, and a bare --dry-run for true.
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--example' || arg === '--gate' || arg.startsWith('--env=')) continue;
  const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
  if (!match) {
    console.error(
      `Unknown argument '${arg}': inputs are given as --input-name=value or --input-name value, for example --used 1200`,
    );
    process.exit(2);
  }
  const next = args[i + 1];
  let value = match[2];
  if (
    value === undefined &&
    next !== undefined &&
    (!next.startsWith('--') || /^-[\d.]/.test(next))
  ) {
    value = next;
    i++;
  }
  env[`INPUT_${match[1].toUpperCase()}`] = value ?? 'true';
}
// Always files of this run: a .env file may name a summary file for @github/local-action.
env.GITHUB_OUTPUT = join(files, 'output');
env.GITHUB_STEP_SUMMARY = join(files, 'summary');
writeFileSync(env.GITHUB_OUTPUT, '');
writeFileSync(env.GITHUB_STEP_SUMMARY, '');

const inputs = Object.entries(env).filter(([k]) => k.startsWith('INPUT_'));
console.log(`Workspace: ${env.GITHUB_WORKSPACE}`);
console.log(`Inputs: ${inputs.map(([k, v]) => `${k.slice(6).toLowerCase()}=${v}`).join(' ')}\n`);
const run = spawnSync(
  process.execPath,
  [join(root, gate ? 'dist/gate/index.js' : 'dist/index.js')],
  {
    cwd: env.GITHUB_WORKSPACE,
    env,
    stdio: 'inherit',
  },
);
const outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8')
  .replace(/^ghadelimiter_.*\n/gm, '')
  .replace(/<<ghadelimiter_.*\n/g, ':\n');
console.log(`\nOutputs:\n${outputs}`);
console.log(`Job summary (Markdown):\n${readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')}`);
// The run's own folders go; a checkout given by a .env file is the user's and stays.
rmSync(files, { recursive: true, force: true });
if (example) rmSync(env.GITHUB_WORKSPACE, { recursive: true, force: true });
process.exit(run.status ?? 1);
