/**
 * The `fleet:` section of a control repository's config: which repositories share the pool
 * (listed, or an organization's repositories with a topic), each one's priority and floor, who
 * may read the plan variable, and the run's request budget. Problems come as the schedule
 * config's do: file:line, every one listed.
 */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Visibility } from '../github/variables.js';
import { resolveInWorkspace } from '../paths.js';
import { FileProblems } from '../schedule/config.js';
import { readTextFile } from '../text.js';

export interface FleetEntry {
  /** `owner/name`. */
  repo: string;
  /** Higher keeps its rates longest when the pool is short; default 0. */
  priority: number;
  /** The share of the pool (0-1) kept for this repository's workflows, when set. */
  floorShare?: number;
  line: number;
}

export interface FleetConfig {
  /** Whose variable the plan is, and (by default) whose billing is the pool. */
  organization: string;
  /** Listed repositories; with `topic`, they add their settings to the ones found. */
  repositories: FleetEntry[];
  topic?: string;
  visibility: Visibility;
  maxRequests: number;
  /** Seconds the whole gathering may take, retries included. */
  timeoutSeconds: number;
}

export const FLEET_KEYS = [
  'organization',
  'repositories',
  'topic',
  'visibility',
  'max-requests',
  'timeout',
];
const ENTRY_KEYS = ['repo', 'priority', 'floor'];
export const DEFAULT_MAX_REQUESTS = 5000;
export const DEFAULT_TIMEOUT_SECONDS = 900;
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;
const VISIBILITIES: readonly Visibility[] = ['selected', 'all', 'private'];

/**
 * Whether the config at `path` (in the workspace) has a fleet section; false when it cannot
 * be read, so that the normal pipeline reports what is wrong with it.
 */
export function isFleetConfig(workspace: string, path: string): boolean {
  try {
    const at = resolveInWorkspace(workspace, 'config', path);
    if ('problem' in at) return false;
    const text = readTextFile(at.absolute, at.path);
    return text !== undefined && hasFleetSection(text);
  } catch {
    return false;
  }
}

/** Whether a config text has a `fleet:` section (a text that is not YAML has none). */
export function hasFleetSection(text: string): boolean {
  const doc = parseDocument(text, { prettyErrors: false });
  // A config that names a fleet but does not parse goes to the fleet's parser, which names the
  // YAML error, rather than to single-repository mode and a billing error about the wrong owner.
  if (doc.errors.length > 0) return /^fleet\s*:/m.test(text);
  return (
    isMap(doc.contents) &&
    doc.contents.items.some((p) => isScalar(p.key) && p.key.value === 'fleet')
  );
}

/** Parses the `fleet:` section; throws FileProblems listing everything wrong. */
export function parseFleetConfig(text: string, path: string): FleetConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const line = (node: Node | null | undefined) =>
    node?.range ? lines.linePos(node.range[0]).line : 1;
  const at = (node: Node | null | undefined) => `${path}:${line(node)}`;
  const problems: string[] = [];
  const broken = doc.errors[0];
  if (broken) {
    throw new FileProblems([
      `${path}:${lines.linePos(broken.pos[0]).line}: not valid YAML: ${broken.message.split('\n')[0]}`,
    ]);
  }
  const root = doc.contents;
  const pair = isMap(root)
    ? root.items.find((p) => isScalar(p.key) && p.key.value === 'fleet')
    : undefined;
  const section = pair?.value as Node | null | undefined;
  if (!pair || !isMap(section)) {
    throw new FileProblems([
      `${at((pair?.key as Node) ?? null)}: 'fleet' must be a mapping with 'repositories' (owner/name entries) or 'organization' and 'topic'`,
    ]);
  }
  const value = (key: string) => section.items.find((p) => isScalar(p.key) && p.key.value === key);
  for (const p of section.items) {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    if (!FLEET_KEYS.includes(key)) {
      problems.push(
        `${at(p.key as Node)}: fleet: unknown key '${key}'; allowed: ${FLEET_KEYS.join(', ')}`,
      );
    }
  }
  const textKey = (key: string, rule: RegExp, expected: string): string | undefined => {
    const p = value(key);
    if (!p) return undefined;
    const node = p.value as Node | null;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string' || !rule.test(v)) {
      problems.push(`${at(node ?? (p.key as Node))}: fleet.${key} must be ${expected}`);
      return undefined;
    }
    return v;
  };
  let organization = textKey(
    'organization',
    LOGIN,
    'an organization login (letters, digits, hyphens)',
  );
  const topic = textKey(
    'topic',
    TOPIC,
    'a repository topic (lowercase letters, digits, hyphens; at most 50)',
  );
  const visibility = (textKey(
    'visibility',
    /^(selected|all|private)$/,
    `one of ${VISIBILITIES.join(', ')}`,
  ) ?? 'selected') as Visibility;
  let maxRequests = DEFAULT_MAX_REQUESTS;
  const budget = value('max-requests');
  if (budget) {
    const node = budget.value as Node | null;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      problems.push(
        `${at(node)}: fleet.max-requests must be a whole number of API requests, 1 or more`,
      );
    } else maxRequests = v;
  }

  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  const timeout = value('timeout');
  if (timeout) {
    const node = timeout.value as Node | null;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'number' || !(v > 0) || v > 3600) {
      problems.push(
        `${at(node)}: fleet.timeout must be a number of seconds greater than 0 and at most 3600`,
      );
    } else timeoutSeconds = v;
  }

  const repositories: FleetEntry[] = [];
  const listed = value('repositories');
  if (listed) {
    const list = listed.value as Node | null;
    if (!isSeq(list)) {
      problems.push(
        `${at(list ?? (listed.key as Node))}: fleet.repositories must be a list of owner/name entries`,
      );
    } else {
      const seen = new Set<string>();
      list.items.forEach((item, i) => {
        const entry = parseEntry(item as Node, `fleet.repositories[${i}]`, at, problems);
        if (!entry) return;
        const key = entry.repo.toLowerCase();
        if (seen.has(key)) {
          problems.push(`${at(item as Node)}: fleet.repositories lists ${entry.repo} twice`);
          return;
        }
        seen.add(key);
        repositories.push({ ...entry, line: line(item as Node) });
      });
    }
  }
  if (!listed && !topic) {
    problems.push(
      `${at(pair.key as Node)}: fleet needs 'repositories' (owner/name entries) or 'organization' with 'topic'`,
    );
  }
  if (topic && !value('organization')) {
    problems.push(
      `${at(value('topic')?.key as Node)}: fleet.topic needs fleet.organization, whose repositories it selects`,
    );
  }
  const owners = [...new Set(repositories.map((r) => (r.repo.split('/')[0] ?? '').toLowerCase()))];
  if (!organization && owners.length === 1) organization = repositories[0]?.repo.split('/')[0];
  if (!organization && owners.length > 1) {
    problems.push(
      `${at(pair.key as Node)}: the repositories belong to ${owners.join(', ')}; one plan variable belongs to one organization: set fleet.organization and list only its repositories`,
    );
  }
  for (const r of repositories) {
    if (organization && r.repo.split('/')[0]?.toLowerCase() !== organization.toLowerCase()) {
      problems.push(
        `${path}:${r.line}: ${r.repo} is not in the organization ${organization}, whose variable holds the plan`,
      );
    }
  }
  const floors = repositories.reduce((sum, r) => sum + (r.floorShare ?? 0), 0);
  if (floors > 1 + 1e-9) {
    problems.push(
      `${at(listed?.value as Node)}: the floors add up to ${Math.round(floors * 100)}% of the pool; together they may be at most 100%`,
    );
  }
  if (problems.length > 0) throw new FileProblems(problems);
  return {
    organization: organization as string,
    repositories,
    ...(topic ? { topic } : {}),
    visibility,
    maxRequests,
    timeoutSeconds,
  };
}

function parseEntry(
  node: Node,
  name: string,
  at: (node: Node | null | undefined) => string,
  problems: string[],
): Omit<FleetEntry, 'line'> | undefined {
  const repoOf = (v: unknown, where: Node) => {
    if (typeof v === 'string' && REPO.test(v)) return v;
    problems.push(
      `${at(where)}: ${name} must be a repository as owner/name, got ${JSON.stringify(v)?.slice(0, 80)}`,
    );
    return undefined;
  };
  if (isScalar(node)) {
    const repo = repoOf(node.value, node);
    return repo ? { repo, priority: 0 } : undefined;
  }
  if (!isMap(node)) {
    problems.push(
      `${at(node)}: ${name} must be owner/name or a mapping with repo, priority and floor`,
    );
    return undefined;
  }
  let repo: string | undefined;
  let priority = 0;
  let floorShare: number | undefined;
  let ok = true;
  for (const p of node.items) {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    const v = isScalar(p.value) ? p.value.value : undefined;
    const where = (p.value as Node | null) ?? (p.key as Node);
    if (key === 'repo') repo = repoOf(v, where);
    else if (key === 'priority') {
      if (typeof v === 'number' && Number.isFinite(v)) priority = v;
      else {
        problems.push(
          `${at(where)}: ${name}.priority must be a number (higher keeps its rates longest)`,
        );
        ok = false;
      }
    } else if (key === 'floor') {
      const percent =
        typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v) ? Number(v.slice(0, -1)) : v;
      if (typeof percent === 'number' && percent >= 0 && percent <= 100) floorShare = percent / 100;
      else {
        problems.push(
          `${at(where)}: ${name}.floor must be a percentage of the pool from 0 to 100, such as 10 or '10%'`,
        );
        ok = false;
      }
    } else {
      problems.push(
        `${at(p.key as Node)}: ${name}: unknown key '${key}'; allowed: ${ENTRY_KEYS.join(', ')}`,
      );
      ok = false;
    }
  }
  if (!repo) {
    if (ok) problems.push(`${at(node)}: ${name} needs repo: owner/name`);
    return undefined;
  }
  return ok ? { repo, priority, ...(floorShare !== undefined ? { floorShare } : {}) } : undefined;
}
