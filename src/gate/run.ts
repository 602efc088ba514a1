/** The gate step's pipeline, free of @actions/*: inputs in, proceed or skip with a reason out. */
import { basename, join } from 'node:path';
import { type BillingEntity, type InputGetter, inputReader, type Unit } from '../inputs.js';
import { FileProblems, parseConfig } from '../schedule/config.js';
import { readSchedule } from '../schedule/workflow.js';
import { readTextFile } from '../text.js';
import { parseHistory } from '../usage/history.js';
import { periodFor } from '../usage/period.js';
import { computeUsage, decideMode, type Mode } from '../usage/tracker.js';
import { decideGate, type GateAnswer } from './decide.js';

export const GATE_DEFAULTS = Object.freeze({
  config: '.github/orchestrator.yml',
  'history-file': '.github/orchestrator-history.json',
  'workflows-dir': '.github/workflows',
  'reset-day': '1',
  unit: 'ai-credits',
  product: 'copilot',
  'block-when-exhausted': 'false',
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
  blockWhenExhausted: boolean;
}

/** The gate's inputs; the workflow defaults to the running one (GITHUB_WORKFLOW_REF). */
export function parseGateInputs(
  get: InputGetter,
  env: NodeJS.ProcessEnv = process.env,
): GateInputs {
  const read = inputReader(get, GATE_DEFAULTS);
  const ref = env.GITHUB_WORKFLOW_REF ?? '';
  const workflow = read.raw('workflow') || basename(ref.split('@')[0] ?? '');
  if (!/^[^/\\]+\.ya?ml$/.test(workflow)) {
    read.problems.push(
      `'workflow' must be the managed workflow's file name, such as agent-spawner.yml (GITHUB_WORKFLOW_REF gave '${ref}')`,
    );
  }
  const billing = read.billing();
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
  const at = (path: string) => join(context.workspace, path);
  const configText = readText(at(inputs.config), inputs.config);
  const managed = configText
    ? parseConfig(configText, inputs.config).workflows.find((w) => w.file === inputs.workflow)
    : undefined;
  if (!managed) {
    const where = configText
      ? `is not in ${inputs.config}`
      : `has no config (${inputs.config} is missing)`;
    return {
      proceed: true,
      mode: 'unknown',
      reason: `${inputs.workflow} ${where}, so the run proceeds.`,
      warnings,
    };
  }

  let tier: Mode | undefined;
  let exhausted = false;
  if (inputs.token && inputs.quota !== undefined) {
    const { readBillingUsage } = await import('../github/billing.js');
    const billing = await readBillingUsage({
      token: inputs.token,
      entity: inputs.billingEntity,
      unit: inputs.unit,
      product: inputs.product,
      period: periodFor(inputs.now, inputs.resetDay),
      now: inputs.now,
      retryBaseMs: context.retryBaseMs,
    });
    const usage = computeUsage({
      quota: inputs.quota,
      used: billing.used,
      resetDay: inputs.resetDay,
      now: inputs.now,
    });
    tier = decideMode('auto', usage).mode;
    exhausted = usage.alert === 'critical';
  } else {
    const text = inputs.historyFile
      ? readText(at(inputs.historyFile), inputs.historyFile)
      : undefined;
    const parsed = text === undefined ? undefined : parseHistory(text);
    if (parsed && 'problem' in parsed)
      warnings.push(`History file ${inputs.historyFile} is ${parsed.problem}`);
    const last = parsed && 'records' in parsed ? parsed.records.at(-1) : undefined;
    if (last) {
      tier = last.tiers?.[inputs.workflow] ?? (last.mode === 'pace' ? undefined : last.mode);
      exhausted = last.alert === 'critical';
    } else {
      warnings.push(
        `No recorded mode in ${inputs.historyFile || '(history off)'} and no token: the gate lets every run proceed until the orchestrator records one`,
      );
    }
  }

  let firingCron: string | undefined;
  if (context.event === 'schedule' && context.eventPath) {
    const payload = JSON.parse(readText(context.eventPath) ?? '{}') as { schedule?: unknown };
    if (typeof payload.schedule === 'string') firingCron = payload.schedule;
  }
  // The firing entry's time zone, from the workflow file itself.
  const path = join(inputs.workflowsDir, inputs.workflow);
  const workflowText = readText(at(path), path);
  let timezone: string | undefined;
  try {
    timezone = workflowText
      ? readSchedule(workflowText, path).find((e) => e.cron === firingCron?.trim())?.timezone
      : undefined;
  } catch {}

  const answer = decideGate({
    event: context.event,
    now: inputs.now,
    blockExhausted: exhausted && inputs.blockWhenExhausted,
    ...(firingCron !== undefined ? { firingCron } : {}),
    ...(tier ? { tierCrons: managed.schedules[tier], tierName: tier } : {}),
    ...(timezone ? { timezone } : {}),
  });
  return { ...answer, mode: tier ?? 'unknown', warnings };
}
