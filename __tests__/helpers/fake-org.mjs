// A fake GitHub organization on loopback, for the fleet's tests and bench/fleet.mjs (plain
// JavaScript, so the bench runs it without a build). It answers the endpoints the control run
// uses: billing usage, Copilot seats, the organization's repositories (with topics), each
// repository, its config through the contents API, its workflow runs, and the organization's
// Actions variables and each repository's. GETs carry ETags and answer 304 to a matching
// If-None-Match without charging the rate limit, as GitHub does; every other answer counts down
// x-ratelimit-remaining.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const etagOf = (body) => `"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;

/**
 * Starts the fake. `repos`: [{ name: 'owner/repo', id, topics, config (text or undefined),
 * runs: { 'file.yml': [{ event, created_at }] } }]. `used`: the pool's usage; `seats`: Copilot
 * seats; `limit`: the primary rate limit; `handler(request)` may answer first (faults).
 */
export async function startFakeOrg(options) {
  const {
    token = 't',
    org = 'acme',
    repos = [],
    used = 0,
    seats = 0,
    limit = 5000,
    handler,
  } = options;
  const variables = new Map(Object.entries(options.variables ?? {}));
  const repoVariables = new Map();
  const seen = [];
  let remaining = limit;
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const byName = new Map(repos.map((r) => [r.name.toLowerCase(), r]));

  const answer = (req, path, query, body) => {
    if (
      req.headers.authorization !== `token ${token}` &&
      req.headers.authorization !== `Bearer ${token}`
    ) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    let m = /^\/organizations\/([^/]+)\/settings\/billing\/ai_credit\/usage$/.exec(path);
    if (m) {
      return {
        status: 200,
        body: { usageItems: [{ product: 'copilot', unitType: 'ai-credits', grossQuantity: used }] },
      };
    }
    if (path === `/orgs/${org}/copilot/billing`) {
      return { status: 200, body: { seat_breakdown: { total: seats, active_this_cycle: seats } } };
    }
    if (path === `/orgs/${org}/repos`) {
      const page = Number(query.page ?? 1);
      const per = Number(query.per_page ?? 30);
      const items = repos
        .slice((page - 1) * per, page * per)
        .map((r) => ({ id: r.id, full_name: r.name, topics: r.topics ?? [], archived: false }));
      const more = page * per < repos.length;
      return {
        status: 200,
        body: items,
        headers: more ? { link: `<${path}?page=${page + 1}>; rel="next"` } : {},
      };
    }
    m = /^\/orgs\/([^/]+)\/actions\/variables(?:\/([^/]+))?$/.exec(path);
    if (m && req.method === 'PATCH') {
      const name = decodeURIComponent(m[2] ?? '');
      if (!variables.has(name)) return { status: 404, body: { message: 'Not Found' } };
      variables.set(name, { ...variables.get(name), ...body });
      return { status: 204 };
    }
    if (m && req.method === 'POST') {
      if (variables.has(body.name)) return { status: 409, body: { message: 'Already exists' } };
      variables.set(body.name, body);
      return { status: 201, body: {} };
    }
    m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      const repo = byName.get(
        `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase(),
      );
      if (!repo) return { status: 404, body: { message: 'Not Found' } };
      const rest = m[3] ?? '';
      if (rest === '') return { status: 200, body: { id: repo.id, full_name: repo.name } };
      // A repository's own Actions variables, keyed owner/repo/NAME in repoVariables.
      const v = /^\/actions\/variables(?:\/([^/]+))?$/.exec(rest);
      if (v && req.method === 'PATCH') {
        const key = `${repo.name}/${decodeURIComponent(v[1] ?? '')}`;
        if (!repoVariables.has(key)) return { status: 404, body: { message: 'Not Found' } };
        repoVariables.set(key, { ...repoVariables.get(key), ...body });
        return { status: 204 };
      }
      if (v && req.method === 'POST' && v[1] === undefined) {
        const key = `${repo.name}/${body?.name}`;
        if (repoVariables.has(key)) return { status: 409, body: { message: 'Already exists' } };
        repoVariables.set(key, body);
        return { status: 201, body: {} };
      }
      if (rest === '/contents/.github/orchestrator.yml') {
        if (repo.config === undefined) return { status: 404, body: { message: 'Not Found' } };
        return {
          status: 200,
          body: {
            type: 'file',
            encoding: 'base64',
            content: Buffer.from(repo.config).toString('base64'),
          },
        };
      }
      const w = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest);
      if (w) {
        const list = repo.runs?.[decodeURIComponent(w[1])];
        if (!list) return { status: 404, body: { message: 'Not Found' } };
        const since = Date.parse(String(query.created ?? '').replace(/^>=/, ''));
        const matching = list.filter((r) => !(Date.parse(r.created_at) < since));
        const page = Number(query.page ?? 1);
        const per = Number(query.per_page ?? 30);
        const items = matching.slice((page - 1) * per, page * per);
        const more = page * per < matching.length;
        return {
          status: 200,
          body: { total_count: matching.length, workflow_runs: items },
          headers: more ? { link: `<${path}?page=${page + 1}>; rel="next"` } : {},
        };
      }
    }
    return { status: 404, body: { message: 'Not Found' } };
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const query = Object.fromEntries(url.searchParams);
      const text = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const request = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        headers: req.headers,
        body,
      };
      seen.push(request);
      const result = handler?.(request) ?? answer(req, url.pathname, query, body);
      const headers = { 'content-type': 'application/json', ...result.headers };
      if (request.method === 'GET' && result.status === 200) {
        headers.etag = etagOf(result.body);
        if (req.headers['if-none-match'] === headers.etag) {
          request.status = 304;
          res.writeHead(304, {
            etag: headers.etag,
            'x-ratelimit-remaining': String(remaining),
            'x-ratelimit-reset': String(reset),
          });
          res.end();
          return;
        }
      }
      if (result.status !== 304) remaining = Math.max(0, remaining - 1);
      headers['x-ratelimit-remaining'] ??= String(remaining);
      headers['x-ratelimit-reset'] ??= String(reset);
      request.status = result.status;
      res.writeHead(result.status, headers);
      res.end(result.body === undefined ? '' : JSON.stringify(result.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    variables,
    repoVariables,
    remaining: () => remaining,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A repository config managing `files`, each between 1 and `fastest` runs a day. */
export function repoConfig(files, { cost = 1, priority = 0 } = {}) {
  return `workflows:\n${files
    .map(
      (f) =>
        `  ${f}:\n    aggressive: '0 */2 * * *'\n    normal: '0 */6 * * *'\n    conservative: '0 9 * * *'\n    cost: ${cost}\n    priority: ${priority}\n`,
    )
    .join('')}`;
}
