/**
 * Cost per run from gh-aw's own accounting: the file `gh aw logs --json` writes, an object whose
 * `runs` list holds one entry per workflow run, each with `workflow_path` (the compiled
 * `.github/workflows/NAME.lock.yml`), `workflow_name` and `aic`, the AI credits the run spent
 * (gh-aw leaves `aic` out when it is zero or unknown). A managed workflow's cost per run is the
 * median of the `aic` of its runs that spent something.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import { InputError } from '../inputs.js';
import { kindOf, resolveInWorkspace } from '../paths.js';
import { FileProblems, type OrchestratorConfig } from '../schedule/config.js';
import { decodeText } from '../text.js';

/** A month of runs of a busy repository fits with room to spare; a bigger file is a mistake. */
export const RUN_COSTS_MAX_BYTES = 16 * 1024 * 1024;
const SHOWN_PROBLEMS = 5;
const SHAPE =
  'the JSON that `gh aw logs --json` prints: an object whose runs list holds one object per run, with workflow_path (a string) and aic (a number of 0 or more, or left out)';

/** One run as this action reads it; every other field gh-aw writes is ignored. */
export interface LoggedRun {
  workflowPath: string;
  aic: number | undefined;
}

/** What the file says of one managed workflow. */
export interface RunCost {
  /** The median AI credits of its runs that spent any. */
  cost: number;
  /** How many such runs. */
  runs: number;
}

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
};

/** The runs of a `gh aw logs --json` text; FileProblems naming the file and each bad field. */
export function parseLoggedRuns(text: string, name: string): LoggedRun[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new FileProblems([`${name}: is not JSON (${why}); it must be ${SHAPE}`]);
  }
  const runs = (data as { runs?: unknown } | null)?.runs;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Array.isArray(runs)) {
    const found = Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data;
    throw new FileProblems([
      `${name}: must be ${SHAPE}; found ${found === 'object' ? 'an object without a runs list' : found}`,
    ]);
  }
  const problems: string[] = [];
  const out: LoggedRun[] = [];
  runs.forEach((run: unknown, i) => {
    const at = `${name}: runs[${i}]`;
    if (typeof run !== 'object' || run === null || Array.isArray(run)) {
      problems.push(`${at} must be an object, got ${shown(run)}`);
      return;
    }
    const { workflow_path: path, aic } = run as Record<string, unknown>;
    if (path !== undefined && typeof path !== 'string') {
      problems.push(`${at}.workflow_path must be a string, got ${shown(path)}`);
    }
    if (aic !== undefined && (typeof aic !== 'number' || !Number.isFinite(aic) || aic < 0)) {
      problems.push(
        `${at}.aic must be a number of 0 or more (the AI credits the run spent), got ${shown(aic)}`,
      );
    }
    out.push({
      workflowPath: typeof path === 'string' ? path : '',
      aic: typeof aic === 'number' ? aic : undefined,
    });
  });
  if (problems.length > 0) {
    const more = problems.length - SHOWN_PROBLEMS;
    throw new FileProblems([
      ...problems.slice(0, SHOWN_PROBLEMS),
      ...(more > 0 ? [`${name}: and ${more} more problems like these`] : []),
    ]);
  }
  return out;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The file a run's workflow_path names, as the config would: `NAME.lock.yml` is compiled from
 * `NAME.md`, which the config manages; any other path names itself.
 */
const managedName = (path: string) => path.replace(/\.lock\.yml$/, '.md');

/**
 * Cost per run of each managed workflow the runs mention (config key -> cost). The median, not
 * the mean: one run that loops until its cap would otherwise set the pace for a month. Runs
 * without `aic` (skipped by a gate, failed before the agent, still running) spent nothing a
 * later run would, so they do not pull it down.
 */
export function costsPerRun(
  runs: readonly LoggedRun[],
  managed: readonly string[],
  workflowsDir: string,
): Map<string, RunCost> {
  const byPath = new Map(managed.map((file) => [posix.join(workflowsDir, file), file]));
  const spent = new Map<string, number[]>();
  for (const run of runs) {
    if (run.aic === undefined || run.aic <= 0) continue;
    const file = byPath.get(posix.normalize(managedName(run.workflowPath)));
    if (file === undefined) continue;
    const list = spent.get(file);
    if (list) list.push(run.aic);
    else spent.set(file, [run.aic]);
  }
  return new Map(
    [...spent].map(([file, credits]) => [file, { cost: median(credits), runs: credits.length }]),
  );
}

/**
 * Reads the `run-costs` file: inside the workspace, a regular file of at most
 * RUN_COSTS_MAX_BYTES. InputError for the path, FileProblems for what is in it.
 */
export function readRunCostsFile(workspace: string, value: string): LoggedRun[] {
  const at = resolveInWorkspace(workspace, 'run-costs', value);
  if ('problem' in at) throw new InputError([at.problem]);
  const kind = kindOf(at.absolute);
  if (kind !== 'file') {
    const found =
      kind === 'missing'
        ? 'does not exist'
        : `is ${kind === 'directory' ? 'a directory' : 'not a regular file'}`;
    throw new InputError([
      `'run-costs' ${at.path} ${found}; give the file that \`gh aw logs --json\` wrote, or leave the input empty`,
    ]);
  }
  // The size is checked on the open file, so a file that grows after a check cannot slip by.
  const fd = openSync(at.absolute, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > RUN_COSTS_MAX_BYTES) {
      throw new FileProblems([
        `${at.path}: is ${size} bytes, more than the ${RUN_COSTS_MAX_BYTES} a run-costs file may have; narrow \`gh aw logs\` with --start-date or --count`,
      ]);
    }
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return parseLoggedRuns(decodeText(bytes.subarray(0, read), at.path), at.path);
  } finally {
    closeSync(fd);
  }
}

/**
 * The config with each workflow's cost per run taken from the run-costs file where it has runs
 * of it; the config's `cost` (and anything learned from it) gives way. Says so in `notes`.
 */
export function withRunCosts(
  config: OrchestratorConfig,
  value: string,
  paths: { root: string; workflowsDir: string },
  notes: string[],
): OrchestratorConfig {
  const runs = readRunCostsFile(paths.root, value);
  const costs = costsPerRun(
    runs,
    config.workflows.map((m) => m.file),
    paths.workflowsDir,
  );
  const round = (x: number) => Math.round(x * 100) / 100;
  for (const m of config.workflows) {
    const found = costs.get(m.file);
    notes.push(
      found
        ? `${posix.join(paths.workflowsDir, m.file)}: cost per run ${round(found.cost)} AI credits, the median of its ${found.runs} run(s) in ${value} (the config said ${m.cost})`
        : `${posix.join(paths.workflowsDir, m.file)}: no run in ${value} spent AI credits, so its cost per run stays ${m.cost}`,
    );
  }
  return {
    ...config,
    workflows: config.workflows.map((m) => {
      const found = costs.get(m.file);
      return found ? { ...m, cost: found.cost, costGiven: true } : m;
    }),
  };
}
