/** A simulator scenario: the JSON file's format, checked with every problem named. */
import { cronProblem, scheduleProblem } from '../schedule/cron.js';
import { MODES, type Mode } from '../usage/tracker.js';

export interface ScenarioWorkflow {
  name: string;
  costPerRun: number;
  priority: number;
  timezone?: string;
  tiers: Record<Mode, string[]>;
  /** false: the config gives no cost, so pace learns it from the history (default true). */
  costKnown: boolean;
}

export interface Scenario {
  quota: number;
  resetDay: number;
  start: Date;
  usedAtStart: number;
  orchestratorCron: string;
  /** Taken day by day from the start, repeated when it runs out. */
  otherUsagePerDay: number[];
  /** The share aimed at early on (default 95); the rest is a reserve released toward the reset. */
  targetPercent: number;
  /** How late the billing figure is, in hours (default 0). */
  billingLagHours: number;
  /** How long a person takes to merge a schedule pull request, in days (default 0). */
  mergeDelayDays: number;
  /** The share of scheduled runs GitHub drops under load (default 0). */
  dropRate: number;
  /** A run's cost varies by up to this share either way (default 0). */
  costJitter: number;
  workflows: ScenarioWorkflow[];
  /** A fleet: repositories sharing the one pool (the quota); then `workflows` is empty. */
  repositories?: ScenarioRepository[];
}

/** One repository of a fleet scenario: its workflows and its people's use. */
export interface ScenarioRepository {
  repo: string;
  priority: number;
  /** The share of the pool its workflows may always spend (0 = none). */
  floorShare: number;
  /** The day (1 = the start) the repository joins: its workflows and its people begin then. */
  joinDay: number;
  otherUsagePerDay: number[];
  workflows: ScenarioWorkflow[];
}

/** Checks a scenario file's data; throws with every problem, naming the file. */
export function parseScenario(data: unknown, file: string): Scenario {
  const problems: string[] = [];
  const s = (data ?? {}) as Record<string, unknown>;
  const num = (
    key: string,
    fallback: number | undefined,
    ok: (n: number) => boolean,
    rule: string,
  ) => {
    const value = s[key] ?? fallback;
    if (value === undefined) problems.push(`'${key}' is missing: it must be ${rule}`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
      problems.push(`'${key}' must be ${rule}, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const share = (key: string, below: number) =>
    num(key, 0, (n) => n >= 0 && n < below, `a share from 0 up to (not including) ${below}`);
  const quota = num('quota', undefined, (n) => n > 0, 'a number greater than 0');
  const resetDay = num(
    'resetDay',
    1,
    (n) => Number.isInteger(n) && n >= 1 && n <= 31,
    'a whole number from 1 to 31',
  );
  const usedAtStart = num('usedAtStart', 0, (n) => n >= 0, 'a number of 0 or more');
  const targetPercent = num(
    'targetPercent',
    95,
    (n) => n > 0 && n <= 100,
    'a percentage from 1 to 100',
  );
  const billingLagHours = num('billingLagHours', 0, (n) => n >= 0 && n <= 72, 'hours from 0 to 72');
  const mergeDelayDays = num('mergeDelayDays', 0, (n) => n >= 0 && n <= 14, 'days from 0 to 14');
  const dropRate = share('dropRate', 1);
  const costJitter = share('costJitter', 1);
  const start = new Date(String(s.start));
  if (s.start === undefined) problems.push(`'start' is missing: it must be an ISO 8601 time`);
  else if (typeof s.start !== 'string' || Number.isNaN(start.getTime()))
    problems.push(`'start' must be an ISO 8601 time`);
  const orchestratorCron = String(s.orchestratorCron ?? '');
  const cronIssue =
    s.orchestratorCron === undefined ? 'it is missing' : cronProblem(orchestratorCron);
  if (cronIssue)
    problems.push(`'orchestratorCron' '${orchestratorCron}' is not valid: ${cronIssue}`);
  const fleet = s.repositories !== undefined;
  const other = fleet ? [0] : parseOther(s.otherUsagePerDay, 'otherUsagePerDay', problems);
  const workflows = fleet ? [] : parseWorkflows(s.workflows, 'workflows', problems);
  if (fleet) {
    for (const key of ['otherUsagePerDay', 'workflows'])
      if (s[key] !== undefined)
        problems.push(
          `'${key}' belongs to each repository in a fleet scenario (one with 'repositories')`,
        );
  }
  const repositories = fleet ? parseRepositories(s.repositories, problems) : undefined;
  if (problems.length > 0) throw new Error(`${file}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return {
    quota,
    resetDay,
    start,
    usedAtStart,
    orchestratorCron,
    otherUsagePerDay: other as number[],
    targetPercent,
    billingLagHours,
    mergeDelayDays,
    dropRate,
    costJitter,
    workflows,
    ...(repositories ? { repositories } : {}),
  };
}

function parseOther(value: unknown, where: string, problems: string[]): number[] {
  const other = typeof value === 'number' ? [value] : value;
  if (other === undefined) {
    problems.push(`'${where}' is missing: give a number of 0 or more, or a list of them`);
  } else if (
    !Array.isArray(other) ||
    other.length === 0 ||
    other.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)
  ) {
    problems.push(`'${where}' must be a number of 0 or more, or a non-empty list of them`);
  }
  return other as number[];
}

function parseWorkflows(list: unknown, at: string, problems: string[]): ScenarioWorkflow[] {
  const workflows: ScenarioWorkflow[] = [];
  if (list === undefined) problems.push(`'${at}' is missing: give a non-empty list`);
  else if (!Array.isArray(list) || list.length === 0)
    problems.push(`'${at}' must be a non-empty list`);
  for (const [i, raw] of (Array.isArray(list) ? list : []).entries()) {
    const w = (raw ?? {}) as Record<string, unknown>;
    const where = `${at}[${i}]`;
    // An agentic workflow (a .md) may give its tiers in gh-aw's words, as its config entry does.
    const agentic = typeof w.name === 'string' && w.name.endsWith('.md');
    const tiers = {} as Record<Mode, string[]>;
    for (const mode of MODES) {
      const crons = typeof w[mode] === 'string' ? [w[mode]] : w[mode];
      if (crons === undefined) {
        problems.push(`${where}.${mode} is missing: give a cron or a list of crons`);
        continue;
      }
      if (!Array.isArray(crons) || crons.length === 0) {
        problems.push(`${where}.${mode} must be a cron or a list of crons`);
        continue;
      }
      for (const cron of crons) {
        if (agentic) {
          const issue = scheduleProblem(String(cron));
          if (issue) problems.push(`${where}.${mode}: ${issue}`);
          continue;
        }
        const issue = cronProblem(String(cron));
        if (issue) problems.push(`${where}.${mode} cron '${cron}' is not valid: ${issue}`);
      }
      tiers[mode] = crons.map(String);
    }
    const cost = w.costPerRun ?? 1;
    const priority = w.priority ?? 0;
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0)
      problems.push(`${where}.costPerRun must be a number greater than 0`);
    if (typeof priority !== 'number' || !Number.isFinite(priority))
      problems.push(`${where}.priority must be a number`);
    if (w.costKnown !== undefined && typeof w.costKnown !== 'boolean')
      problems.push(`${where}.costKnown must be true or false`);
    workflows.push({
      name: typeof w.name === 'string' ? w.name : `workflow-${i + 1}`,
      costPerRun: cost as number,
      priority: priority as number,
      ...(typeof w.timezone === 'string' ? { timezone: w.timezone } : {}),
      tiers,
      costKnown: w.costKnown !== false,
    });
  }
  return workflows;
}

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

function parseRepositories(list: unknown, problems: string[]): ScenarioRepository[] {
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`'repositories' must be a non-empty list`);
    return [];
  }
  const repositories: ScenarioRepository[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const where = `repositories[${i}]`;
    if (typeof r.repo !== 'string' || !REPO.test(r.repo))
      problems.push(`${where}.repo must be 'owner/name', got ${JSON.stringify(r.repo)}`);
    else if (seen.has(r.repo)) problems.push(`${where}.repo ${r.repo} is listed twice`);
    seen.add(String(r.repo));
    const priority = r.priority ?? 0;
    if (typeof priority !== 'number' || !Number.isFinite(priority))
      problems.push(`${where}.priority must be a number`);
    const floorShare = r.floorShare ?? 0;
    if (typeof floorShare !== 'number' || !(floorShare >= 0 && floorShare < 1))
      problems.push(`${where}.floorShare must be a share from 0 up to (not including) 1`);
    const joinDay = r.joinDay ?? 1;
    if (typeof joinDay !== 'number' || !Number.isInteger(joinDay) || joinDay < 1 || joinDay > 31)
      problems.push(`${where}.joinDay must be a whole number from 1 to 31`);
    repositories.push({
      repo: String(r.repo),
      priority: priority as number,
      floorShare: floorShare as number,
      joinDay: joinDay as number,
      otherUsagePerDay: parseOther(r.otherUsagePerDay, `${where}.otherUsagePerDay`, problems),
      workflows: parseWorkflows(r.workflows, `${where}.workflows`, problems),
    });
  }
  for (const [i, r] of repositories.entries()) {
    const names = new Set<string>();
    for (const [j, w] of r.workflows.entries()) {
      if (names.has(w.name))
        problems.push(`repositories[${i}].workflows[${j}].name ${w.name} is listed twice`);
      names.add(w.name);
    }
  }
  const floors = repositories.reduce((sum, r) => sum + (r.floorShare || 0), 0);
  if (floors >= 1)
    problems.push(`the repositories' floorShare add up to ${floors}: keep them below 1`);
  return repositories;
}
