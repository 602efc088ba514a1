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
  visit,
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

/**
 * How far aliases may expand when a document becomes data: the yaml package's own default. A
 * few hundred bytes of nested aliases ("billion laughs") otherwise expand to gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

/** The plain data of a document or node, with alias expansion bounded; FileProblems past it. */
export function dataOf(doc: Document, file: string, node?: Node): unknown {
  try {
    return node
      ? node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT })
      : doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // The yaml package signals both an alias without its anchor and too many expansions so.
    if (!/excessive alias count/i.test(error.message)) {
      throw new FileProblems([`${file}: not valid YAML: ${error.message}`]);
    }
    throw new FileProblems([
      `${file}: its YAML aliases expand more than ${MAX_ALIAS_COUNT} times (a "billion laughs" pattern: anchors aliased inside anchors); the orchestrator refuses to read it and changes nothing. Write the repeated values out, or alias each anchor fewer times`,
    ]);
  }
}

/** The first node under (and including) `node` that carries an anchor. */
export function firstAnchored(node: unknown): Node | undefined {
  let found: Node | undefined;
  visit(node as Node, {
    Node(_key, n) {
      if ((n as Node).anchor) {
        found = n as Node;
        return visit.BREAK;
      }
    },
  });
  return found;
}

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
  // Any alias needs an anchor, and an anchor needs '&': most workflows skip the check.
  if (text.includes('&')) dataOf(doc, file);
  const root = doc.contents;
  if (!isMap(root)) fail(file, text, 0, 'a workflow must be a mapping with an on: key');
  // An edit inside an anchored node would also change every alias of it, where the check of
  // the on: block does not look; so nothing that holds a cron may carry an anchor.
  const shared = (node: Node, what: string) =>
    fail(
      file,
      text,
      // The anchor comes before the node, maybe on the line above (`on: &trig`).
      text.lastIndexOf(`&${node.anchor}`, node.range?.[0]),
      `${what} has an anchor (&${node.anchor}), so other places may alias it and a schedule edit would change them too; the orchestrator edits only values nothing else shares: remove the anchor and write the value out where it is aliased`,
    );
  if (root.anchor) shared(root, 'the workflow mapping');
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
  if (onNode?.anchor) shared(onNode, "the 'on:' value");
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
  if (isAlias(seq))
    fail(
      file,
      text,
      seq.range?.[0],
      `'schedule:' is an alias (*${seq.source}); the orchestrator edits only a literal list`,
    );
  if (!isSeq(seq) || seq.items.length === 0) {
    fail(
      file,
      text,
      (schedulePair.key as Node).range?.[0],
      "'schedule:' must be a list with at least one '- cron:' entry",
    );
  }
  if (seq.anchor) shared(seq, 'the schedule list');
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
    // Entries are edited, removed and copied whole: an anchor anywhere in one is shared.
    const anchored = firstAnchored(node);
    if (anchored) {
      const what =
        anchored === node
          ? 'a schedule entry'
          : anchored === cron
            ? 'the cron'
            : 'a value in a schedule entry';
      shared(anchored, what);
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
