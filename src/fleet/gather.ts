/**
 * Gathering the fleet's figures: which repositories, each one's own config (contents API), and
 * each managed workflow's runs this period (Actions API). Reads are conditional on the ETags of
 * the last run, kept in the control repository's cache file: a config or a first page of runs
 * that did not change answers 304, which costs no primary rate limit.
 */
import { ApiError, type GitHubApi } from '../github/api.js';
import { readRepoFile } from '../github/contents.js';
import { repoId, reposWithTopic } from '../github/repos.js';
import { countRuns, type RunCount } from '../github/runs.js';
import { FileProblems, type ManagedWorkflow, parseConfig } from '../schedule/config.js';
import type { FleetConfig } from './config.js';

/** Where each repository keeps its own orchestrator config. */
export const REPO_CONFIG = '.github/orchestrator.yml';
/** Reads in flight at once: few, since GitHub asks for requests one at a time where possible. */
export const CONCURRENCY = 4;

/** What the last run read, by URL-like key, so this run can ask conditionally. */
export interface FleetCache {
  version: 1;
  configs: Record<string, { etag: string; text: string }>;
  runs: Record<string, RunCount & { since: string }>;
  ids: Record<string, number>;
}

export const emptyCache = (): FleetCache => ({ version: 1, configs: {}, runs: {}, ids: {} });

/** The cache kept in the control history; anything unreadable is an empty cache (it only saves requests). */
export function parseCache(value: unknown): FleetCache {
  if (typeof value !== 'object' || value === null) return emptyCache();
  try {
    const data = value as Partial<FleetCache>;
    const obj = (v: unknown) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, never>) : {};
    if (data.version !== 1) return emptyCache();
    const configs = Object.fromEntries(
      Object.entries(obj(data.configs)).filter(
        ([, c]: [string, { etag?: unknown; text?: unknown }]) =>
          typeof c?.etag === 'string' && typeof c.text === 'string',
      ),
    );
    const runs = Object.fromEntries(
      Object.entries(obj(data.runs)).filter(
        ([, r]: [string, Partial<RunCount> & { since?: unknown }]) =>
          Number.isInteger(r?.runs) &&
          Number.isInteger(r.unscheduled) &&
          typeof r.since === 'string' &&
          typeof r.etag === 'string',
      ),
    );
    const ids = Object.fromEntries(
      Object.entries(obj(data.ids)).filter(([, id]) => Number.isInteger(id)),
    );
    return { version: 1, configs, runs, ids };
  } catch {
    return emptyCache();
  }
}

export interface GatheredWorkflow {
  managed: ManagedWorkflow;
  runs: RunCount;
}

export interface GatheredRepository {
  /** `owner/name`, lower-cased, as plan keys are. */
  repo: string;
  id?: number;
  priority: number;
  floorShare?: number;
  workflows: GatheredWorkflow[];
}

export interface Gathered {
  repositories: GatheredRepository[];
  /** Repositories left out, and why (no config, a config with problems, not visible). */
  skipped: { repo: string; why: string }[];
  cache: FleetCache;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** Every repository's config and runs this period; throws on an API failure (nothing is written). */
export async function gatherFleet(
  api: GitHubApi,
  fleet: FleetConfig,
  since: Date,
  cache: FleetCache,
): Promise<Gathered> {
  const next = emptyCache();
  const entries = new Map(
    fleet.repositories.map((r) => [r.repo.toLowerCase(), { ...r, repo: r.repo.toLowerCase() }]),
  );
  const ids = new Map<string, number>();
  if (fleet.topic) {
    for (const found of await reposWithTopic(api, fleet.organization, fleet.topic)) {
      const repo = found.repo.toLowerCase();
      ids.set(repo, found.id);
      if (!entries.has(repo)) entries.set(repo, { repo, priority: 0, line: 0 });
    }
  }
  const skipped: Gathered['skipped'] = [];
  const repos = [...entries.values()].sort((a, b) => (a.repo < b.repo ? -1 : 1));
  const results = await mapLimited(repos, CONCURRENCY, async (entry) => {
    const { repo } = entry;
    const cached = cache.configs[repo];
    const read = await readRepoFile(api, repo, REPO_CONFIG, cached?.etag);
    if (read.kind === 'missing') {
      skipped.push({ repo, why: `has no ${REPO_CONFIG} (or the token cannot read it)` });
      return undefined;
    }
    const text = read.kind === 'unchanged' ? (cached?.text as string) : read.text;
    const etag = read.kind === 'unchanged' ? cached?.etag : read.etag;
    if (etag) next.configs[repo] = { etag, text };
    let workflows: ManagedWorkflow[];
    try {
      workflows = parseConfig(text, `${repo}:${REPO_CONFIG}`).workflows;
    } catch (error) {
      if (!(error instanceof FileProblems)) throw error;
      skipped.push({ repo, why: `has a config with problems: ${error.problems.join('; ')}` });
      return undefined;
    }
    if (workflows.length === 0) {
      skipped.push({ repo, why: `manages no workflow in ${REPO_CONFIG}` });
      return undefined;
    }
    let id = ids.get(repo) ?? cache.ids[repo];
    if (fleet.visibility === 'selected' && id === undefined) {
      id = await repoId(api, repo);
      if (id === undefined) {
        skipped.push({ repo, why: 'is not visible to the token (GET /repos answered 404)' });
        return undefined;
      }
    }
    if (id !== undefined) next.ids[repo] = id;
    const gathered: GatheredWorkflow[] = [];
    for (const managed of workflows) {
      const key = `${repo}/${managed.file}`;
      const last = cache.runs[key];
      const usable = last && last.since === since.toISOString() ? last : undefined;
      let runs: RunCount;
      try {
        // GitHub runs an agentic workflow as its compiled NAME.lock.yml, not its NAME.md.
        const file = managed.file.replace(/\.md$/, '.lock.yml');
        runs = await countRuns(api, repo, file, since, usable);
      } catch (error) {
        // One misnamed workflow leaves its repository out, not the whole fleet.
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
        // The run's warning names the repository itself.
        skipped.push({ repo, why: error.message.replace(`${repo} `, '') });
        return undefined;
      }
      if (runs.etag) next.runs[key] = { ...runs, since: since.toISOString() };
      gathered.push({ managed, runs });
    }
    return {
      repo,
      ...(id !== undefined ? { id } : {}),
      priority: entry.priority,
      ...(entry.floorShare !== undefined ? { floorShare: entry.floorShare } : {}),
      workflows: gathered,
    } satisfies GatheredRepository;
  });
  return {
    repositories: results.filter((r): r is GatheredRepository => r !== undefined),
    skipped: skipped.sort((a, b) => (a.repo < b.repo ? -1 : 1)),
    cache: next,
  };
}
