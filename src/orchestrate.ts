/** The pipeline, free of @actions/*: options in, figures, mode and file changes out. */
import { join, posix } from 'node:path';
import {
  decidedCrons,
  fallBackIfWrong,
  paceDecision,
  pauseWhereSpent,
  usageProblem,
} from './decide.js';
import { writeChanges } from './files.js';
import type { Inputs } from './inputs.js';
import { withRunCosts } from './pacing/run-costs.js';
import { kindOf, resolvePathInputs } from './paths.js';
import { type FileChange, unifiedDiff } from './report/diff.js';
import {
  FileProblems,
  type ManagedWorkflow,
  type OrchestratorConfig,
  parseConfig,
} from './schedule/config.js';
import { runsPerDay } from './schedule/cron.js';
import { collect } from './schedule/current.js';
import { formatFor, type ScheduleFormat } from './schedule/format.js';
import type { ScheduleEntry } from './schedule/rewriter.js';
import { readTextFile } from './text.js';
import {
  type HistoryRecord,
  parseHistory,
  recordOf,
  recordRun,
  renderHistory,
  splitFuture,
  trendBurnRate,
} from './usage/history.js';
import { periodFor } from './usage/period.js';
import { computeUsage, type Decision, decideMode, type Tier, type Usage } from './usage/tracker.js';

export interface OrchestrateOptions extends Inputs {
  /** Directory that relative paths (config, workflows, history) are resolved against. */
  workspace: string;
  /** First retry delay of the billing API client, in ms (tests shorten it). */
  retryBaseMs?: number;
  /**
   * Checks the diff before anything is written or reported, and throws when it is unfit (the
   * action's front door runs `git apply --check` here). Given by the caller, so that the pipeline
   * starts no program itself.
   */
  checkDiff?: (diff: string, changes: readonly FileChange[]) => Promise<void>;
  /**
   * Called with every managed workflow's decided rate after every check and before any file is
   * written, unless in a dry run (the action writes the repository plan variable here), so a
   * failed write leaves the files as they were.
   */
  beforeWrite?: (planned: readonly PlannedRate[], decision: Decision) => Promise<void>;
}

/** A managed workflow's decided runs a day, as its gate follows it. */
export interface PlannedRate {
  file: string;
  tier: Tier;
  perDay: number;
}

/** What happens to one managed workflow. */
export interface WorkflowChange {
  /** Path relative to the workspace. */
  path: string;
  before: ScheduleEntry[];
  after: ScheduleEntry[];
  changed: boolean;
  /** The tier it is set to. */
  tier: Tier;
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
  /** Path of the history file relative to the workspace; '' when history is off. */
  historyPath: string;
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
  /** Each managed workflow's decided runs a day. */
  planned: PlannedRate[];
}

/** Runs the whole pipeline for one moment; validates every file before writing any. */
export async function orchestrate(options: OrchestrateOptions): Promise<OrchestrateResult> {
  const notes: string[] = [];
  const warnings: string[] = [];
  // Every path is checked, and made relative to the real workspace, before anything is read.
  const paths = resolvePathInputs(options.workspace, options);
  const inRoot = (path: string) => join(paths.root, path);

  const history = paths.historyFile
    ? loadHistory(paths.historyFile, paths.root, options)
    : undefined;
  if (history?.warning) warnings.push(history.warning);
  const { used, source } = await usedSoFar(options, warnings);
  const usage = computeUsage({ ...options, used });

  const configPath = paths.config;
  const configText = paths.configFound ? readTextFile(inRoot(configPath), configPath) : undefined;
  let config: OrchestratorConfig = { workflows: [] };
  if (configText === undefined) {
    warnings.push(
      `No config at ${configPath}: no workflow is managed, so usage is tracked and reported only`,
    );
  } else {
    config = parseConfig(configText, configPath);
    if (config.workflows.length === 0) warnings.push(`${configPath} manages no workflow`);
  }
  if (options.runCosts) config = withRunCosts(config, options.runCosts, paths, notes);
  const pathOf = (managed: ManagedWorkflow) => posix.join(paths.workflowsDir, managed.file);
  // The kind of each file (workflow .yml or agentic .md) is picked here, once.
  const formats = new Map(config.workflows.map((m) => [m.file, formatFor(m.file)]));
  const formatOf = (managed: ManagedWorkflow) => formats.get(managed.file) as ScheduleFormat;
  const problems: string[] = [];
  // Each managed file is read once: the pace decision and the rewrite both use the text.
  const texts = new Map<string, string | undefined>();
  for (const m of config.workflows) {
    const path = pathOf(m);
    const at = `${configPath}:${m.line}: workflows.${m.file}:`;
    const kind = kindOf(inRoot(path));
    if (kind === 'file') texts.set(m.file, readTextFile(inRoot(path), path));
    else if (kind === 'missing') {
      problems.push(`${at} there is no ${path}; fix the name or the workflows-dir input`);
    } else if (kind === 'link') {
      problems.push(
        `${at} ${path} is a symbolic link; the orchestrator rewrites only regular files, since the rename that replaces a file would turn the link into a copy: manage the file it points to, or put that file in place of the link`,
      );
    } else {
      const found = kind === 'directory' ? 'a directory' : 'not a regular file';
      problems.push(`${at} ${path} is ${found}; a managed workflow must be a file`);
    }
  }
  // With pace the decision reads the current schedules, so they are checked before it.
  if (options.mode === 'pace') {
    for (const m of config.workflows) {
      const text = texts.get(m.file);
      if (text === undefined) continue;
      const found = collect(() => formatOf(m).check(text, pathOf(m)));
      if (found.length > 0) {
        problems.push(...found);
        texts.delete(m.file);
      }
    }
  }

  // A record dated after now stays in the file but never counts as the latest.
  const { past: records, future } = splitFuture(history?.before ?? [], options.now);
  if (future.length > 0) {
    warnings.push(
      `History file ${history?.path}: ${future.length} record(s) are dated after now (${future.map((r) => r.time).join(', ')}); they are kept but ignored`,
    );
  }
  const problem = usageProblem(usage, records, options.now);
  if (problem) warnings.push(`Usage looks wrong: ${problem}.`);
  const decided =
    options.mode === 'pace'
      ? paceDecision(options, usage, config.workflows, records, problem, (m) => {
          const text = texts.get(m.file);
          return text === undefined ? [] : formatOf(m).read(text, pathOf(m));
        })
      : fallBackIfWrong(decideMode(options.mode, usage), options, records, problem, warnings);
  const decision = problem
    ? decided
    : pauseWhereSpent(decided, options.mode, usage, config.workflows);
  const tierOf = (managed: ManagedWorkflow): Tier =>
    decision.tiers?.[managed.file] ?? (decision.mode === 'pace' ? 'normal' : decision.mode);

  const workflows: WorkflowChange[] = [];
  const changes: FileChange[] = [];
  // Every managed file is validated before anything is written.
  for (const managed of config.workflows) {
    const path = pathOf(managed);
    const text = texts.get(managed.file);
    if (options.apply === 'rewrite' && managed.schedules.paused?.length === 0) {
      problems.push(
        `${configPath}:${managed.line}: workflows.${managed.file}.paused is empty, which only the gate step can apply (apply: record); GitHub refuses a workflow whose schedule is empty, so with apply: rewrite give it at least one cron, such as '0 9 1 * *'`,
      );
      continue;
    }
    if (text === undefined) continue;
    try {
      if (options.apply === 'record') {
        // The workflow keeps its schedule; its gate step reads the recorded tier.
        const entries = formatOf(managed).check(text, path);
        workflows.push({
          path,
          before: entries,
          after: entries,
          changed: false,
          tier: tierOf(managed),
        });
        continue;
      }
      const crons = decidedCrons(decision, managed, tierOf(managed));
      const result = formatOf(managed).rewrite(text, crons, path);
      notes.push(...result.notes);
      warnings.push(...result.warnings);
      workflows.push({
        path,
        before: result.before,
        after: result.after,
        changed: result.changed,
        tier: tierOf(managed),
      });
      if (result.changed) changes.push({ path, before: text, after: result.text });
    } catch (error) {
      if (!(error instanceof FileProblems)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new FileProblems(problems);

  // Behind the gate a paced workflow runs at its recorded rate, which no cron spells.
  const perDay = (m: ManagedWorkflow) =>
    options.apply === 'record' && decision.rates?.[m.file] !== undefined && tierOf(m) !== 'paused'
      ? (decision.rates[m.file] as number)
      : runsPerDay(decidedCrons(decision, m, tierOf(m)));
  const planned = config.workflows.map((m) => ({
    file: m.file,
    tier: tierOf(m),
    perDay: perDay(m),
  }));
  let recorded: HistoryRecord[] = [];
  if (history?.readable) {
    const tiers = Object.fromEntries(config.workflows.map((m) => [m.file, tierOf(m)]));
    const managedPerDay = config.workflows.reduce((sum, m) => sum + perDay(m) * m.cost, 0);
    const rates = decision.rates
      ? Object.fromEntries(config.workflows.map((m) => [m.file, perDay(m)]))
      : undefined;
    const record = recordOf(usage, decision.mode, options.now, {
      tiers,
      managedPerDay,
      ...(rates ? { rates } : {}),
    });
    recorded = recordRun(history.before, record);
    const after = renderHistory(recorded);
    changes.push(...history.copies);
    if (after !== history.text) {
      changes.push({
        path: history.path,
        before: history.text,
        after,
        // Two runs at once: this run's record joins the one the other run wrote.
        merge: (current) => {
          const parsed = parseHistory(current);
          if ('problem' in parsed) throw new Error(parsed.problem);
          return renderHistory(recordRun(parsed.records, record));
        },
      });
    }
  }

  const diff = unifiedDiff(changes);
  await options.checkDiff?.(diff, changes);
  if (!options.dryRun) await options.beforeWrite?.(planned, decision);
  const written = !options.dryRun && changes.length > 0;
  if (written) warnings.push(...(await writeChanges(changes, paths, options.backupKeep)));
  return {
    usage,
    decision,
    source,
    trend: trendBurnRate(records, usage, options.now),
    history: recorded,
    config: { path: configPath, found: configText !== undefined },
    historyPath: paths.historyFile,
    workflows,
    changes,
    diff,
    notes,
    warnings,
    written,
    planned,
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
function loadHistory(path: string, root: string, options: OrchestrateOptions): LoadedHistory {
  let text: string | undefined;
  try {
    text = readTextFile(join(root, path), path);
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
      budgetSeconds: options.billingTimeout,
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
