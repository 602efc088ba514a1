/**
 * The repositories of a fleet: an organization's repositories that carry a topic (listed by
 * `GET /orgs/{org}/repos`, 100 a page, whose items hold their topics: no search index lag and no
 * search rate limit), and a named repository's id (for a variable visible to selected ones).
 */
import { ApiError, type GitHubApi, hasNext, repoPath } from './api.js';

export interface RepoRef {
  repo: string;
  id: number;
}

/** Enough pages for 10,000 repositories; past it the listing stops with an error. */
export const MAX_REPO_PAGES = 100;

/** The organization's repositories with `topic`, archived ones left out. */
export async function reposWithTopic(
  api: GitHubApi,
  org: string,
  topic: string,
): Promise<RepoRef[]> {
  const found: RepoRef[] = [];
  for (let page = 1; page <= MAX_REPO_PAGES; page++) {
    const answer = await api.get(`/orgs/${encodeURIComponent(org)}/repos`, {
      type: 'all',
      per_page: 100,
      page,
    });
    if (answer.status === 404) {
      throw new ApiError(
        `GET /orgs/${org}/repos answered 404: no such organization, or the token cannot see it.`,
        404,
      );
    }
    if (!Array.isArray(answer.data)) {
      throw new ApiError(`GET /orgs/${org}/repos did not answer a list of repositories.`);
    }
    for (const item of answer.data as {
      full_name?: unknown;
      id?: unknown;
      topics?: unknown;
      archived?: unknown;
    }[]) {
      if (typeof item?.full_name !== 'string' || typeof item.id !== 'number') continue;
      if (item.archived === true) continue;
      if (Array.isArray(item.topics) && item.topics.includes(topic)) {
        found.push({ repo: item.full_name, id: item.id });
      }
    }
    if (answer.data.length < 100 || !hasNext(answer.link)) return found;
  }
  throw new ApiError(
    `GET /orgs/${org}/repos has more than ${MAX_REPO_PAGES} pages; name the repositories instead.`,
  );
}

/** A repository's numeric id, or undefined when the token cannot see it. */
export async function repoId(api: GitHubApi, repo: string): Promise<number | undefined> {
  const answer = await api.get(`/repos/${repoPath(repo)}`);
  if (answer.status === 404) return undefined;
  const id = (answer.data as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number') throw new ApiError(`GET /repos/${repo} has no numeric id.`);
  return id;
}
