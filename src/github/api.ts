/**
 * The fleet's one door to the REST API: every call goes through ./request.ts's policy (a
 * timeout per attempt, a time budget, bounded retries that honour a short Retry-After or
 * rate-limit reset, which is the secondary-limit back-off), and through a request budget that
 * stops the run, clearly, before the token's primary limit runs dry. Conditional GETs send the
 * ETag they were given; a 304 answer costs no primary rate limit, so it is not charged.
 */
import { getOctokit } from '@actions/github';
import { Budget, OutOfTime, type PolicyOptions, TimedOut } from './request.js';

export interface ApiAnswer {
  status: number;
  data: unknown;
  etag?: string;
  /** The `link` header, for pagination. */
  link?: string;
}

/** What the fleet's clients need of the API; a loopback fake serves it in tests. */
export interface GitHubApi {
  /** A GET; with `etag`, a 304 comes back as `{ status: 304 }` instead of an error. */
  get(path: string, query?: Record<string, string | number>, etag?: string): Promise<ApiAnswer>;
  send(
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
  ): Promise<ApiAnswer>;
  /** Requests charged so far (304s excluded), and the answers that were 304. */
  readonly stats: { charged: number; notModified: number };
}

/** The run stopped before the token's primary limit ran out, or at the request budget. */
export class RateLimitStop extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RateLimitStop';
  }
}

/** An API failure in words that name the request, never the token. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  token: string;
  baseUrl?: string;
  /** The whole run's time budget, in seconds. */
  budgetSeconds: number;
  /** The most requests one run may charge (the primary-limit budget). */
  maxRequests: number;
  /** Stop when the token has this many requests or fewer left this hour. */
  keepRemaining?: number;
  retryBaseMs?: number;
  policy?: Omit<PolicyOptions, 'budgetMs' | 'retryBaseMs'>;
}

const HEADERS = { 'X-GitHub-Api-Version': '2022-11-28' };
/** Requests left in the hour below which the run stops, so other automations keep some. */
export const KEEP_REMAINING = 100;

interface Failure {
  status?: number;
  response?: { headers?: Record<string, string | undefined> };
}

const query = (params: Record<string, string | number> = {}) => {
  const pairs = Object.entries(params).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
  );
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
};

/** The API over @actions/github's client, with no retry or throttling plugin of its own. */
export function createApi(options: ApiOptions): GitHubApi {
  const octokit = getOctokit(options.token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  const budget = new Budget({
    ...options.policy,
    budgetMs: options.budgetSeconds * 1000,
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
  });
  const keep = options.keepRemaining ?? KEEP_REMAINING;
  const stats = { charged: 0, notModified: 0 };
  let remaining: { left: number; reset: number } | undefined;

  const charge = (what: string) => {
    if (stats.charged >= options.maxRequests) {
      throw new RateLimitStop(
        `Stopped before ${what}: the run has made ${stats.charged} requests, its budget (fleet.max-requests in the config). Nothing was written; raise the budget or shrink the fleet.`,
      );
    }
    if (remaining && remaining.left <= keep) {
      const at = new Date(remaining.reset * 1000).toISOString();
      throw new RateLimitStop(
        `Stopped before ${what}: the token has ${remaining.left} requests left this hour (the run keeps ${keep} for other automations; the limit resets at ${at}). Nothing was written; run again after the reset, or use a GitHub App, whose limit is higher.`,
      );
    }
    stats.charged++;
  };
  const note = (headers: Record<string, string | number | undefined> | undefined) => {
    const left = Number(headers?.['x-ratelimit-remaining']);
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (Number.isFinite(left) && Number.isFinite(reset)) remaining = { left, reset };
  };
  const explain = (error: unknown, what: string): Error => {
    if (error instanceof RateLimitStop) return error;
    if (error instanceof OutOfTime) {
      const last = error.last as Failure | undefined;
      const status = last instanceof TimedOut ? undefined : last?.status;
      return new ApiError(
        `${what} got no answer${status ? ` (last answer ${status})` : ''}: ${error.message}.`,
        status,
      );
    }
    if (error instanceof TimedOut) return new ApiError(`${what}: ${error.message}.`);
    const status = (error as Failure).status;
    if (status === 401) {
      return new ApiError(
        `${what} was refused (401): the token is invalid or expired; see docs/permissions.md.`,
        401,
      );
    }
    const why = error instanceof Error ? error.message : String(error);
    return new ApiError(`${what} failed (${status ?? 'no answer'}): ${why.slice(0, 300)}`, status);
  };

  return {
    stats,
    async get(path, params, etag) {
      const url = `${path}${query(params)}`;
      const what = `GET ${url}`;
      try {
        const answer = await budget.run((signal) => {
          // Each attempt is a request, so each is charged (a 304 is given back below).
          charge(what);
          return octokit.request({
            method: 'GET',
            url,
            headers: { ...HEADERS, ...(etag ? { 'if-none-match': etag } : {}) },
            request: { signal },
          });
        });
        note(answer.headers);
        return {
          status: answer.status,
          data: answer.data,
          ...(answer.headers.etag ? { etag: answer.headers.etag } : {}),
          ...(answer.headers.link ? { link: answer.headers.link } : {}),
        };
      } catch (error) {
        const failure = error as Failure;
        if (failure.status === 304) {
          // Not charged against the primary limit: give the request back.
          stats.charged--;
          stats.notModified++;
          note(failure.response?.headers);
          return { status: 304, data: undefined, ...(etag ? { etag } : {}) };
        }
        if (failure.status === 404) {
          note(failure.response?.headers);
          return { status: 404, data: undefined };
        }
        throw explain(error, what);
      }
    },
    async send(method, path, body) {
      const what = `${method} ${path}`;
      try {
        const answer = await budget.run((signal) => {
          charge(what);
          return octokit.request({
            method,
            url: path,
            headers: HEADERS,
            data: body,
            request: { signal },
          });
        });
        note(answer.headers);
        return { status: answer.status, data: answer.data };
      } catch (error) {
        const failure = error as Failure;
        if (failure.status === 404) return { status: 404, data: undefined };
        throw explain(error, what);
      }
    },
  };
}

/** `owner/name` as a URL path, each part encoded. */
export const repoPath = (repo: string) =>
  repo
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');

/** Whether a link header names a next page. */
export const hasNext = (link: string | undefined) => !!link && /rel="next"/.test(link);
