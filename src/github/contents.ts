/** A repository's file through the contents API, conditional on the ETag of the last read. */
import { decodeText } from '../text.js';
import { ApiError, type GitHubApi, repoPath } from './api.js';

/** The largest config the fleet reads; the contents API inlines files up to 1 MB. */
export const MAX_FILE_BYTES = 256 * 1024;

export type FileRead =
  | { kind: 'file'; text: string; etag?: string }
  | { kind: 'unchanged' }
  | { kind: 'missing' };

/** Reads `path` of `repo` on its default branch; 'unchanged' when the ETag still matches. */
export async function readRepoFile(
  api: GitHubApi,
  repo: string,
  path: string,
  etag?: string,
): Promise<FileRead> {
  const url = `/repos/${repoPath(repo)}/contents/${path.split('/').map(encodeURIComponent).join('/')}`;
  const answer = await api.get(url, {}, etag);
  if (answer.status === 304) return { kind: 'unchanged' };
  if (answer.status === 404) return { kind: 'missing' };
  const data = answer.data as {
    type?: unknown;
    encoding?: unknown;
    content?: unknown;
    size?: unknown;
  };
  const where = `${repo}:${path}`;
  if (data?.type !== 'file' || data.encoding !== 'base64' || typeof data.content !== 'string') {
    throw new ApiError(
      `The contents API answer for ${where} is not a file with base64 content; expected the orchestrator config file.`,
    );
  }
  const bytes = Buffer.from(data.content, 'base64');
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ApiError(
      `${where} is ${bytes.length} bytes; a config may be at most ${MAX_FILE_BYTES}.`,
    );
  }
  return {
    kind: 'file',
    text: decodeText(bytes, where),
    ...(answer.etag ? { etag: answer.etag } : {}),
  };
}
