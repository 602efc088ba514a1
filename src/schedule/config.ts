/** The orchestrator config: which workflows are managed and their crons in each mode. */
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { MODES, type Mode, type Tier } from '../usage/tracker.js';
import { cronProblem, scheduleProblem } from './cron.js';
import { ACCEPTED_FORMS, isWords } from './fuzzy.js';
import { PRESETS, type Schedules } from './presets.js';

/** One managed workflow and the crons it should have in each mode. */
export interface ManagedWorkflow {
  /** File name inside the workflows directory. */
  file: string;
  schedules: Schedules;
  /** Quota one run spends (pace mode); default 1. */
  cost: number;
  /** The cost is the user's figure (`cost:` or a run-costs file), not the default to learn from. */
  costGiven?: boolean;
  /** Higher speeds up first and slows down last (pace mode); default 0. */
  priority: number;
  /** Line of its entry in the config, for messages. */
  line: number;
}

export interface OrchestratorConfig {
  workflows: ManagedWorkflow[];
}

/** A file that cannot be used; every problem found, each with its file and line. */
export class FileProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'FileProblems';
  }
}

const WORKFLOW_KEYS = ['preset', 'cost', 'priority', ...MODES, 'paused'];

/** Parses and validates a config text; throws FileProblems listing everything wrong. */
export function parseConfig(text: string, path: string): OrchestratorConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) =>
    `${path}:${node?.range ? lines.linePos(node.range[0]).line : 1}`;

  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first ? lines.linePos(first.pos[0]).line : 1;
    throw new FileProblems([`${path}:${line}: not valid YAML: ${first?.message.split('\n')[0]}`]);
  }
  // The config is read node by node and never expanded, so aliases would only be misread as
  // wrong values; naming them keeps a nested-alias bomb as cheap as any other mistake.
  const aliases: string[] = [];
  visit(doc, {
    Alias(_key, node) {
      aliases.push(
        `${at(node)}: '*${node.source}' is an alias; the config takes literal values only (write the value out)`,
      );
    },
  });
  if (aliases.length > 5) {
    throw new FileProblems([
      ...aliases.slice(0, 5),
      `${path}: and ${aliases.length - 5} more aliases`,
    ]);
  }
  if (aliases.length > 0) throw new FileProblems(aliases);
  const root = doc.contents;
  if (!isMap(root)) {
    throw new FileProblems([`${path}:1: expected a mapping with a 'workflows' key`]);
  }
  const workflows: ManagedWorkflow[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    // A control repository's fleet section; src/fleet/config.ts reads it.
    if (key === 'fleet') continue;
    if (key !== 'workflows') {
      problems.push(
        `${at(pair.key as Node)}: unknown key '${key}'; the config has the keys 'workflows' and, in a fleet's control repository, 'fleet'`,
      );
      continue;
    }
    if (!isMap(pair.value)) {
      problems.push(
        `${at(pair.value as Node)}: 'workflows' must map workflow file names to schedules`,
      );
      continue;
    }
    for (const entry of pair.value.items) {
      const file = isScalar(entry.key) ? String(entry.key.value) : '';
      const where = at(entry.key as Node);
      if (/\p{Cc}/u.test(file)) {
        problems.push(
          `${where}: the workflow file name ${JSON.stringify(file)} holds a line break or another control character; use the file's plain name`,
        );
        continue;
      }
      if (!/^[^/\\]+\.(ya?ml|md)$/.test(file) || file.startsWith('.')) {
        problems.push(
          `${where}: '${file}' must be a workflow file name ending in .yml or .yaml (or .md for a gh-aw agentic workflow), without a directory`,
        );
        continue;
      }
      const lock = /^(.+)\.lock\.ya?ml$/.exec(file);
      if (lock) {
        problems.push(
          `${where}: '${file}' is a gh-aw lock file, compiled from ${lock[1]}.md: manage ${lock[1]}.md instead (the next 'gh aw compile' would put the lock file's old schedule back, and an edited lock file no longer matches its source)`,
        );
        continue;
      }
      const schedules = parseWorkflowEntry(
        entry.value as Node,
        where,
        `workflows.${file}`,
        at,
        problems,
        file.endsWith('.md'),
      );
      if (schedules)
        workflows.push({
          file,
          ...schedules,
          line: lines.linePos((entry.key as Node).range?.[0] ?? 0).line,
        });
    }
  }
  const has = (name: string) => root.items.some((p) => isScalar(p.key) && p.key.value === name);
  if (!has('workflows') && !has('fleet')) {
    problems.push(`${path}:1: missing the 'workflows' key`);
  }
  if (problems.length > 0) throw new FileProblems(problems);
  return { workflows };
}

function parseWorkflowEntry(
  value: Node | null,
  where: string,
  name: string,
  at: (node: Node | null | undefined) => string,
  problems: string[],
  agentic: boolean,
): { schedules: Schedules; cost: number; costGiven: boolean; priority: number } | undefined {
  if (!isMap(value)) {
    problems.push(`${where}: ${name} must be a mapping with 'preset' and/or ${MODES.join(', ')}`);
    return undefined;
  }
  const found: Partial<Schedules> = {};
  let preset: Readonly<Schedules> | undefined;
  let cost = 1;
  let costGiven = false;
  let priority = 0;
  let ok = true;
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const node = pair.value as Node | null;
    if (!WORKFLOW_KEYS.includes(key)) {
      problems.push(
        `${at(pair.key as Node)}: ${name}: unknown key '${key}'; allowed: ${WORKFLOW_KEYS.join(', ')}`,
      );
      ok = false;
    } else if (key === 'cost' || key === 'priority') {
      const value = isScalar(node) ? node.value : undefined;
      const valid =
        typeof value === 'number' && Number.isFinite(value) && (key === 'priority' || value > 0);
      if (!valid) {
        problems.push(
          `${at(node)}: ${name}.${key} must be ${key === 'cost' ? 'a number greater than 0 (quota spent by one run)' : 'a number (higher speeds up first)'}`,
        );
        ok = false;
      } else if (key === 'cost') {
        cost = value;
        costGiven = true;
      } else priority = value;
    } else if (key === 'preset') {
      const presetName = isScalar(node) ? String(node.value) : '';
      preset = PRESETS[presetName];
      if (!preset) {
        problems.push(
          `${at(node)}: ${name}.preset '${presetName}' is not a preset; choose one of ${Object.keys(PRESETS).join(', ')}`,
        );
        ok = false;
      }
    } else {
      const crons = cronList(node, `${name}.${key}`, at, problems, key === 'paused', agentic);
      if (crons) found[key as Mode | 'paused'] = crons;
      else ok = false;
    }
  }
  if (!ok) return undefined;
  const schedules = {} as Schedules;
  for (const mode of MODES) {
    const crons = found[mode] ?? preset?.[mode];
    if (!crons) {
      problems.push(`${where}: ${name} has no '${mode}' schedule; give one or use a preset`);
      return undefined;
    }
    schedules[mode] = [...crons];
  }
  if (found.paused) schedules.paused = found.paused;
  return { schedules, cost, costGiven, priority };
}

function cronList(
  node: Node | null,
  label: string,
  at: (node: Node | null | undefined) => string,
  problems: string[],
  mayBeEmpty = false,
  agentic = false,
): string[] | undefined {
  const items = isSeq(node) ? node.items : [node];
  if (items.length === 0 && mayBeEmpty) return [];
  if (items.length === 0) {
    problems.push(`${at(node)}: ${label} is an empty list; give at least one cron`);
    return undefined;
  }
  const crons: string[] = [];
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string') {
      problems.push(`${at(item as Node)}: ${label} must be a cron string or a list of them`);
      return undefined;
    }
    // An agentic workflow's tiers may be in gh-aw's words; a .yml's are crons only.
    if (agentic) {
      const problem = scheduleProblem(item.value);
      if (problem) {
        problems.push(`${at(item)}: ${label}: ${problem}`);
        return undefined;
      }
    } else {
      const problem = cronProblem(item.value);
      if (problem) {
        const words = isWords(item.value)
          ? `; gh-aw's schedule words (${ACCEPTED_FORMS.split(',')[0]}, …) are for a .md agentic workflow only`
          : '';
        problems.push(
          `${at(item)}: ${label}: cron '${item.value}' is not valid for GitHub: ${problem}${words}`,
        );
        return undefined;
      }
    }
    crons.push(item.value.trim().replace(/\s+/g, ' '));
  }
  return crons;
}

/** The crons of a workflow's tier; a workflow without a `paused` tier is never paused. */
export function cronsOf(managed: Pick<ManagedWorkflow, 'schedules'>, tier: Tier): string[] {
  return (tier === 'paused' ? managed.schedules.paused : managed.schedules[tier]) ?? [];
}
