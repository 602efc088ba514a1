/** A fake GitHub REST API on loopback, answering the billing endpoints from recorded responses. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './run-action.js';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A server that stops: before the headers, or after the headers and part of the body. */
  hang?: 'before-headers' | 'mid-body';
}

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
}

/** Decides the answer to a request; undefined falls through to the recorded responses. */
export type Handler = (request: SeenRequest) => Answer | undefined;

export interface FakeGitHub {
  url: string;
  seen: SeenRequest[];
  close: () => Promise<void>;
}

/** A recorded response, from __tests__/fixtures/billing. */
export function recorded(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, '__tests__/fixtures/billing', `${name}.json`), 'utf8'));
}

const BILLING =
  /^\/(users|organizations|enterprises)\/([^/]+)\/settings\/billing\/(ai_credit|premium_request)\/usage$/;

/**
 * Starts the server. Requests need `Authorization: Bearer <token>` (else 401); `GET /user`
 * answers with `login`; billing requests for a whole month answer with the recorded response
 * `<segment>-<unit>-<year>-<month>` when there is one, else an empty usage list.
 */
export async function startFakeGitHub(
  options: { token: string; login?: string; handler?: Handler } = { token: 't' },
): Promise<FakeGitHub> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
    };
    seen.push(request);
    const answer = options.handler?.(request) ?? defaultAnswer(request, options);
    if (answer.hang === 'before-headers') return;
    if (answer.hang === 'mid-body') {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.write('{"usageItems": [');
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A connection left hanging on purpose would keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

function defaultAnswer(request: SeenRequest, options: { token: string; login?: string }): Answer {
  if (
    request.headers.authorization !== `token ${options.token}` &&
    request.headers.authorization !== `Bearer ${options.token}`
  ) {
    return { status: 401, body: { message: 'Bad credentials' } };
  }
  if (request.path === '/user') return { status: 200, body: { login: options.login ?? 'octo' } };
  const match = BILLING.exec(request.path);
  if (!match) return { status: 404, body: { message: 'Not Found' } };
  const [, segment, name, unit] = match;
  const { year, month, day } = request.query;
  if (!day) {
    try {
      return { status: 200, body: recorded(`${segment}-${unit}-${year}-${month}`) };
    } catch {
      // No recording for that month: no usage.
    }
  }
  return {
    status: 200,
    body: {
      timePeriod: { year: Number(year), month: Number(month) },
      [segment === 'users' ? 'user' : segment === 'organizations' ? 'organization' : 'enterprise']:
        name,
      usageItems: [],
    },
  };
}
