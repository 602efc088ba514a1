import { afterEach, describe, expect, it } from 'vitest';
import { BillingError, readBillingUsage, usageQueries } from '../../src/github/billing.js';
import type { BillingEntity, Unit } from '../../src/inputs.js';
import { periodFor } from '../../src/usage/period.js';
import { type FakeGitHub, type Handler, startFakeGitHub } from '../helpers/fake-github.js';

const TOKEN = 'ghp_fakeTokenForTests0123456789';
const NOW = new Date('2025-11-12T00:00:00Z');
let github: FakeGitHub | undefined;

/** Requests the fake GitHub has seen so far. */
const seen = () => github?.seen ?? [];

afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function read(
  options: {
    entity?: BillingEntity;
    unit?: Unit;
    resetDay?: number;
    handler?: Handler;
    token?: string;
  } = {},
) {
  github ??= await startFakeGitHub({ token: TOKEN, handler: options.handler });
  return readBillingUsage({
    token: options.token ?? TOKEN,
    entity: options.entity,
    unit: options.unit ?? 'ai-credits',
    product: 'copilot',
    period: periodFor(NOW, options.resetDay ?? 1),
    now: NOW,
    baseUrl: github.url,
    retryBaseMs: 1,
  });
}

async function failure(run: () => Promise<unknown>): Promise<BillingError> {
  const error = await run().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BillingError);
  expect((error as Error).message).not.toContain(TOKEN);
  return error as BillingError;
}

describe('readBillingUsage against a fake GitHub on loopback', () => {
  it("reads the token owner's AI credits for the month, counting only Copilot items", async () => {
    const usage = await read();
    expect(usage).toEqual({ used: 300.5, entity: 'user:octo', queries: 1 });
    expect(seen().map((r) => `${r.path}?${new URLSearchParams(r.query)}`)).toEqual([
      '/user?',
      '/users/octo/settings/billing/ai_credit/usage?year=2025&month=11',
    ]);
    for (const request of seen()) {
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
      expect(request.headers.authorization).toMatch(/^(token|Bearer) ghp_/);
    }
  });

  it('reads an organization in premium requests, with fractional quantities', async () => {
    const usage = await read({ entity: { kind: 'org', name: 'acme' }, unit: 'premium-requests' });
    expect(usage.used).toBeCloseTo(500, 9);
    expect(usage.entity).toBe('org:acme');
    expect(seen()[0]?.path).toBe('/organizations/acme/settings/billing/premium_request/usage');
  });

  it("narrows an organization's usage to one member", async () => {
    const usage = await read({
      entity: { kind: 'org', name: 'acme', member: 'octo' },
      unit: 'premium-requests',
    });
    expect(usage.entity).toBe('org:acme/octo');
    expect(seen()[0]?.query).toEqual({ year: '2025', month: '11', user: 'octo' });
  });

  it('reads an enterprise, matching the product whatever its case', async () => {
    const usage = await read({ entity: { kind: 'enterprise', name: 'megacorp' } });
    expect(usage).toEqual({ used: 12000, entity: 'enterprise:megacorp', queries: 1 });
  });

  it('sums day by day when the period does not start on the 1st', async () => {
    const handler: Handler = (r) =>
      r.path === '/user'
        ? undefined
        : {
            status: 200,
            body: { usageItems: [{ product: 'Copilot', grossQuantity: Number(r.query.day) }] },
          };
    const usage = await read({ resetDay: 5, handler });
    // Period from Nov 5; up to Nov 12 00:00: days 5..12, quantities 5 + 6 + ... + 12.
    expect(usage.queries).toBe(8);
    expect(usage.used).toBe(5 + 6 + 7 + 8 + 9 + 10 + 11 + 12);
    expect(
      seen()
        .slice(1)
        .map((r) => r.query.day),
    ).toEqual(['5', '6', '7', '8', '9', '10', '11', '12']);
  });

  it('plans one query a month, or one a day across a month boundary', () => {
    expect(usageQueries(periodFor(NOW, 1), NOW)).toEqual([{ year: 2025, month: 11 }]);
    const across = usageQueries(
      periodFor(new Date('2026-01-02T10:00:00Z'), 30),
      new Date('2026-01-02T10:00:00Z'),
    );
    expect(across[0]).toEqual({ year: 2025, month: 12, day: 30 });
    expect(across.at(-1)).toEqual({ year: 2026, month: 1, day: 2 });
    expect(across).toHaveLength(4);
  });

  it('explains a refused token (401) without retrying', async () => {
    const error = await failure(() => read({ token: 'ghp_wrongTokenForTests0000000000' }));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/refused the token \(401\): it is invalid or expired/);
    expect(seen()).toHaveLength(1);
  });

  it.each([
    [
      403,
      { kind: 'org', name: 'acme' },
      /organization owner or billing manager .*Administration: read/,
    ],
    [404, { kind: 'user', name: 'octo' }, /Plan: read/],
    [404, { kind: 'enterprise', name: 'megacorp' }, /classic token of an enterprise owner/],
  ] as const)('explains a %i for %o: which token it needs', async (status, entity, hint) => {
    const error = await failure(() =>
      read({
        entity: { ...entity },
        handler: () => ({ status, body: { message: 'Resource not accessible' } }),
      }),
    );
    expect(error.message).toMatch(hint);
    expect(error.message).toContain('GITHUB_TOKEN cannot read billing');
  });

  it('retries server errors with backoff, and gives up after three retries', async () => {
    let calls = 0;
    const flaky: Handler = (r) =>
      r.path !== '/user' && ++calls <= 2 ? { status: 502, body: {} } : undefined;
    expect((await read({ handler: flaky })).used).toBe(300.5);
    await github?.close();
    github = undefined;
    const down = await failure(() =>
      read({ handler: (r) => (r.path === '/user' ? undefined : { status: 503, body: {} }) }),
    );
    expect(down.message).toMatch(/did not answer .*\(503\) after retries/);
    expect(seen().filter((r) => r.path !== '/user')).toHaveLength(4);
  });

  it('waits out a rate limit (429) and then reads', async () => {
    let limited = 0;
    const handler: Handler = (r) =>
      r.path !== '/user' && limited++ === 0
        ? {
            status: 429,
            body: { message: 'API rate limit exceeded' },
            headers: { 'retry-after': '0', 'x-ratelimit-remaining': '0' },
          }
        : undefined;
    expect((await read({ handler })).used).toBe(300.5);
    expect(seen().filter((r) => r.path !== '/user')).toHaveLength(2);
  });

  it('refuses an answer that is not a usage report', async () => {
    const error = await failure(() =>
      read({
        handler: (r) => (r.path === '/user' ? undefined : { status: 200, body: { nothing: 1 } }),
      }),
    );
    expect(error.message).toContain('has no usageItems list');
  });
});
