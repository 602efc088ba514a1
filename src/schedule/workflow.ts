/** Reading a workflow's schedule: parse, find `on.schedule`, refuse what cannot be edited. */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseDocument,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { FileProblems } from './config.js';

/** One entry of a workflow's schedule. */
export interface ScheduleEntry {
  cron: string;
  timezone?: string;
}

/** A parsed workflow and its schedule, ready for span edits. */
export interface Located {
  doc: Document;
  /** The top-level `on:` pair. */
  on: Pair;
  seq: YAMLSeq;
  /** Each entry: its node, its cron scalar, the cron as a string (trimmed: a block scalar
   * carries a final line break) and its time zone. */
  entries: { item: YAMLMap; cron: Scalar<string>; value: string; timezone?: string }[];
}

export type Entry = Located['entries'][number];

function fail(file: string, text: string, offset: number | undefined, message: string): never {
  const line = offset === undefined ? 1 : lineAt(text, offset);
  throw new FileProblems([`${file}:${line}: ${message}`]);
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1))
    line++;
  return line;
}

/** Whether a pair's key is the plain string `name`. */
export function keyIs(pair: Pair, name: string): boolean {
  return isScalar(pair.key) && pair.key.value === name;
}

/** Parses a workflow and finds its schedule entries; throws FileProblems where it cannot be edited. */
export function locate(text: string, file: string, keepSourceTokens: boolean): Located {
  const doc = parseDocument(text, {
    keepSourceTokens,
    prettyErrors: false,
  });
  const firstError = doc.errors[0];
  if (firstError) {
    fail(file, text, firstError.pos[0], `not valid YAML: ${firstError.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) fail(file, text, 0, 'a workflow must be a mapping with an on: key');
  const on = root.items.find((p) => keyIs(p, 'on'));
  if (!on) fail(file, text, 0, "has no 'on:' key, so there is no schedule to manage");
  const onNode = on.value as Node | null;
  if (isAlias(onNode))
    fail(
      file,
      text,
      onNode.range?.[0],
      "'on:' is an alias; the orchestrator edits only literal values",
    );
  const schedulePair = isMap(onNode) ? onNode.items.find((p) => keyIs(p, 'schedule')) : undefined;
  if (!schedulePair) {
    fail(
      file,
      text,
      (on.key as Node).range?.[0],
      "has no 'on: schedule:' entry to rewrite; add one (for example '- cron: \"17 3 * * *\"') for the orchestrator to manage",
    );
  }
  const seq = schedulePair.value as Node | null;
  if (!isSeq(seq) || seq.items.length === 0) {
    fail(
      file,
      text,
      (schedulePair.key as Node).range?.[0],
      "'schedule:' must be a list with at least one '- cron:' entry",
    );
  }
  if (seq.anchor)
    fail(
      file,
      text,
      seq.range?.[0],
      'the schedule list has an anchor (&name) that other places may share; refusing to edit it',
    );
  const entries = seq.items.map((item) => {
    const node = item as Node;
    if (isAlias(node) || !isMap(node)) {
      fail(
        file,
        text,
        node.range?.[0],
        'each schedule entry must be a literal mapping with a cron key (aliases are not edited)',
      );
    }
    const pair = node.items.find((p) => keyIs(p, 'cron'));
    const cron = pair?.value as Node | null | undefined;
    if (isAlias(cron)) {
      fail(
        file,
        text,
        cron.range?.[0],
        `the cron is an alias (*${cron.source}); the orchestrator edits only literal cron strings`,
      );
    }
    if (!pair || !isScalar(cron) || typeof cron.value !== 'string') {
      fail(file, text, node.range?.[0], 'each schedule entry needs a cron string');
    }
    if (cron.anchor) {
      fail(
        file,
        text,
        cron.range?.[0],
        `the cron has an anchor (&${cron.anchor}) that other places may share; refusing to edit it`,
      );
    }
    const tz = node.items.find((p) => keyIs(p, 'timezone'))?.value;
    return {
      item: node,
      cron: cron as Scalar<string>,
      value: cron.value.trim(),
      timezone: isScalar(tz) && typeof tz.value === 'string' ? tz.value : undefined,
    };
  });
  return { doc, on, seq, entries };
}

/** The schedule entries a workflow has now. */
export function readSchedule(text: string, file: string): ScheduleEntry[] {
  return locate(text, file, false).entries.map(({ value, timezone }) => entryOf(value, timezone));
}

export function entryOf(cron: string, timezone?: string): ScheduleEntry {
  return timezone === undefined ? { cron } : { cron, timezone };
}
