import { afterEach, describe, expect, it } from 'vitest';
import { BillingError, readBillingUsage, usageQueries } from '../../src/github/billing.js';
import type { BillingEntity, Unit } from '../../src/inputs.js';
import { periodFor } from '../../src/usage/period.js';
import {
  type Answer,
  type FakeGitHub,
  type Handler,
  startFakeGitHub,
} from '../helpers/fake-github.js';

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
    budgetSeconds?: number;
    policy?: { attempts?: number; attemptTimeoutMs?: number; longestWaitMs?: number };
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
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
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

  it('retries server errors with backoff, and gives up after three attempts', async () => {
    let calls = 0;
    const flaky: Handler = (r) =>
      r.path !== '/user' && ++calls <= 2 ? { status: 502, body: {} } : undefined;
    expect((await read({ handler: flaky })).used).toBe(300.5);
    await github?.close();
    github = undefined;
    const down = await failure(() =>
      read({ handler: (r) => (r.path === '/user' ? undefined : { status: 503, body: {} }) }),
    );
    expect(down.message).toMatch(/did not answer .*\(503\) after 3 attempts/);
    expect(seen().filter((r) => r.path !== '/user')).toHaveLength(3);
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

/** Answers every usage request with `answer`; GET /user as recorded. */
const usageAnswers =
  (answer: Answer): Handler =>
  (r) =>
    r.path === '/user' ? undefined : answer;
const usageRequests = () => seen().filter((r) => r.path !== '/user').length;
const items = (...list: unknown[]) => ({ status: 200, body: { usageItems: list } });

describe('readBillingUsage: one bounded request policy', () => {
  it.each([
    ['before the headers', 'before-headers'],
    ['in the middle of the body', 'mid-body'],
  ] as const)('gives up on a server that stops %s, at the end of the budget', async (_, hang) => {
    // An entity is named, so the only request is the one that stops.
    const error = await failure(() =>
      read({
        entity: { kind: 'org', name: 'acme' },
        handler: usageAnswers({ status: 200, hang }),
        budgetSeconds: 0.5,
      }),
    );
    expect(error.message).toMatch(
      /did not answer for org:acme: no answer within the 0\.5 s budget; the billing-timeout input sets the budget/,
    );
    // The one attempt ran into the end of the budget: nothing left to retry in.
    expect(usageRequests()).toBe(1);
  });

  it('retries an attempt that times out, up to the number of attempts', async () => {
    const error = await failure(() =>
      read({
        handler: usageAnswers({ status: 200, hang: 'before-headers' }),
        budgetSeconds: 30,
        policy: { attemptTimeoutMs: 50 },
      }),
    );
    expect(error.message).toMatch(/no answer within 0\.05 s, 3 times/);
    expect(usageRequests()).toBe(3);
  });

  it.each([
    ['3600', 'asked to wait 3600 s, longer than the longest wait honoured (30 s)'],
    // 15 s would be honoured, but not with 2 s left of the budget.
    ['15', 'asked to wait 15 s, longer than what is left of the 2 s budget'],
  ])('does not wait out a Retry-After of %s s that does not fit', async (after, why) => {
    const error = await failure(() =>
      read({
        handler: usageAnswers({ status: 429, headers: { 'retry-after': after } }),
        budgetSeconds: 2,
      }),
    );
    expect(error.message).toContain(why);
    expect(error.status).toBe(429);
    expect(usageRequests()).toBe(1);
  });

  it('stops at the number of attempts when every answer is a 429', async () => {
    const error = await failure(() =>
      read({ handler: usageAnswers({ status: 429, headers: { 'retry-after': '0' } }) }),
    );
    expect(error.message).toMatch(/\(429\) after 3 attempts/);
    expect(usageRequests()).toBe(3);
  });

  it('honours a short Retry-After as an HTTP date, and a 403 rate limit until its reset', async () => {
    let n = 0;
    const handler: Handler = (r): Answer | undefined => {
      if (r.path === '/user') return undefined;
      n++;
      if (n === 1) {
        return { status: 429, headers: { 'retry-after': new Date(Date.now()).toUTCString() } };
      }
      if (n === 2) {
        const reset = String(Math.floor(Date.now() / 1000));
        return {
          status: 403,
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
          body: { message: 'API rate limit exceeded' },
        };
      }
      return undefined;
    };
    expect((await read({ handler, budgetSeconds: 10 })).used).toBe(300.5);
    expect(usageRequests()).toBe(3);
  });

  it('does not wait for a 403 rate limit that resets in an hour', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    const error = await failure(() =>
      read({
        handler: usageAnswers({
          status: 403,
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        }),
      }),
    );
    expect(error.message).toMatch(
      /the server asked to wait 3\d{3} s, longer than the longest wait honoured/,
    );
    expect(usageRequests()).toBe(1);
  });

  it('retries a refused connection, then says what failed', async () => {
    const closed = await startFakeGitHub({ token: TOKEN });
    await closed.close();
    const error = await failure(() =>
      readBillingUsage({
        token: TOKEN,
        entity: { kind: 'org', name: 'acme' },
        unit: 'ai-credits',
        product: 'copilot',
        period: periodFor(NOW, 1),
        now: NOW,
        baseUrl: closed.url,
        retryBaseMs: 1,
      }),
    );
    expect(error.message).toMatch(
      /^Could not reach the billing API at http:\/\/127\.0\.0\.1:\d+ for org:acme after 3 attempts: .*ECONNREFUSED/,
    );
  });

  it('quotes at most 300 characters of a server message', async () => {
    const error = await failure(() =>
      read({ handler: usageAnswers({ status: 422, body: { message: 'x'.repeat(5000) } }) }),
    );
    expect(error.message).toMatch(/: x{300}…$/);
  });
});

describe('readBillingUsage: every field of the answer is checked', () => {
  it.each([
    [
      'a negative quantity',
      items({ product: 'Copilot', grossQuantity: -500 }),
      'usageItems[0].grossQuantity = -500; expected a finite number of 0 or more',
    ],
    [
      'a quantity as text',
      items({ product: 'Copilot', grossQuantity: '12' }),
      'usageItems[0].grossQuantity = "12"',
    ],
    ['no quantity', items({ product: 'copilot' }), 'usageItems[0].grossQuantity = undefined'],
    [
      'a product that is not text',
      items({ product: 7, grossQuantity: 1 }),
      'usageItems[0].product = 7; expected a product name',
    ],
    ['an item that is not an object', items(null), 'usageItems[0] = null; expected an object'],
    [
      'a unit type that is not text',
      items({ product: 'Copilot', unitType: 3, grossQuantity: 1 }),
      'usageItems[0].unitType = 3',
    ],
    [
      'usageItems that is not a list',
      { status: 200, body: { usageItems: { a: 1 } } },
      'has no usageItems list',
    ],
    ['an answer that is not an object', { status: 200, body: 'oops' }, 'has no usageItems list'],
  ] as const)('refuses %s, naming the field', async (_, answer, message) => {
    const error = await failure(() => read({ handler: usageAnswers(answer) }));
    expect(error.message).toContain('The billing API answer for user:octo (2025-11)');
    expect(error.message).toContain(message);
  });

  it('refuses quantities whose sum overflows, within one answer and across days', async () => {
    const huge = { product: 'Copilot', grossQuantity: 1.7e308 };
    const one = await failure(() => read({ handler: usageAnswers(items(huge, huge)) }));
    expect(one.message).toMatch(/sum is not a finite number \(at usageItems\[1\]\.grossQuantity\)/);
    await github?.close();
    github = undefined;
    const days = await failure(() => read({ resetDay: 5, handler: usageAnswers(items(huge)) }));
    expect(days.message).toMatch(/sums to more than a number can hold/);
  });

  it('ignores other products whatever their quantities look like', async () => {
    const usage = await read({
      handler: usageAnswers(
        items({ product: 'Actions', grossQuantity: -1 }, { product: 'Copilot', grossQuantity: 2 }),
      ),
    });
    expect(usage.used).toBe(2);
  });

  it.each([['octo\n::add-mask::x'], ['a b'], [''], [42]])(
    'refuses a login of %j from GET /user',
    async (login) => {
      const error = await failure(() =>
        read({
          handler: (r) => (r.path === '/user' ? { status: 200, body: { login } } : undefined),
        }),
      );
      expect(error.message).toContain(`GET /user has login = ${JSON.stringify(login)}`);
      expect(error.message).not.toContain('\n');
      expect(usageRequests()).toBe(0);
    },
  );
});
