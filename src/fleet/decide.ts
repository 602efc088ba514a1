/**
 * The fleet's decision: pacing's controller over every managed workflow of every repository at
 * once, against the pool, keyed `owner/repo/workflow`. Repository priority orders first, then
 * each workflow's own; each repository's floor share of the pool is held for it first.
 */

import { LEAD_MS, planRates } from '../pacing/controller.js';
import { type PacingInput, type PacingWorkflow, paceState } from '../pacing/decision.js';
import { DAY_MS } from '../usage/period.js';

export interface FleetRepository {
  /** 'owner/name' */
  repo: string;
  /** Higher speeds up first and slows down last (default 0). */
  priority: number;
  /** Share of the pool (0..1) this repository's workflows may always spend, if they can. */
  floorShare?: number;
  /** name = the workflow file name within the repository (such as 'triage.yml' or 'x.md'). */
  workflows: PacingWorkflow[];
}

/** Pacing's input for the pool: its figure and the control repository's history. */
export interface FleetDecisionInput extends Omit<PacingInput, 'workflows' | 'mergeDelayMs'> {
  repositories: readonly FleetRepository[];
  /**
   * The reserve released within this long (ms; default LEAD_MS, 3 days) is spent now: the gates
   * follow the plan without checking the budget, a day at a time, and a plan that aimed only at
   * today's reserve would pile the release onto the last days.
   */
  releaseAheadMs?: number;
}

export interface FleetWorkflowPlan {
  /** 'owner/repo/workflow' */
  key: string;
  repo: string;
  workflow: string;
  /** Runs a day. */
  rate: number;
  reason: string;
}

export interface FleetDecision {
  workflows: FleetWorkflowPlan[];
  /** Usage of the pool expected at the reset with these rates, and where it was aimed. */
  landing: number;
  aim: number;
  changed: boolean;
  reason: string;
}

/** The key a fleet workflow goes by in the plan and the control repository's history. */
export const fleetKey = (repo: string, workflow: string) => `${repo}/${workflow}`;

const round = (x: number) => Math.round(x * 100) / 100;

/** The order the pool is shared in: repository priority, then the workflow's, then the key. */
function ranked(repositories: readonly FleetRepository[]) {
  const entries = repositories.flatMap((r) =>
    r.workflows.map((w) => ({ r, w, key: fleetKey(r.repo, w.name) })),
  );
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.key)) throw new Error(`the fleet lists ${e.key} twice: each workflow once`);
    seen.add(e.key);
  }
  return entries.sort(
    (a, b) =>
      b.r.priority - a.r.priority ||
      b.w.priority - a.w.priority ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function reasonFor(w: PacingWorkflow, rate: number, floorShare: number): string {
  const floor = floorShare > 0 ? ` (floor ${round(floorShare * 100)}% of the pool)` : '';
  if (rate >= w.maxRate - 1e-9) return `at its fastest, ${round(rate)} runs a day${floor}`;
  if (rate <= 1e-9) return `paused: the pool is short and higher priorities come first${floor}`;
  if (rate < w.minRate - 1e-9)
    return `below its slowest, ${round(rate)} runs a day: the pool is short${floor}`;
  return `${round(rate)} runs a day of the pool's budget${floor}`;
}

/**
 * One decision for the fleet: the rate (runs a day, any rate a gate can follow) of every
 * managed workflow of every repository, so that the pool lands just under its quota less the
 * reserve; floors first, then priority across the fleet.
 */
export function decideFleet(input: FleetDecisionInput): FleetDecision {
  const days = Math.max(1, (input.periodEnd - input.periodStart) / DAY_MS);
  const entries = ranked(input.repositories);
  // The fill sorts by priority: a rank carries the fleet's two-level order into it.
  const workflows: PacingWorkflow[] = entries.map(({ r, w, key }, i) => {
    const { steps: _steps, cronsAt: _crons, ...rest } = w;
    return {
      ...rest,
      name: key,
      priority: entries.length - i,
      group: { name: r.repo, floorPerDay: ((r.floorShare ?? 0) * input.quota) / days },
    };
  });
  const state = paceState({
    quota: input.quota,
    figure: input.figure,
    ...(input.lagMs !== undefined ? { lagMs: input.lagMs } : {}),
    now: input.now,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    targetPercent: input.targetPercent,
    observations: input.observations,
    workflows,
  });
  const plan = planRates({ ...state, releaseAheadMs: input.releaseAheadMs ?? LEAD_MS });
  return {
    workflows: entries.map(({ r, w, key }) => {
      const rate = Math.max(0, plan.rates[key] ?? w.rate);
      return {
        key,
        repo: r.repo,
        workflow: w.name,
        rate,
        reason: reasonFor(w, rate, r.floorShare ?? 0),
      };
    }),
    landing: plan.landing,
    aim: plan.aim,
    changed: plan.changed,
    reason: plan.reason,
  };
}
