/** The pipeline, free of @actions/*: options in, figures, mode and file changes out. */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { backUp, writeAtomic } from './files.js';
import type { Inputs } from './inputs.js';
import { type FileChange, unifiedDiff } from './report/diff.js';
import { FileProblems, type OrchestratorConfig, parseConfig } from './schedule/config.js';
import { rewriteSchedule, type ScheduleEntry } from './schedule/rewriter.js';
import {
  type HistoryRecord,
  parseHistory,
  recordOf,
  recordRun,
  renderHistory,
  trendBurnRate,
} from './usage/history.js';
import { DAY_MS, periodFor } from './usage/period.js';
import { computeUsage, type Decision, decideMode, type Usage } from './usage/tracker.js';

export interface OrchestrateOptions extends Inputs {
  /** Directory that relative paths (config, workflows, history) are resolved against. */
  workspace: string;
  /** First retry delay of the billing API client, in ms (tests shorten it). */
  retryBaseMs?: number;
}

/** What happens to one managed workflow. */
export interface WorkflowChange {
  /** Path relative to the workspace. */
  path: string;
  before: ScheduleEntry[];
  after: ScheduleEntry[];
  changed: boolean;
}

export interface OrchestrateResult {
  usage: Usage;
  decision: Decision;
  /** Where `used` came from: the billing API (and whose), or the `used` input. */
  source: string;
  /** Usage per day over the last 7 days, when the history reaches back a day. */
  trend: number | undefined;
  /** The history including this run's record (empty when history is off). */
  history: HistoryRecord[];
  /** Path of the config relative to the workspace, and whether it exists. */
  config: { path: string; found: boolean };
  workflows: WorkflowChange[];
  /** Every file the run changes (or would change, in dry run): workflows, then history. */
  changes: FileChange[];
  diff: string;
  /** Lines for the log. */
  notes: string[];
  /** Lines that need a person's attention. */
  warnings: string[];
  /** Whether files were written (false in dry run or when nothing changed). */
  written: boolean;
}

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * A file's text, or undefined when it does not exist. Synchronous: hundreds of small files
 * read one after another cost less than as many promises.
 */
function readTextSync(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Runs the whole pipeline for one moment; validates every file before writing any. */
export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrateResult> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const rel = (path: string) => toPosix(relative(options.workspace, join(options.workspace, path)));

  const history = options.historyFile ? loadHistory(rel(options.historyFile), options) : undefined;
  if (history?.warning) warnings.push(history.warning);
  const { used, source } = await usedSoFar(options, warnings);
  const usage = computeUsage({ ...options, used });
  const decision = checkedDecision(options, usage, history?.before ?? [], warnings);

  const configPath = rel(options.config);
  const configText = readTextSync(join(options.workspace, configPath));
  let config: OrchestratorConfig = { workflows: [] };
  if (configText === undefined) {
    warnings.push(
      `No config at ${configPath}: no workflow is managed, so usage is tracked and reported only`,
    );
  } else {
    config = parseConfig(configText, configPath);
    if (config.workflows.length === 0) warnings.push(`${configPath} manages no workflow`);
  }

  const problems: string[] = [];
  const workflows: WorkflowChange[] = [];
  const changes: FileChange[] = [];
  // Every managed file is validated before anything is written.
  for (const managed of config.workflows) {
    const path = rel(join(options.workflowsDir, managed.file));
    const text = readTextSync(join(options.workspace, path));
    if (text === undefined) {
      problems.push(
        `${configPath}:${managed.line}: workflows.${managed.file}: there is no ${path}; fix the name or the workflows-dir input`,
      );
      continue;
    }
    try {
      const result = rewriteSchedule(text, managed.schedules[decision.mode], path);
      notes.push(...result.notes);
      warnings.push(...result.warnings);
      workflows.push({ path, before: result.before, after: result.after, changed: result.changed });
      if (result.changed) changes.push({ path, before: text, after: result.text });
    } catch (error) {
      if (!(error instanceof FileProblems)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new FileProblems(problems);

  let records: HistoryRecord[] = [];
  if (history?.readable) {
    records = recordRun(history.before, recordOf(usage, decision.mode, options.now));
    const after = renderHistory(records);
    changes.push(...history.copies);
    if (after !== history.text) changes.push({ path: history.path, before: history.text, after });
  }

  const diff = unifiedDiff(changes);
  const written = !options.dryRun && changes.length > 0;
  if (written) await writeChanges(changes, options);
  return {
    usage,
    decision,
    source,
    trend: trendBurnRate(history?.before ?? [], usage, options.now),
    history: records,
    config: { path: configPath, found: configText !== undefined },
    workflows,
    changes,
    diff,
    notes,
    warnings,
    written,
  };
}

interface LoadedHistory {
  path: string;
  /** False when the file exists but cannot be read: then it is left alone. */
  readable: boolean;
  text: string | undefined;
  /** Records before this run. */
  before: HistoryRecord[];
  /** A copy of a corrupt file, kept before a new history replaces it. */
  copies: FileChange[];
  warning?: string;
}

/** The history as it is; a file that is not a history is copied aside, one that cannot be read is left alone. */
function loadHistory(path: string, options: OrchestrateOptions): LoadedHistory {
  let text: string | undefined;
  try {
    text = readTextSync(join(options.workspace, path));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      path,
      readable: false,
      text: undefined,
      before: [],
      copies: [],
      warning: `History file ${path} cannot be read (${why}); this run is not recorded`,
    };
  }
  if (text === undefined) return { path, readable: true, text, before: [], copies: [] };
  const parsed = parseHistory(text);
  if (!('problem' in parsed))
    return { path, readable: true, text, before: parsed.records, copies: [] };
  const stamp = options.now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const copy = `${path}.corrupt-${stamp}`;
  return {
    path,
    readable: true,
    text,
    before: [],
    copies: [{ path: copy, before: undefined, after: text }],
    warning: `History file ${path} is ${parsed.problem}; it is kept as ${copy} and a new history starts`,
  };
}

/** Used so far: from the billing API when a token is given (the input is its fallback), else the input. */
async function usedSoFar(
  options: OrchestrateOptions,
  warnings: string[],
): Promise<{ used: number; source: string }> {
  if (!options.token) return { used: options.used ?? 0, source: 'the used input' };
  // The API client loads only now: runs without a token never pay for its start.
  const { readBillingUsage } = await import('./github/billing.js');
  try {
    const billing = await readBillingUsage({
      token: options.token,
      entity: options.billingEntity,
      unit: options.unit,
      product: options.product,
      period: periodFor(options.now, options.resetDay),
      now: options.now,
      retryBaseMs: options.retryBaseMs,
    });
    return { used: billing.used, source: `the billing API (${billing.entity}, ${options.unit})` };
  } catch (error) {
    if (options.used === undefined) throw error;
    const why = error instanceof Error ? error.message : String(error);
    warnings.push(`${why} Using the used input (${options.used}) instead.`);
    return { used: options.used, source: 'the used input (the billing API could not be read)' };
  }
}

/**
 * The mode, unless the usage contradicts the history (billing data has had such faults): usage
 * that drops within a period, or grows by more than the whole quota a day. Then the last
 * recorded mode stays, with a warning.
 */
function checkedDecision(
  options: OrchestrateOptions,
  usage: Usage,
  records: readonly HistoryRecord[],
  warnings: string[],
): Decision {
  const decision = decideMode(options.mode, usage);
  const now = options.now.getTime();
  const last = [...records]
    .reverse()
    .find((r) => Date.parse(r.time) >= usage.period.start.getTime() && Date.parse(r.time) < now);
  if (!last) return decision;
  const days = Math.max(1, (now - Date.parse(last.time)) / DAY_MS);
  let problem: string | undefined;
  if (usage.used < last.used) {
    problem = `usage dropped from ${last.used} (${last.time}) to ${usage.used} within the period`;
  } else if (usage.used - last.used > usage.quota * days) {
    problem = `usage grew from ${last.used} (${last.time}) to ${usage.used}, more than the whole quota a day`;
  }
  if (!problem) return decision;
  if (options.mode !== 'auto') {
    warnings.push(`Usage looks wrong: ${problem}.`);
    return decision;
  }
  warnings.push(`Usage looks wrong: ${problem}. Keeping the last recorded mode, ${last.mode}.`);
  return {
    mode: last.mode,
    reason: `usage looks wrong (${problem}), so the last recorded mode stays`,
  };
}

/** Backs up (when asked), then replaces each file atomically. */
async function writeChanges(changes: FileChange[], options: OrchestrateOptions): Promise<void> {
  if (options.backupDir) {
    for (const change of changes) {
      if (change.before === undefined) continue;
      await backUp(
        join(options.workspace, change.path),
        change.path,
        join(options.workspace, options.backupDir),
      );
    }
  }
  for (const change of changes)
    await writeAtomic(join(options.workspace, change.path), change.after);
}
