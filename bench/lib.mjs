// Shared by the benchmark scripts: side-by-side timing with medians, and a report table.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Wall time of one process run, in milliseconds; throws when it fails. */
export function timeRun(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`,
    );
  }
  return ms;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each named command `rounds` times, interleaved so that load on a shared machine hits
 * every command alike, after one warm-up round. Returns the median milliseconds per name.
 */
export function compare(commands, rounds) {
  const times = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const [name, run] of Object.entries(commands)) {
      const ms = run();
      if (round >= 0) times[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}

/** Parses --name=value flags into an object of strings. */
export function flags(argv = process.argv.slice(2)) {
  return Object.fromEntries(
    argv
      .map((arg) => /^--([\w-]+)=(.*)$/.exec(arg))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
}

/** The environment the runner gives the action for a dry run of the worked example in `work`. */
export function dryRunEnv(work, extraInputs = {}) {
  const env = {
    PATH: process.env.PATH,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    INPUT_QUOTA: '1500',
    INPUT_USED: '300',
    INPUT_NOW: '2025-11-12T00:00:00Z',
    'INPUT_DRY-RUN': 'true',
  };
  for (const [name, value] of Object.entries(extraInputs))
    env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}
