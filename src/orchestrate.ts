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
import { computeUsage, type Decision, decideMode, type Usage } from './usage/tracker.js';

export interface OrchestrateOptions extends Inputs {
  /** Directory that relative paths (config, workflows, history) are resolved against. */
  workspace: string;
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
  const usage = computeUsage(options);
  const decision = decideMode(options.mode, usage);
  const notes: string[] = [];
  const warnings: string[] = [];
  const rel = (path: string) => toPosix(relative(options.workspace, join(options.workspace, path)));

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

  const history = options.historyFile
    ? planHistory(rel(options.historyFile), options, usage, decision)
    : { records: [], before: [], changes: [], warnings: [] };
  warnings.push(...history.warnings);
  changes.push(...history.changes);

  const diff = unifiedDiff(changes);
  const written = !options.dryRun && changes.length > 0;
  if (written) await writeChanges(changes, options);
  return {
    usage,
    decision,
    trend: trendBurnRate(history.before, usage, options.now),
    history: history.records,
    config: { path: configPath, found: configText !== undefined },
    workflows,
    changes,
    diff,
    notes,
    warnings,
    written,
  };
}

interface HistoryPlan {
  /** Records before this run, for the trend. */
  before: HistoryRecord[];
  /** Records with this run's. */
  records: HistoryRecord[];
  changes: FileChange[];
  warnings: string[];
}

/**
 * This run's record added to the history file. A file that cannot be read is left alone; one
 * that is not a history gets a copy beside it before a new history starts.
 */
function planHistory(
  path: string,
  options: OrchestrateOptions,
  usage: Usage,
  decision: Decision,
): HistoryPlan {
  let text: string | undefined;
  try {
    text = readTextSync(join(options.workspace, path));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      before: [],
      records: [],
      changes: [],
      warnings: [`History file ${path} cannot be read (${why}); this run is not recorded`],
    };
  }
  const changes: FileChange[] = [];
  const warnings: string[] = [];
  let before: HistoryRecord[] = [];
  if (text !== undefined) {
    const parsed = parseHistory(text);
    if ('problem' in parsed) {
      const stamp = options.now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
      const copy = `${path}.corrupt-${stamp}`;
      warnings.push(
        `History file ${path} is ${parsed.problem}; it is kept as ${copy} and a new history starts`,
      );
      changes.push({ path: copy, before: undefined, after: text });
    } else {
      before = parsed.records;
    }
  }
  const records = recordRun(before, recordOf(usage, decision.mode, options.now));
  const after = renderHistory(records);
  if (after !== text) changes.push({ path, before: text, after });
  return { before, records, changes, warnings };
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
