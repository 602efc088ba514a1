/**
 * A managed workflow's runs this period, from the Actions API: runs created since the period
 * start, 100 a page. The first page is asked for conditionally: runs come newest first, so a
 * first page that has not changed means no run was added, and the counts of the last read stand.
 */
import { ApiError, type GitHubApi, hasNext, repoPath } from './api.js';

/** GitHub answers at most 1,000 runs for a query with `created`: ten pages of 100. */
export const MAX_PAGES = 10;

export interface RunCount {
  /** Runs created this period. */
  runs: number;
  /** Of those, runs not started by the schedule (manual and other events), which always proceed. */
  unscheduled: number;
  /** True when GitHub's 1,000-run cap was reached, so the counts are a lower bound. */
  capped: boolean;
  /** Pages read (0 when the first page was unchanged). */
  pages: number;
  etag?: string;
}

/** Counts the runs of `workflow` (its file name) in `repo` created at or after `since`. */
export async function countRuns(
  api: GitHubApi,
  repo: string,
  workflow: string,
  since: Date,
  last?: RunCount,
): Promise<RunCount> {
  const url = `/repos/${repoPath(repo)}/actions/workflows/${encodeURIComponent(workflow)}/runs`;
  // The search syntax's date-time form, THH:MM:SS with an offset.
  const created = `>=${since.toISOString().replace(/\.\d{3}Z$/, '+00:00')}`;
  let runs = 0;
  let unscheduled = 0;
  let etag: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await api.get(
      url,
      { created, per_page: 100, page },
      page === 1 ? last?.etag : undefined,
    );
    if (answer.status === 304 && last) return { ...last, pages: 0 };
    if (answer.status === 404) {
      throw new ApiError(
        `${repo} has no workflow ${workflow} that the Actions API knows (404); fix the name in its .github/orchestrator.yml, or the token may not read its Actions (Actions: read).`,
        404,
      );
    }
    const items = (answer.data as { workflow_runs?: unknown } | undefined)?.workflow_runs;
    if (!Array.isArray(items)) {
      throw new ApiError(`The runs of ${repo}/${workflow} came back without a workflow_runs list.`);
    }
    if (page === 1) etag = answer.etag;
    for (const run of items as { event?: unknown }[]) {
      runs++;
      if (run?.event !== 'schedule') unscheduled++;
    }
    if (items.length < 100 || !hasNext(answer.link)) {
      return { runs, unscheduled, capped: false, pages: page, ...(etag ? { etag } : {}) };
    }
  }
  return { runs, unscheduled, capped: true, pages: MAX_PAGES, ...(etag ? { etag } : {}) };
}
