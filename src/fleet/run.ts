/**
 * The fleet's control run, free of @actions/*: the pool (billing, and seats when the quota is
 * worked out from them), every repository's config and runs, one decision for all of them
 * (src/fleet/decide.ts over pacing's controller), the plan split to fit in variables, then the
 * writes: the plan variables (the parts, then the index), then the control history and the
 * cache file. Every read comes before the first write, so a failed read writes nothing; a
 * history write that fails after the variables leaves the plan published and the history one
 * day behind, which the next run catches up. A dry run does every read and writes nothing.
 */
import { join } from 'node:path';
import { writeChanges } from '../files.js';
import { createApi, type GitHubApi } from '../github/api.js';
import { readSeats } from '../github/seats.js';
import { writeOrgVariable } from '../github/variables.js';
import type { BillingEntity } from '../inputs.js';
import { observationsOf, type PacingWorkflow } from '../pacing/decision.js';
import { resolvePathInputs } from '../paths.js';
import type { FileChange } from '../report/diff.js';
import { cronsOf, parseConfig } from '../schedule/config.js';
import { runsPerDay } from '../schedule/cron.js';
import { readTextFile } from '../text.js';
import {
  type HistoryRecord,
  parseHistory,
  recordOf,
  recordRun,
  renderHistory,
  splitFuture,
} from '../usage/history.js';
import { DAY_MS, periodFor } from '../usage/period.js';
import { computeUsage, type Usage } from '../usage/tracker.js';
import { type FleetConfig, parseFleetConfig } from './config.js';
import { decideFleet, type FleetDecision, type FleetRepository, fleetKey } from './decide.js';
import { type Gathered, gatherFleet, parseCache } from './gather.js';
import type { FleetInputs } from './inputs.js';
import {
  buildPlan,
  MAX_RUN_VARIABLE_BYTES,
  type Plan,
  type PlanVariable,
  renderPlan,
  splitPlan,
} from './plan.js';

export interface FleetRunOptions extends FleetInputs {
  workspace: string;
  /** API root; @actions/github reads GITHUB_API_URL when unset. */
  baseUrl?: string;
  retryBaseMs?: number;
  /** The API the run reads and writes through; created from the token when not given. */
  api?: GitHubApi;
}

export interface FleetRunResult {
  organization: string;
  quota: number;
  /** The seats the quota was worked out from, with quota: seats. */
  seats?: number;
  /** Whose billing the usage is. */
  pool: string;
  usage: Usage;
  decision: FleetDecision;
  plan: Plan;
  planBytes: number;
  variables: PlanVariable[];
  gathered: Gathered;
  /** Variables written, and how; empty in a dry run. */
  written: { name: string; action: 'updated' | 'created' }[];
  changes: FileChange[];
  requests: { charged: number; notModified: number; billing: number };
  notes: string[];
  warnings: string[];
  dryRun: boolean;
}

/** How far back the control history keeps its records: the forecast's four weeks and a week. */
export const FLEET_HISTORY_MS = 35 * DAY_MS;

/** Runs the fleet's control step; throws before any write when a read or a check fails. */
export async function runFleet(options: FleetRunOptions): Promise<FleetRunResult> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const paths = resolvePathInputs(options.workspace, {
    config: options.config,
    historyFile: options.historyFile,
    workflowsDir: '',
    backupDir: '',
  });
  const inRoot = (path: string) => join(paths.root, path);
  const configText = readTextFile(inRoot(paths.config), paths.config) ?? '';
  const fleet: FleetConfig = parseFleetConfig(configText, paths.config);
  const own = parseConfig(configText, paths.config);
  if (own.workflows.length > 0) {
    warnings.push(
      `${paths.config} manages workflows of its own; in fleet mode only the fleet's repositories are paced: list this repository in fleet.repositories to pace them`,
    );
  }

  const historyText = paths.historyFile
    ? readTextFile(inRoot(paths.historyFile), paths.historyFile)
    : undefined;
  const parsedHistory = historyText === undefined ? { records: [] } : parseHistory(historyText);
  if ('problem' in parsedHistory) {
    throw new Error(
      `History file ${paths.historyFile} is ${parsedHistory.problem}; fix or remove it (the fleet's rates are kept there)`,
    );
  }
  const records = splitFuture(parsedHistory.records, options.now).past;
  // The request cache (ETags and what they stood for) rides in the history, which publish commits.
  const cache = parseCache(
    historyText === undefined ? undefined : (JSON.parse(historyText) as { fleet?: unknown }).fleet,
  );

  const api =
    options.api ??
    createApi({
      token: options.token,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      budgetSeconds: fleet.timeoutSeconds,
      maxRequests: fleet.maxRequests,
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    });
  const period = periodFor(options.now, options.resetDay);

  let quota: number;
  let seats: number | undefined;
  if (options.quota === 'seats') {
    seats = await readSeats(api, fleet.organization);
    quota = seats * (options.seatCredits as number);
    notes.push(
      `The pool: ${seats} Copilot seats × ${options.seatCredits} credits = ${quota} this period.`,
    );
    if (quota <= 0) throw new Error(`${fleet.organization} has no Copilot seats, so the pool is 0`);
  } else quota = options.quota;

  const entity: BillingEntity = options.billingEntity ?? {
    kind: 'org',
    name: fleet.organization,
  };
  const { readBillingUsage } = await import('../github/billing.js');
  const billing = await readBillingUsage({
    token: options.token,
    entity,
    unit: options.unit,
    product: options.product,
    period,
    now: options.now,
    budgetSeconds: options.billingTimeout,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  });
  const usage = computeUsage({
    quota,
    used: billing.used,
    resetDay: options.resetDay,
    now: options.now,
  });

  const gathered = await gatherFleet(api, fleet, period.start, cache);
  for (const s of gathered.skipped) warnings.push(`${s.repo} is left out: it ${s.why}`);
  if (gathered.repositories.length === 0) {
    warnings.push(
      'No repository of the fleet has a config that manages a workflow; the plan is empty',
    );
  }

  const last = records.at(-1);
  const repositories: FleetRepository[] = gathered.repositories.map((r) => ({
    repo: r.repo,
    priority: r.priority,
    ...(r.floorShare !== undefined ? { floorShare: r.floorShare } : {}),
    workflows: r.workflows.map(
      ({ managed: m }): PacingWorkflow => ({
        name: m.file,
        cost: m.cost,
        priority: m.priority,
        minRate: runsPerDay(cronsOf(m, 'conservative')),
        maxRate: runsPerDay(cronsOf(m, 'aggressive')),
        // The rate the gates follow now: the last plan's, or the normal tier's on the first day.
        rate: last?.rates?.[fleetKey(r.repo, m.file)] ?? runsPerDay(cronsOf(m, 'normal')),
        // A repository's config without `cost:` has its cost learned, the default as the prior.
        ...(m.costGiven ? {} : { learnCost: true }),
      }),
    ),
  }));
  const decision = decideFleet({
    quota,
    figure: usage.used,
    now: options.now.getTime(),
    periodStart: period.start.getTime(),
    periodEnd: period.end.getTime(),
    targetPercent: options.targetPercent,
    observations: observationsOf(records, options.now.getTime(), usage.used),
    repositories,
  });

  const plan = buildPlan({ period, issuedAt: options.now, workflows: decision.workflows });
  const planBytes = Buffer.byteLength(renderPlan(plan), 'utf8');
  const variables = splitPlan(plan, options.planVariable);
  if (variables.length > 1) {
    notes.push(
      `The plan (${planBytes} bytes) is more than one variable holds: it is split into ${variables.length - 1} parts by repository, ${variables
        .slice(1)
        .map((v) => v.name)
        .join(', ')}, with the index in ${options.planVariable}.`,
    );
    const total = variables.reduce((sum, v) => sum + Buffer.byteLength(v.value, 'utf8'), 0);
    if (fleet.visibility !== 'selected' && total > MAX_RUN_VARIABLE_BYTES) {
      warnings.push(
        `With visibility ${fleet.visibility} every run receives all ${variables.length} plan variables (${total} bytes), more than GitHub passes to one run (256 KB): set fleet.visibility to selected, so each repository reads only the index and its own part`,
      );
    }
  }

  const ids = new Map(gathered.repositories.map((r) => [r.repo, r.id]));
  const idsOf = (repos: readonly string[]) =>
    repos.map((repo) => ids.get(repo)).filter((id): id is number => id !== undefined);
  const written: FleetRunResult['written'] = [];
  const changes: FileChange[] = [];
  const rates = Object.fromEntries(decision.workflows.map((w) => [w.key, w.rate]));
  const costOf = new Map(
    gathered.repositories.flatMap((r) =>
      r.workflows.map((w) => [fleetKey(r.repo, w.managed.file), w.managed.cost] as const),
    ),
  );
  const runs = Object.fromEntries(
    gathered.repositories.flatMap((r) =>
      r.workflows.map((w) => [fleetKey(r.repo, w.managed.file), w.runs.runs] as const),
    ),
  );
  const managedPerDay = decision.workflows.reduce(
    (sum, w) => sum + w.rate * (costOf.get(w.key) ?? 0),
    0,
  );
  if (paths.historyFile) {
    const record: HistoryRecord = {
      ...recordOf(usage, 'pace', options.now, { tiers: {}, managedPerDay, rates }),
      managedPerDay: Math.round(managedPerDay * 1000) / 1000,
      ...(Object.keys(runs).length > 0 ? { runs } : {}),
    };
    // The forecast looks back four weeks: a fleet's history keeps five, so its size stays
    // bounded by the fleet's, not by the months it has run.
    // Only the newest record keeps each workflow's rate and runs: behind the gate a rate's spend
    // is its managedPerDay, which every record keeps, so older ones need no per-workflow detail
    // and the file stays about one record of the fleet's size.
    const kept = recordRun(records, record)
      .filter((r) => Date.parse(r.time) > options.now.getTime() - FLEET_HISTORY_MS)
      .map((r, i, all) => {
        if (i === all.length - 1) return r;
        const { rates: _rates, runs: _runs, ...rest } = r;
        return rest;
      });
    const after = renderHistory(kept, { fleet: gathered.cache });
    changes.push({ path: paths.historyFile, before: historyText, after });
  }

  if (!options.dryRun) {
    // The parts first and the index last, so an index never names a part not yet written.
    for (const v of [...variables.slice(1), ...variables.slice(0, 1)]) {
      const action = await writeOrgVariable(api, fleet.organization, {
        name: v.name,
        value: v.value,
        visibility: fleet.visibility,
        ...(fleet.visibility === 'selected' ? { repositoryIds: idsOf(v.repos) } : {}),
      });
      written.push({ name: v.name, action });
    }
    if (changes.length > 0) {
      warnings.push(...(await writeChanges(changes, paths, 1)));
    }
  }
  return {
    organization: fleet.organization,
    quota,
    ...(seats !== undefined ? { seats } : {}),
    pool: billing.entity,
    usage,
    decision,
    plan,
    planBytes,
    variables,
    gathered,
    written,
    changes,
    requests: { ...api.stats, billing: billing.queries },
    notes,
    warnings,
    dryRun: options.dryRun,
  };
}
