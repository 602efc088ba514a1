/**
 * One repository's plan in a repository Actions variable, the alternative to committing the
 * history to a protected default branch: with `repository-variable: true` and `apply: record`,
 * the run also writes its decision as a plan (src/fleet/plan.ts's format, keyed
 * `owner/repo/workflow` with this repository) to the repository variable `plan-variable`, so the
 * gated workflows read `vars.NAME` with no token, no checkout and no history.
 */
import { buildPlan, DEFAULT_PLAN_VARIABLE, splitPlan, variableNameProblem } from './fleet/plan.js';
import { createApi, type GitHubApi } from './github/api.js';
import { writeRepoVariable } from './github/variables.js';
import { InputError, type InputGetter, type Inputs } from './inputs.js';
import type { OrchestrateResult, PlannedRate } from './orchestrate.js';
import { periodFor } from './usage/period.js';
import type { Decision } from './usage/tracker.js';

/** Where the plan goes: this repository's variable `name`. */
export interface RepositoryPlanTarget {
  name: string;
  /** `owner/name`, from GITHUB_REPOSITORY. */
  repo: string;
}

/** Requests one write may take: a PATCH, a POST on the first day, and their retries. */
const MAX_REQUESTS = 10;
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE', ''];

/**
 * The target when `repository-variable` is true, else undefined; InputError naming every input
 * that does not fit with it (the other inputs are parsed already).
 */
export function parseRepositoryPlan(
  get: InputGetter,
  inputs: Pick<Inputs, 'apply' | 'token' | 'dryRun'>,
  repository = process.env.GITHUB_REPOSITORY ?? '',
): RepositoryPlanTarget | undefined {
  const text = get('repository-variable')?.trim() ?? '';
  if (FALSE.includes(text)) return undefined;
  const problems: string[] = [];
  if (!TRUE.includes(text)) {
    throw new InputError([
      `'repository-variable' must be true or false, got '${text.slice(0, 40)}'`,
    ]);
  }
  if (inputs.apply !== 'record') {
    problems.push(
      `'repository-variable: true' needs 'apply: record', got 'apply: ${inputs.apply}': a rewrite changes the schedules themselves and leaves no plan for a gate to follow`,
    );
  }
  // A dry run writes nothing, so it may print the plan without one.
  if (!inputs.token && !inputs.dryRun) {
    problems.push(
      "'token' is required with 'repository-variable: true': a token that may write this repository's Actions variables (fine-grained: the repository permission Variables, read and write; GITHUB_TOKEN cannot write variables; docs/permissions.md)",
    );
  }
  const name = get('plan-variable')?.trim() || DEFAULT_PLAN_VARIABLE;
  const problem = variableNameProblem(name);
  if (problem) problems.push(`'plan-variable': ${problem}`);
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) {
    problems.push(
      "'repository-variable: true' needs GITHUB_REPOSITORY as owner/name (the runner sets it), to know whose variable to write",
    );
  }
  if (problems.length > 0) throw new InputError(problems);
  return { name, repo: repository };
}

/** The plan of this run's decision, rendered, and checked to fit in one variable. */
export function repositoryPlanOf(
  target: RepositoryPlanTarget,
  inputs: Pick<Inputs, 'now' | 'resetDay'>,
  planned: readonly PlannedRate[],
  reason: string,
): { value: string; bytes: number } {
  const plan = buildPlan({
    period: periodFor(inputs.now, inputs.resetDay),
    issuedAt: inputs.now,
    workflows: planned.map((p) => ({
      key: `${target.repo}/${p.file}`,
      rate: p.perDay,
      reason: p.tier === 'paused' ? `paused: ${reason}` : reason,
    })),
  });
  // One repository's entries are never split: splitPlan refuses them when they pass 48 KB.
  const [variable] = splitPlan(plan, target.name);
  const value = variable?.value ?? '';
  return { value, bytes: Buffer.byteLength(value, 'utf8') };
}

/**
 * The step's two halves: `beforeWrite` for orchestrate (it writes the variable after every
 * check, before any file), and `report` for the log lines and the plan outputs afterwards.
 */
export function repositoryPlanStep(
  target: RepositoryPlanTarget,
  inputs: Inputs,
  options: { api?: GitHubApi; retryBaseMs?: number } = {},
) {
  let written: 'updated' | 'created' | undefined;
  return {
    async beforeWrite(planned: readonly PlannedRate[], decision: Decision) {
      const { value } = repositoryPlanOf(target, inputs, planned, decision.reason);
      const api =
        options.api ??
        createApi({
          token: inputs.token,
          budgetSeconds: inputs.billingTimeout,
          maxRequests: MAX_REQUESTS,
          ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
        });
      written = await writeRepoVariable(api, target.repo, { name: target.name, value });
    },
    report(result: OrchestrateResult, dryRun: boolean) {
      const { value, bytes } = repositoryPlanOf(
        target,
        inputs,
        result.planned,
        result.decision.reason,
      );
      const lines = dryRun
        ? [
            `Dry run: the plan (${bytes} bytes) is not written to the repository variable ${target.name} of ${target.repo}:`,
            `${target.name}=${value}`,
          ]
        : [`Repository variable ${target.name} of ${target.repo} ${written ?? 'not written'}.`];
      return { lines, outputs: { plan: value, 'plan-bytes': String(bytes) } };
    },
  };
}
