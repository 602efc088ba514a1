/** The gate step's pipeline, free of @actions/*: inputs in, proceed or skip with a reason out. */
import { basename, join } from 'node:path';
import { planFor, variableNameProblem } from '../fleet/plan.js';
import { type BillingEntity, type InputGetter, inputReader, type Unit } from '../inputs.js';
import { budgetGate, type PacingInput } from '../pacing/decision.js';
import { decideGate, firingWindow, type GateAnswer } from '../pacing/gate.js';
import { decideFromPlan } from '../pacing/plan-gate.js';
import { resolvePathInputs } from '../paths.js';
import { cronsOf, FileProblems, type ManagedWorkflow, parseConfig } from '../schedule/config.js';
import { runsPerDay } from '../schedule/cron.js';
import { inWords } from '../schedule/fuzzy.js';
import { readSchedule } from '../schedule/workflow.js';
import { readTextFile } from '../text.js';
import { type HistoryRecord, parseHistory, trustedLatest } from '../usage/history.js';
import { DAY_MS, periodFor } from '../usage/period.js';
import { computeUsage, decideMode, type Tier } from '../usage/tracker.js';

export const GATE_DEFAULTS = Object.freeze({
  config: '.github/orchestrator.yml',
  'history-file': '.github/orchestrator-history.json',
  'workflows-dir': '.github/workflows',
  'reset-day': '1',
  unit: 'ai-credits',
  product: 'copilot',
  'billing-timeout': '60',
  'block-when-exhausted': 'false',
  'max-record-age': '3',
  'target-percent': '95',
  'plan-variable': 'DYNAMIC_ORCHESTRATOR_PLAN',
});

export interface GateInputs {
  workflow: string;
  config: string;
  historyFile: string;
  workflowsDir: string;
  now: Date;
  token: string;
  quota: number | undefined;
  resetDay: number;
  unit: Unit;
  product: string;
  billingEntity: BillingEntity | undefined;
  billingTimeout: number;
  blockWhenExhausted: boolean;
  /** A recorded mode older than this (days) is not trusted. */
  maxRecordAgeDays: number;
  /** With a token: the share of the quota aimed at before the reserve is released (percent). */
  targetPercent: number;
  /** A fleet plan (the plan variable's value, or toJSON(vars)); '' for none. */
  plan: string;
  /** The plan variable's name, to find it and its parts in toJSON(vars). */
  planVariable: string;
  /** `owner/repo` of the running workflow (GITHUB_REPOSITORY), lower-cased as plan keys are. */
  repository: string;
}

/** The gate's inputs; the workflow defaults to the running one (GITHUB_WORKFLOW_REF). */
export function parseGateInputs(
  get: InputGetter,
  env: NodeJS.ProcessEnv = process.env,
): GateInputs {
  const read = inputReader(get, GATE_DEFAULTS);
  const ref = env.GITHUB_WORKFLOW_REF ?? '';
  // owner/repo/.github/workflows/NAME@REF: the ref follows the last '@'; a name may hold one.
  const at = ref.lastIndexOf('@');
  const workflow = read.raw('workflow') || basename(at === -1 ? ref : ref.slice(0, at));
  // Control characters would let the name break a log line or an output apart.
  if (!/^[^/\\\p{Cc}]+\.(ya?ml|md)$/u.test(workflow)) {
    read.problems.push(
      `'workflow' must be the managed workflow's file name, such as agent-spawner.yml, or daily-triage.md for an agentic workflow (GITHUB_WORKFLOW_REF gave '${ref}')`,
    );
  }
  const billing = read.billing();
  const plan = get('plan')?.trim() ?? '';
  const planVariable = read.raw('plan-variable');
  const repository = (env.GITHUB_REPOSITORY ?? '').toLowerCase();
  if (plan !== '') {
    const problem = variableNameProblem(planVariable);
    if (problem) read.problems.push(`'plan-variable': ${problem}`);
    if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) {
      read.problems.push(
        "'plan' needs GITHUB_REPOSITORY (owner/repo), which the runner sets, to find this repository's entries",
      );
    }
  }
  const quota =
    billing.token || read.raw('quota') !== ''
      ? read.number('quota', 'a number greater than 0 (needed with a token)', (n) => n > 0)
      : undefined;
  const inputs: GateInputs = {
    workflow,
    config: read.raw('config'),
    historyFile: read.raw('history-file'),
    workflowsDir: read.raw('workflows-dir'),
    now: read.now(),
    ...billing,
    quota,
    resetDay: read.resetDay(),
    blockWhenExhausted: read.boolean('block-when-exhausted'),
    maxRecordAgeDays: read.number(
      'max-record-age',
      'a number of days greater than 0 (older recorded modes are not trusted)',
      (n) => n > 0,
    ),
    targetPercent: read.number(
      'target-percent',
      'a percentage from 1 to 100 (the share aimed at before the reserve is released)',
      (n) => n > 0 && n <= 100,
    ),
    plan,
    planVariable,
    repository,
  };
  read.done();
  return inputs;
}

export interface GateResult extends GateAnswer {
  /** The tier the decision used, or 'unknown'. */
  mode: string;
  warnings: string[];
}

/** A file's text, undefined when it cannot be read; FileProblems when it is not UTF-8. */
function readText(path: string, name = path): string | undefined {
  try {
    return readTextFile(path, name);
  } catch (error) {
    if (error instanceof FileProblems) throw error;
    return undefined;
  }
}

/** Decides whether this run of the workflow goes ahead. */
export async function runGate(
  inputs: GateInputs,
  context: { workspace: string; event: string; eventPath?: string; retryBaseMs?: number },
): Promise<GateResult> {
  const warnings: string[] = [];
  // The same path rules as the main action: inside the workspace, and of the right kind.
  const paths = resolvePathInputs(context.workspace, {
    config: inputs.config,
    historyFile: inputs.historyFile,
    workflowsDir: inputs.workflowsDir,
    backupDir: '',
  });
  const at = (path: string) => join(paths.root, path);
  if (inputs.plan) return planGate(inputs, context, at(join(paths.workflowsDir, inputs.workflow)));
  const configText = readText(at(paths.config), paths.config);
  const config = configText ? parseConfig(configText, paths.config) : undefined;
  // An agentic workflow runs as NAME.lock.yml (GITHUB_WORKFLOW_REF says so); the config and the
  // history know it by its source, NAME.md.
  const source = inputs.workflow.replace(/\.lock\.ya?ml$/, '.md');
  const managed =
    config?.workflows.find((w) => w.file === inputs.workflow) ??
    config?.workflows.find((w) => w.file === source);
  if (!managed) {
    const where = configText
      ? `is not in ${paths.config}`
      : `has no config (${paths.config} is missing)`;
    return {
      proceed: true,
      mode: 'unknown',
      reason: `${inputs.workflow} ${where}, so the run proceeds.`,
      warnings,
    };
  }

  let tier: Tier | undefined;
  let rate: number | undefined;
  let budget: GateAnswer | undefined;
  let exhausted = false;
  let unknownReason: string | undefined;
  // A history that is not UTF-8 is as untrusted as one that is not JSON: the run proceeds.
  let undecodable: string | undefined;
  let text: string | undefined;
  try {
    text = paths.historyFile ? readText(at(paths.historyFile), paths.historyFile) : undefined;
  } catch (error) {
    if (!(error instanceof FileProblems)) throw error;
    undecodable = error.problems.join('; ');
  }
  const parsed: ReturnType<typeof parseHistory> | undefined = undecodable
    ? { problem: `not readable (${undecodable})` }
    : text === undefined
      ? undefined
      : parseHistory(text);
  const where = paths.historyFile || '(history off)';
  const period = periodFor(inputs.now, inputs.resetDay);

  const key = managed.file;
  // The firing that started this run, and the one before it, from the crons it runs on: an
  // agentic workflow's are in its lock file, where gh-aw's compiler wrote them.
  const path = join(paths.workflowsDir, key.replace(/\.md$/, '.lock.yml'));
  const workflowText = readText(at(path), path);
  let entries: { cron: string; timezone?: string }[] = [];
  try {
    entries = workflowText ? readSchedule(workflowText, path) : [];
  } catch {}
  let firingCron: string | undefined;
  if (context.event === 'schedule' && context.eventPath) {
    const payload = JSON.parse(readText(context.eventPath) ?? '{}') as { schedule?: unknown };
    if (typeof payload.schedule === 'string') firingCron = payload.schedule;
  }
  // The firing entry's time zone, from the workflow file itself.
  const timezone = entries.find((e) => e.cron === firingCron?.trim())?.timezone;
  const fileCrons = entries.map((e) => e.cron);

  if (inputs.token && inputs.quota !== undefined) {
    const { readBillingUsage } = await import('../github/billing.js');
    const billing = await readBillingUsage({
      token: inputs.token,
      entity: inputs.billingEntity,
      unit: inputs.unit,
      product: inputs.product,
      period,
      now: inputs.now,
      budgetSeconds: inputs.billingTimeout,
      retryBaseMs: context.retryBaseMs,
    });
    const usage = computeUsage({
      quota: inputs.quota,
      used: billing.used,
      resetDay: inputs.resetDay,
      now: inputs.now,
    });
    exhausted = usage.alert === 'critical';
    const window =
      context.event === 'schedule' && fileCrons.length > 0
        ? firingWindow(fileCrons, inputs.now, timezone)
        : undefined;
    if (window) {
      // The budget gate: live usage, with the history (when readable) for the forecast.
      const records = parsed && 'records' in parsed ? parsed.records : [];
      const answer = budgetGate(
        gateInput(inputs, usage.used, period, records, config?.workflows ?? [managed]),
        key,
        { previous: window.previous, now: window.current },
      );
      budget = { proceed: answer.proceed, reason: answer.reason };
      rate = answer.rate;
    } else {
      tier = decideMode('auto', usage).mode;
    }
  } else {
    if (parsed && 'problem' in parsed) {
      warnings.push(
        `History file ${where} is ${parsed.problem}; it is not trusted, so the run proceeds`,
      );
      unknownReason = `The history file ${where} is corrupt`;
    } else {
      const latest = trustedLatest(
        parsed?.records ?? [],
        inputs.now,
        inputs.resetDay,
        inputs.maxRecordAgeDays * DAY_MS,
      );
      warnings.push(...latest.notes.map((n) => `History file ${where}: ${n}`));
      if ('record' in latest) {
        const last = latest.record;
        tier = last.tiers?.[key] ?? (last.mode === 'pace' ? undefined : last.mode);
        // A paused workflow stays paused; otherwise pace's recorded rate decides.
        if (tier !== 'paused') rate = last.rates?.[key];
        exhausted = last.alert === 'critical';
      } else if (latest.problem === 'no recorded mode') {
        warnings.push(
          `No recorded mode in ${where} and no token: the gate lets every run proceed until the orchestrator records one`,
        );
      } else {
        warnings.push(`History file ${where}: ${latest.problem}; the run proceeds`);
        unknownReason = `The recorded mode is not trusted: ${latest.problem}`;
      }
    }
  }

  // gh-aw scatters a schedule in words when it compiles, so which of the file's firings a tier in
  // words makes is not known here, but how many a day is: that share of them goes through.
  const tierSchedule = tier && tier !== 'paused' ? cronsOf(managed, tier) : undefined;
  const tierRate =
    rate === undefined && !budget && tierSchedule && inWords(tierSchedule)
      ? runsPerDay(tierSchedule)
      : undefined;
  if (tierRate !== undefined) rate = tierRate;
  const answer = decideGate({
    event: context.event,
    now: inputs.now,
    blockExhausted: exhausted && inputs.blockWhenExhausted,
    ...(firingCron !== undefined ? { firingCron } : {}),
    ...(tier ? { tierCrons: cronsOf(managed, tier), tierName: tier } : {}),
    ...(budget ? { budget } : {}),
    ...(!budget && rate !== undefined && fileCrons.length > 0
      ? {
          rate: {
            runsPerDay: rate,
            crons: fileCrons,
            periodStart: period.start,
            ...(tierRate !== undefined
              ? { source: `The recorded tier ${tier} (${tierSchedule?.join(', ')})` }
              : {}),
          },
        }
      : {}),
    ...(unknownReason ? { unknownReason } : {}),
    ...(timezone ? { timezone } : {}),
  });
  const mode = budget
    ? `budget (${Math.round((rate ?? 0) * 100) / 100} runs a day)`
    : rate !== undefined && tierRate === undefined
      ? `pace (${Math.round(rate * 100) / 100} runs a day)`
      : (tier ?? 'unknown');
  return { ...answer, mode, warnings };
}

/** The gate from a fleet plan: no config, history or token; the workflow file only when checked out. */
function planGate(
  inputs: GateInputs,
  context: { event: string; eventPath?: string },
  workflowPath: string,
): GateResult {
  const found = planFor(inputs.plan, inputs.repository, inputs.planVariable);
  // An agentic workflow runs as NAME.lock.yml; the plan knows it by its source, NAME.md.
  const key = `${inputs.repository}/${inputs.workflow.replace(/\.lock\.ya?ml$/, '.md')}`;
  if (context.event !== 'schedule') {
    return { ...decideGate({ event: context.event, now: inputs.now }), mode: 'plan', warnings: [] };
  }
  if ('note' in found) {
    const warning = `The fleet plan: ${found.note}`;
    return {
      proceed: true,
      mode: 'unknown',
      reason: `${warning}, so the run proceeds.`,
      warnings: [warning],
    };
  }
  let entries: { cron: string; timezone?: string }[] = [];
  try {
    const text = readText(workflowPath);
    entries = text ? readSchedule(text, inputs.workflow) : [];
  } catch {}
  let firing: string | undefined;
  if (context.eventPath) {
    try {
      const payload = JSON.parse(readText(context.eventPath) ?? '{}') as { schedule?: unknown };
      if (typeof payload.schedule === 'string') firing = payload.schedule.trim();
    } catch {}
  }
  // Without a checkout, the cron that fired stands for the schedule (exact with one cron).
  const crons = entries.length > 0 ? entries.map((e) => e.cron) : firing ? [firing] : [];
  const timezone = entries.find((e) => e.cron === firing)?.timezone ?? entries[0]?.timezone;
  const answer = decideFromPlan({
    plan: found.plan,
    key,
    now: inputs.now,
    maxAgeMs: inputs.maxRecordAgeDays * DAY_MS,
    crons,
    ...(timezone ? { timezone } : {}),
  });
  return {
    proceed: answer.proceed,
    reason: answer.reason,
    mode:
      answer.rate !== undefined
        ? `plan (${Math.round(answer.rate * 100) / 100} runs a day)`
        : 'unknown',
    warnings: answer.warning ? [answer.warning] : [],
  };
}

/** The budget gate's view of the managed workflows: each at any rate up to its fastest tier. */
function gateInput(
  inputs: GateInputs,
  used: number,
  period: { start: Date; end: Date },
  records: readonly HistoryRecord[],
  managed: readonly ManagedWorkflow[],
): PacingInput {
  const last = records.at(-1);
  return {
    quota: inputs.quota as number,
    figure: used,
    now: inputs.now.getTime(),
    periodStart: period.start.getTime(),
    periodEnd: period.end.getTime(),
    targetPercent: inputs.targetPercent,
    observations: records.map((r) => ({
      time: Date.parse(r.time),
      used: r.used,
      ...(r.rates ? { rates: { ...r.rates } } : {}),
      ...(r.managedPerDay !== undefined ? { managedPerDay: r.managedPerDay } : {}),
    })),
    workflows: managed.map((m) => {
      const slowest = runsPerDay(cronsOf(m, 'conservative'));
      return {
        name: m.file,
        cost: m.cost,
        priority: m.priority,
        minRate: slowest,
        maxRate: runsPerDay(cronsOf(m, 'aggressive')),
        rate: last?.rates?.[m.file] ?? runsPerDay(cronsOf(m, 'normal')),
      };
    }),
  };
}
