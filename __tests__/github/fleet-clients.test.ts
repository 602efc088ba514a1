/** The fleet's API clients against a loopback fake organization: real HTTP, no mocked fetch. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApi, RateLimitStop } from '../../src/github/api.js';
import { readRepoFile } from '../../src/github/contents.js';
import { repoId, reposWithTopic } from '../../src/github/repos.js';
import { countRuns } from '../../src/github/runs.js';
import { readSeats } from '../../src/github/seats.js';
import { writeOrgVariable, writeRepoVariable } from '../../src/github/variables.js';
import { type FakeOrg, type FakeRepo, repoConfig, startFakeOrg } from '../helpers/fake-org.mjs';

const runs = (n: number, event = 'schedule') =>
  Array.from({ length: n }, (_, i) => ({
    event,
    created_at: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 60_000).toISOString(),
  }));
const SINCE = new Date('2026-12-01T00:00:00Z');
let fake: FakeOrg | undefined;
afterEach(() => fake?.close());

const start = async (repos: FakeRepo[], extra: Parameters<typeof startFakeOrg>[0] = {}) => {
  fake = await startFakeOrg({ token: 't', repos, ...extra });
  return {
    fake,
    api: createApi({
      token: 't',
      baseUrl: fake.url,
      budgetSeconds: 20,
      maxRequests: 1000,
      retryBaseMs: 10,
    }),
  };
};

describe('the contents client', () => {
  it('reads a file, then asks conditionally and gets a 304 that is not charged', async () => {
    const { api, fake } = await start([{ name: 'acme/web', id: 1, config: repoConfig(['a.yml']) }]);
    const first = await readRepoFile(api, 'acme/web', '.github/orchestrator.yml');
    expect(first.kind).toBe('file');
    if (first.kind !== 'file') return;
    expect(first.text).toContain('a.yml:');
    const again = await readRepoFile(api, 'acme/web', '.github/orchestrator.yml', first.etag);
    expect(again).toEqual({ kind: 'unchanged' });
    expect(fake.seen.at(-1)?.headers['if-none-match']).toBe(first.etag);
    expect(api.stats).toEqual({ charged: 1, notModified: 1 });
    expect(await readRepoFile(api, 'acme/gone', '.github/orchestrator.yml')).toEqual({
      kind: 'missing',
    });
  });
});

describe('the runs client', () => {
  it('counts runs over pages of 100 since the period start, and a 304 keeps the counts', async () => {
    const { api, fake } = await start([
      {
        name: 'acme/web',
        id: 1,
        runs: { 'a.yml': [...runs(230), ...runs(20, 'workflow_dispatch')] },
      },
    ]);
    const count = await countRuns(api, 'acme/web', 'a.yml', SINCE);
    expect(count).toMatchObject({ runs: 250, unscheduled: 20, capped: false, pages: 3 });
    const pages = fake.seen.filter((r) => r.path.endsWith('/runs'));
    expect(pages.map((r) => r.query)).toEqual(
      [1, 2, 3].map((page) => ({
        created: '>=2026-12-01T00:00:00+00:00',
        per_page: '100',
        page: String(page),
      })),
    );
    const again = await countRuns(api, 'acme/web', 'a.yml', SINCE, count);
    expect(again).toMatchObject({ runs: 250, unscheduled: 20, pages: 0 });
    expect(api.stats).toEqual({ charged: 3, notModified: 1 });
  });

  it('stops at GitHub’s 1,000-run cap and says the count is a lower bound', async () => {
    const { api } = await start([{ name: 'acme/web', id: 1, runs: { 'a.yml': runs(1200) } }]);
    expect(await countRuns(api, 'acme/web', 'a.yml', SINCE)).toMatchObject({
      runs: 1000,
      capped: true,
      pages: 10,
    });
  });

  it('names a workflow the API does not know', async () => {
    const { api } = await start([{ name: 'acme/web', id: 1, runs: {} }]);
    await expect(countRuns(api, 'acme/web', 'nope.yml', SINCE)).rejects.toThrow(
      /acme\/web has no workflow nope\.yml/,
    );
  });
});

describe('the request budget', () => {
  it('stops clearly before the token runs dry, keeping requests for others', async () => {
    const { fake } = await start([{ name: 'acme/web', id: 1, runs: { 'a.yml': runs(5) } }], {
      limit: 103,
    });
    const api = createApi({ token: 't', baseUrl: fake.url, budgetSeconds: 20, maxRequests: 1000 });
    await repoId(api, 'acme/web');
    await repoId(api, 'acme/web');
    await repoId(api, 'acme/web');
    // 100 left: the next request would eat into what the run keeps for other automations.
    await expect(repoId(api, 'acme/web')).rejects.toThrow(RateLimitStop);
    await expect(repoId(api, 'acme/web')).rejects.toThrow(
      /the token has 100 requests left this hour .* Nothing was written/,
    );
    expect(fake.seen).toHaveLength(3);
  });

  it('stops at the run’s own request budget', async () => {
    const { fake } = await start([{ name: 'acme/web', id: 1 }]);
    const api = createApi({ token: 't', baseUrl: fake.url, budgetSeconds: 20, maxRequests: 2 });
    await repoId(api, 'acme/web');
    await repoId(api, 'acme/web');
    await expect(repoId(api, 'acme/web')).rejects.toThrow(/its budget \(fleet\.max-requests/);
    expect(fake.seen).toHaveLength(2);
  });

  it('backs off a secondary rate limit for the wait it names, then goes on', async () => {
    let refused = 0;
    const { api, fake } = await start([{ name: 'acme/web', id: 7 }], {
      handler: (r) => {
        if (r.path === '/repos/acme/web' && refused < 1) {
          refused++;
          return {
            status: 403,
            body: { message: 'You have exceeded a secondary rate limit' },
            headers: { 'retry-after': '1' },
          };
        }
        return undefined;
      },
    });
    expect(await repoId(api, 'acme/web')).toBe(7);
    expect(fake.seen).toHaveLength(2);
    expect(api.stats.charged).toBe(2);
  });

  it('gives up when the asked wait is longer than the policy honours', async () => {
    const { api } = await start([{ name: 'acme/web', id: 7 }], {
      handler: () => ({
        status: 403,
        body: { message: 'secondary rate limit' },
        headers: { 'retry-after': '3600' },
      }),
    });
    await expect(repoId(api, 'acme/web')).rejects.toThrow(
      /GET \/repos\/acme\/web got no answer \(last answer 403\): the server asked to wait 3600 s/,
    );
  });
});

describe('the variables, seats and repositories clients', () => {
  it('creates a variable the first time and updates it after', async () => {
    const { api, fake } = await start([]);
    const write = {
      name: 'PLAN',
      value: '{"a":1}',
      visibility: 'selected' as const,
      repositoryIds: [4, 5],
    };
    expect(await writeOrgVariable(api, 'acme', write)).toBe('created');
    expect(await writeOrgVariable(api, 'acme', { ...write, value: '{"a":2}' })).toBe('updated');
    expect(fake.variables.get('PLAN')).toEqual({
      name: 'PLAN',
      value: '{"a":2}',
      visibility: 'selected',
      selected_repository_ids: [4, 5],
    });
    expect(fake.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /orgs/acme/actions/variables/PLAN',
      'POST /orgs/acme/actions/variables',
      'PATCH /orgs/acme/actions/variables/PLAN',
    ]);
  });

  it('writes a repository variable: creates it, then updates it, retrying a 502', async () => {
    let failOnce = true;
    const { api, fake } = await start([{ name: 'solo/app', id: 7 }], {
      handler: (r) => {
        if (r.method === 'PATCH' && failOnce && fake?.repoVariables.size === 1) {
          failOnce = false;
          return { status: 502, body: { message: 'Bad Gateway' } };
        }
        return undefined;
      },
    });
    expect(await writeRepoVariable(api, 'solo/app', { name: 'PLAN', value: '1' })).toBe('created');
    expect(await writeRepoVariable(api, 'solo/app', { name: 'PLAN', value: '2' })).toBe('updated');
    expect(fake.repoVariables.get('solo/app/PLAN')).toEqual({ name: 'PLAN', value: '2' });
    expect(fake.seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PATCH /repos/solo/app/actions/variables/PLAN 404',
      'POST /repos/solo/app/actions/variables 201',
      'PATCH /repos/solo/app/actions/variables/PLAN 502',
      'PATCH /repos/solo/app/actions/variables/PLAN 204',
    ]);
    await expect(writeRepoVariable(api, 'solo/none', { name: 'PLAN', value: '1' })).rejects.toThrow(
      'POST /repos/solo/none/actions/variables answered 404: no repository solo/none, or the token may not write its variables (the repository permission "Variables: read and write"; GITHUB_TOKEN cannot).',
    );
  });

  it('reads the seat count in one request', async () => {
    const { api, fake } = await start([], { seats: 42 });
    expect(await readSeats(api, 'acme')).toBe(42);
    expect(fake.seen).toHaveLength(1);
  });

  it('lists the organization’s repositories with a topic over pages', async () => {
    const repos = Array.from({ length: 230 }, (_, i) => ({
      name: `acme/r${i}`,
      id: 100 + i,
      topics: i % 3 === 0 ? ['paced'] : ['other'],
    }));
    const { api, fake } = await start(repos);
    const found = await reposWithTopic(api, 'acme', 'paced');
    expect(found).toHaveLength(77);
    expect(found[1]).toEqual({ repo: 'acme/r3', id: 103 });
    expect(fake.seen).toHaveLength(3);
  });
});
