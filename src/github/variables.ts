/**
 * Actions configuration variables of an organization or of one repository: update (PATCH) and,
 * when there is none yet (404), create (POST). An organization's needs the organization
 * permission "Variables: read and write" (classic: `admin:org`); a repository's, the repository
 * permission "Variables: read and write" (classic: `repo`). GITHUB_TOKEN can write neither.
 */
import { ApiError, type GitHubApi, repoPath } from './api.js';

export type Visibility = 'all' | 'private' | 'selected';

export interface VariableWrite {
  name: string;
  value: string;
  visibility: Visibility;
  /** With `selected`: the repositories that may read it. */
  repositoryIds?: readonly number[];
}

/** Writes one organization variable; returns 'updated' or 'created'. */
export async function writeOrgVariable(
  api: GitHubApi,
  org: string,
  variable: VariableWrite,
): Promise<'updated' | 'created'> {
  const base = `/orgs/${encodeURIComponent(org)}/actions/variables`;
  const body = {
    name: variable.name,
    value: variable.value,
    visibility: variable.visibility,
    ...(variable.visibility === 'selected'
      ? { selected_repository_ids: [...(variable.repositoryIds ?? [])] }
      : {}),
  };
  const updated = await api.send('PATCH', `${base}/${encodeURIComponent(variable.name)}`, body);
  if (updated.status !== 404) return 'updated';
  const created = await api.send('POST', base, body);
  if (created.status === 404) {
    throw new ApiError(
      `POST ${base} answered 404: no organization ${org}, or the token may not write its variables (the organization permission "Variables: read and write").`,
      404,
    );
  }
  return 'created';
}

/** Writes one repository variable (`owner/name`); returns 'updated' or 'created'. */
export async function writeRepoVariable(
  api: GitHubApi,
  repo: string,
  variable: { name: string; value: string },
): Promise<'updated' | 'created'> {
  const base = `/repos/${repoPath(repo)}/actions/variables`;
  const body = { name: variable.name, value: variable.value };
  const updated = await api.send('PATCH', `${base}/${encodeURIComponent(variable.name)}`, body);
  if (updated.status !== 404) return 'updated';
  const created = await api.send('POST', base, body);
  if (created.status === 404) {
    throw new ApiError(
      `POST ${base} answered 404: no repository ${repo}, or the token may not write its variables (the repository permission "Variables: read and write"; GITHUB_TOKEN cannot).`,
      404,
    );
  }
  return 'created';
}
