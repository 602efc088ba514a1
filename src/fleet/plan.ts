/**
 * The plan variable's format: what the control run decided, for every gate to read from `vars`
 * with no token. One compact JSON object; when it would not fit in one configuration variable
 * (48 KB), it is split by repository into NAME_2, NAME_3, … and NAME holds an index of the
 * parts (which repositories each holds), so a gate finds its own part.
 */

/** GitHub's limit on one configuration variable: 48 KB. */
export const MAX_VARIABLE_BYTES = 48 * 1024;
/** An organization holds at most 1,000 variables. */
export const MAX_ORG_VARIABLES = 1000;
/** What one workflow run may receive of organization and repository variables together. */
export const MAX_RUN_VARIABLE_BYTES = 256 * 1024;
export const PLAN_VERSION = 1;
export const DEFAULT_PLAN_VARIABLE = 'DYNAMIC_ORCHESTRATOR_PLAN';
/** A reason in the plan is a short sentence; the full one is in the control run's summary. */
export const REASON_CHARS = 120;

export interface PlanEntry {
  /** Runs a day. */
  perDay: number;
  reason: string;
}

export interface Plan {
  version: 1;
  period: { start: string; end: string };
  issuedAt: string;
  /** By `owner/repo/workflow`. */
  workflows: Record<string, PlanEntry>;
}

export interface PlanIndex {
  version: 1;
  period: { start: string; end: string };
  issuedAt: string;
  /** Each part's variable and the first and last repository (`owner/repo`, sorted) it holds. */
  parts: { name: string; first: string; last: string }[];
}

/** A plan value that cannot be read; the message never quotes the value itself. */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const repoOf = (key: string) => key.split('/').slice(0, 2).join('/');
const short = (reason: string) =>
  reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS - 1)}…` : reason;

/** The plan of one decision, keys sorted so the same decision gives the same bytes. */
export function buildPlan(input: {
  period: { start: Date; end: Date };
  issuedAt: Date;
  workflows: readonly { key: string; rate: number; reason: string }[];
}): Plan {
  const sorted = [...input.workflows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    version: PLAN_VERSION,
    period: { start: input.period.start.toISOString(), end: input.period.end.toISOString() },
    issuedAt: input.issuedAt.toISOString(),
    workflows: Object.fromEntries(
      sorted.map((w) => [
        w.key,
        { perDay: Math.round(w.rate * 1000) / 1000, reason: short(w.reason) },
      ]),
    ),
  };
}

export const renderPlan = (plan: Plan | PlanIndex): string => JSON.stringify(plan);

export interface PlanVariable {
  name: string;
  value: string;
  /** The repositories (`owner/repo`) whose entries it holds; every one for the index. */
  repos: string[];
}

/** A variable name GitHub takes: letters, digits and _, not first a digit, not GITHUB_. */
export function variableNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) {
    return `'${name.slice(0, 80)}' is not a variable name GitHub takes: letters, digits and underscores, not starting with a digit or GITHUB_`;
  }
  return undefined;
}

/**
 * The variables that hold a plan: one when it fits in `limit` bytes, else an index under `name`
 * and the entries split by repository (a repository's workflows stay together) into
 * NAME_2, NAME_3, …, each at most `limit` bytes.
 */
export function splitPlan(plan: Plan, name: string, limit = MAX_VARIABLE_BYTES): PlanVariable[] {
  const whole = renderPlan(plan);
  const byRepo = new Map<string, [string, PlanEntry][]>();
  for (const [key, entry] of Object.entries(plan.workflows)) {
    const repo = repoOf(key);
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), [key, entry]]);
  }
  const repos = [...byRepo.keys()].sort();
  if (bytes(whole) <= limit) return [{ name, value: whole, repos }];
  const head = { version: plan.version, period: plan.period, issuedAt: plan.issuedAt };
  const empty = bytes(renderPlan({ ...head, workflows: {} }));
  const parts: { repos: string[]; entries: [string, PlanEntry][]; size: number }[] = [];
  for (const repo of repos) {
    const entries = byRepo.get(repo) ?? [];
    // Each entry costs its key, its value and a comma in the part's JSON.
    const size = entries.reduce((sum, [k, e]) => sum + bytes(JSON.stringify({ [k]: e })) - 1, 0);
    if (empty + size > limit) {
      throw new PlanError(
        `The plan entries of ${repo} alone take ${empty + size} bytes, more than one variable holds (${limit}); manage fewer workflows there.`,
      );
    }
    const last = parts.at(-1);
    if (last && last.size + size <= limit) {
      last.repos.push(repo);
      last.entries.push(...entries);
      last.size += size;
    } else parts.push({ repos: [repo], entries: [...entries], size: empty + size });
  }
  if (parts.length + 1 > MAX_ORG_VARIABLES) {
    throw new PlanError(
      `The plan needs ${parts.length + 1} variables; an organization holds at most ${MAX_ORG_VARIABLES}.`,
    );
  }
  const named = parts.map((part, i) => ({
    name: `${name}_${i + 2}`,
    value: renderPlan({ ...head, workflows: Object.fromEntries(part.entries) }),
    repos: part.repos,
  }));
  const index: PlanIndex = {
    ...head,
    parts: named.map((p) => ({
      name: p.name,
      first: p.repos[0] as string,
      last: p.repos.at(-1) as string,
    })),
  };
  const indexValue = renderPlan(index);
  if (bytes(indexValue) > limit) {
    throw new PlanError(
      `The plan's index alone takes ${bytes(indexValue)} bytes, more than ${limit}.`,
    );
  }
  return [{ name, value: indexValue, repos }, ...named];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/**
 * One variable's value as a plan or an index; PlanError saying what is wrong (by field, never
 * quoting the value, which could hold anything).
 */
export function parsePlan(text: string, source: string): Plan | PlanIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new PlanError(
      `${source} is not JSON (${bytes(text)} bytes); it must be the plan the fleet's control run writes, such as \${{ vars.DYNAMIC_ORCHESTRATOR_PLAN }}`,
    );
  }
  const bad = (what: string) => new PlanError(`${source} is not a plan: ${what}`);
  if (!isObject(data)) throw bad('expected a JSON object');
  if (data.version !== PLAN_VERSION) {
    throw bad(`version must be ${PLAN_VERSION} (a newer control run may need a newer gate)`);
  }
  const period = data.period;
  if (!isObject(period) || !isTime(period.start) || !isTime(period.end)) {
    throw bad('period must have start and end times');
  }
  if (!isTime(data.issuedAt)) throw bad('issuedAt must be a time');
  const head = {
    version: PLAN_VERSION,
    period: { start: period.start as string, end: period.end as string },
    issuedAt: data.issuedAt as string,
  } as const;
  if (Array.isArray(data.parts)) {
    const parts = data.parts.map((p, i) => {
      if (
        !isObject(p) ||
        typeof p.name !== 'string' ||
        typeof p.first !== 'string' ||
        typeof p.last !== 'string'
      ) {
        throw bad(`parts[${i}] must have name, first and last`);
      }
      return { name: p.name, first: p.first, last: p.last };
    });
    return { ...head, parts };
  }
  if (!isObject(data.workflows)) throw bad('expected workflows (or parts, in an index)');
  const workflows: Record<string, PlanEntry> = Object.create(null);
  for (const [key, entry] of Object.entries(data.workflows)) {
    const where = `workflows[${JSON.stringify(key).slice(0, 80)}]`;
    if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(key))
      throw bad(`${where}: a key is owner/repo/workflow`);
    if (!isObject(entry) || typeof entry.perDay !== 'number' || !Number.isFinite(entry.perDay)) {
      throw bad(`${where}.perDay must be a number of runs a day`);
    }
    if (entry.perDay < 0) throw bad(`${where}.perDay must be 0 or more`);
    workflows[key] = {
      perDay: entry.perDay,
      reason: typeof entry.reason === 'string' ? entry.reason : '',
    };
  }
  return { ...head, workflows };
}

export const isIndex = (p: Plan | PlanIndex): p is PlanIndex => 'parts' in p;

/**
 * The plan that holds `repo`'s entries, from what the gate was given: one variable's value (a
 * plan, or an index when the parts are not at hand), or `toJSON(vars)`, from which the index
 * under `name` and the part for `repo` are taken. Undefined `plan` with a note when it cannot
 * be found there; PlanError when what was given does not parse.
 */
export function planFor(
  text: string,
  repo: string,
  name: string,
): { plan: Plan; source: string } | { note: string } {
  const trimmed = text.trim();
  let vars: Record<string, unknown> | undefined;
  try {
    const data = JSON.parse(trimmed) as unknown;
    if (isObject(data) && !('version' in data)) vars = data;
  } catch {}
  if (!vars) {
    const plan = parsePlan(trimmed, "the gate's plan input");
    if (!isIndex(plan)) return { plan, source: 'the plan input' };
    const part = partFor(plan, repo);
    return {
      note: part
        ? `the plan is split into ${plan.parts.length} parts and ${repo} is in ${part}, which the plan input does not hold: give the gate plan: \${{ toJSON(vars) }}`
        : `the plan is split and no part holds ${repo}`,
    };
  }
  const first = vars[name];
  if (typeof first !== 'string') return { note: `the variables hold no ${name}` };
  const plan = parsePlan(first, `the variable ${name}`);
  if (!isIndex(plan)) return { plan, source: `the variable ${name}` };
  const part = partFor(plan, repo);
  if (!part) return { note: `no part of the split plan ${name} holds ${repo}` };
  const value = vars[part];
  if (typeof value !== 'string') {
    return {
      note: `the plan's index names ${part} for ${repo}, but this repository cannot read it (the variable's repository access)`,
    };
  }
  const held = parsePlan(value, `the variable ${part}`);
  if (isIndex(held))
    throw new PlanError(`the variable ${part} is an index, not a part of the plan`);
  if (held.issuedAt !== plan.issuedAt) {
    return {
      note: `the variable ${part} was issued at ${held.issuedAt.slice(0, 40)}, not with its index (${plan.issuedAt.slice(0, 40)}): the control run may be writing it now`,
    };
  }
  return { plan: held, source: `the variable ${part}` };
}

/** The part whose range of repositories holds `repo`. */
function partFor(index: PlanIndex, repo: string): string | undefined {
  return index.parts.find((p) => p.first <= repo && repo <= p.last)?.name;
}
