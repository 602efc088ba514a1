/**
 * Usage from GitHub's billing API (AI credits or premium requests). Loaded only when a token is
 * given, so a run without one never pays for the API client's start.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { BillingEntity, Unit } from '../inputs.js';
import { DAY_MS, type Period } from '../usage/period.js';

export interface BillingRequest {
  token: string;
  entity: BillingEntity | undefined;
  unit: Unit;
  product: string;
  period: Period;
  now: Date;
  /** API root; @actions/github reads GITHUB_API_URL (set on GitHub Enterprise Server) when unset. */
  baseUrl?: string;
  /** First retry delay in ms (1 s, then 4 s, 9 s); tests shorten it. */
  retryBaseMs?: number;
}

export interface BillingUsage {
  used: number;
  /** `user:NAME`, `org:NAME` or `enterprise:NAME`. */
  entity: string;
  /** How many usage queries were made (one per month, or one per day of the period). */
  queries: number;
}

/** A failure with a message that says what to do; never holds the token. */
export class BillingError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

const HEADERS = { 'X-GitHub-Api-Version': '2022-11-28' };
const SEGMENT: Record<BillingEntity['kind'], string> = {
  user: 'users',
  org: 'organizations',
  enterprise: 'enterprises',
};
const UNIT_PATH: Record<Unit, string> = {
  'ai-credits': 'ai_credit',
  'premium-requests': 'premium_request',
};

/** What a 403 or 404 means for each kind of entity. */
const ACCESS_HINT: Record<BillingEntity['kind'], string> = {
  user: "the user endpoint needs a fine-grained token of that user with the account permission 'Plan: read'",
  org: "the organization endpoint needs a token of an organization owner or billing manager (fine-grained: the organization permission 'Administration: read')",
  enterprise:
    'the enterprise endpoint needs a classic token of an enterprise owner or billing manager',
};

interface UsageItem {
  product?: unknown;
  grossQuantity?: unknown;
}

/** The queries that cover a period up to now: a whole month when the period is one, else days. */
export function usageQueries(
  period: Period,
  now: Date,
): { year: number; month: number; day?: number }[] {
  const start = period.start;
  const wholeMonth =
    start.getUTCDate() === 1 &&
    period.end.getUTCDate() === 1 &&
    (period.end.getUTCMonth() - start.getUTCMonth() + 12) % 12 === 1;
  if (wholeMonth) return [{ year: start.getUTCFullYear(), month: start.getUTCMonth() + 1 }];
  const queries: { year: number; month: number; day: number }[] = [];
  const last = Math.min(now.getTime(), period.end.getTime() - 1);
  for (let t = start.getTime(); t <= last; t += DAY_MS) {
    const d = new Date(t);
    queries.push({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
  }
  return queries;
}

function explain(error: unknown, entity: BillingEntity, apiUrl: string): BillingError {
  const status = (error as { status?: number }).status;
  const who = `${entity.kind}:${entity.name}`;
  if (status === 401) {
    return new BillingError(
      'The billing API refused the token (401): it is invalid or expired. Create a new token (see docs/permissions.md) and update the secret.',
      401,
    );
  }
  if (status === 403 || status === 404) {
    return new BillingError(
      `The billing API answered ${status} for ${who}: the token may not read its billing usage; ${ACCESS_HINT[entity.kind]}. The default GITHUB_TOKEN cannot read billing (see docs/permissions.md).`,
      status,
    );
  }
  if (status === 429 || (status !== undefined && status >= 500)) {
    return new BillingError(
      `The billing API did not answer for ${who} (${status}) after retries with backoff; try again later.`,
      status,
    );
  }
  const why = error instanceof Error ? error.message : String(error);
  return new BillingError(`Could not read billing usage for ${who} from ${apiUrl}: ${why}`, status);
}

/** Sums the gross quantity of the product's usage items over the current period. */
export async function readBillingUsage(request: BillingRequest): Promise<BillingUsage> {
  const octokit = getOctokit(
    request.token,
    {
      ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
      retry: { retryAfterBaseValue: request.retryBaseMs ?? 1000 },
      throttle: {
        // Retry a rate-limited request up to twice, after the wait GitHub asks for.
        onRateLimit: (_after: number, _options: unknown, _octokit: unknown, retryCount: number) =>
          retryCount < 2,
        onSecondaryRateLimit: (
          _after: number,
          _options: unknown,
          _octokit: unknown,
          retryCount: number,
        ) => retryCount < 2,
      },
    },
    retry,
    throttling,
  );
  const apiUrl = request.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
  let entity = request.entity;
  try {
    if (!entity) {
      const { data } = await octokit.request('GET /user', { headers: HEADERS });
      entity = { kind: 'user', name: data.login };
    }
  } catch (error) {
    throw explain(error, { kind: 'user', name: '(the token owner)' }, apiUrl);
  }
  const route = `GET /${SEGMENT[entity.kind]}/{name}/settings/billing/${UNIT_PATH[request.unit]}/usage`;
  const product = request.product.toLowerCase();
  const queries = usageQueries(request.period, request.now);
  let used = 0;
  for (const query of queries) {
    let items: unknown;
    try {
      const { data } = await octokit.request(route, {
        name: entity.name,
        ...(entity.member ? { user: entity.member } : {}),
        ...query,
        headers: HEADERS,
      });
      items = (data as { usageItems?: unknown }).usageItems;
    } catch (error) {
      throw explain(error, entity, apiUrl);
    }
    if (!Array.isArray(items)) {
      throw new BillingError(
        `The billing API answer for ${entity.kind}:${entity.name} has no usageItems list`,
      );
    }
    for (const item of items as UsageItem[]) {
      if (String(item.product ?? '').toLowerCase() !== product) continue;
      if (typeof item.grossQuantity !== 'number' || !Number.isFinite(item.grossQuantity)) {
        throw new BillingError(
          `The billing API answer has a usage item without a numeric grossQuantity`,
        );
      }
      used += item.grossQuantity;
    }
  }
  const who = `${entity.kind}:${entity.name}${entity.member ? `/${entity.member}` : ''}`;
  return { used, entity: who, queries: queries.length };
}
