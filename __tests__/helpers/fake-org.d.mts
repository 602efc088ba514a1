/** Types of fake-org.mjs, the fake organization the fleet's tests and bench share. */
import type { IncomingMessage } from 'node:http';

export interface FakeRun {
  event: string;
  created_at: string;
}

export interface FakeRepo {
  name: string;
  id: number;
  topics?: string[];
  config?: string;
  runs?: Record<string, FakeRun[]>;
}

export interface FakeOrgRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
  status?: number;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeVariable {
  name: string;
  value: string;
  visibility: string;
  selected_repository_ids?: number[];
}

export interface FakeOrg {
  url: string;
  seen: FakeOrgRequest[];
  variables: Map<string, FakeVariable>;
  /** Repository variables, keyed `owner/repo/NAME`. */
  repoVariables: Map<string, { name: string; value: string }>;
  remaining: () => number;
  close: () => Promise<void>;
}

export function startFakeOrg(options: {
  token?: string;
  org?: string;
  repos?: FakeRepo[];
  used?: number;
  seats?: number;
  limit?: number;
  variables?: Record<string, FakeVariable>;
  handler?: (request: FakeOrgRequest) => FakeAnswer | undefined;
}): Promise<FakeOrg>;

export function repoConfig(files: string[], options?: { cost?: number; priority?: number }): string;
