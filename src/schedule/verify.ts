/**
 * Proof that a rewrite did what it meant: the result re-parses, its schedule holds exactly the
 * wanted crons, and nothing else in the document changed.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Document, isMap, type Node } from 'yaml';
import { FileProblems } from './config.js';
import { mapReferenceStrings } from './references.js';
import {
  dataOf,
  entryOf,
  firstAnchored,
  keyIs,
  type Located,
  locate,
  type ScheduleEntry,
} from './workflow.js';

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface VerifyInput {
  text: string;
  result: string;
  edits: readonly Edit[];
  wanted: readonly string[];
  file: string;
  original: Located;
  /** Cron literals replaced inside github.event.schedule comparisons, old -> new. */
  swap: ReadonlyMap<string, string>;
}

interface Split {
  schedule: unknown[];
  rest: unknown;
}

/** Plain data of a mapping that has `on`, split into the schedule entries and the rest. */
function split(data: Record<string, unknown>): Split {
  const { schedule, ...on } = data.on as Record<string, unknown>;
  return { schedule: schedule as unknown[], rest: { ...data, on } };
}

const isLineStart = (text: string, offset: number) => offset === 0 || text[offset - 1] === '\n';

/**
 * The span of the top-level `on:` entry, [its key, the next top-level key's line), when the
 * document is a block mapping with both keys at column 0. Such an entry parses the same alone
 * as in its document: a column-0 key ends every block and flow construct before it.
 */
function onBlock(text: string, doc: Document): { start: number; end: number } | undefined {
  const root = doc.contents;
  if (!isMap(root) || root.flow) return undefined;
  const at = root.items.findIndex((pair) => keyIs(pair, 'on'));
  const next = root.items[at + 1];
  const start = (root.items[at]?.key as Node | undefined)?.range?.[0];
  const nextKey = (next?.key as Node | undefined)?.range?.[0];
  if (at === -1 || start === undefined || nextKey === undefined) return undefined;
  if (!isLineStart(text, start) || !isLineStart(text, nextKey)) return undefined;
  // Comment lines just above the next key stay inside the span; they parse as comments alone.
  return { start, end: nextKey };
}

/**
 * Re-parses the result and returns its schedule; throws FileProblems when the edit did not do
 * exactly what was meant. When every edit lies inside the top-level `on:` entry (the common
 * case), only that entry is re-parsed: the bytes around it are untouched by construction.
 */
export function verifyRewrite(input: VerifyInput): ScheduleEntry[] {
  const { text, result, edits, original, swap } = input;
  // An anchor in the on: entry could be aliased outside it, where this check does not look.
  const block =
    swap.size === 0 && !firstAnchored(original.on.value) ? onBlock(text, original.doc) : undefined;
  if (block && edits.every((e) => e.start >= block.start && e.end <= block.end)) {
    const delta = edits.reduce((sum, e) => sum + e.text.length - (e.end - e.start), 0);
    const alone = result.slice(block.start, block.end + delta);
    try {
      const located = locate(alone, input.file, false);
      if (isMap(located.doc.contents) && located.doc.contents.items.length === 1) {
        const onData = dataOf(original.doc, input.file, original.on.value as Node);
        const after = split(dataOf(located.doc, input.file) as Record<string, unknown>);
        return compare(input, located, split({ on: onData }), after);
      }
    } catch {
      // Could not stand alone (an alias to an anchor elsewhere, say), or the check failed:
      // the whole document decides.
    }
  }
  let located: Located;
  try {
    located = locate(result, input.file, false);
  } catch (error) {
    return refuse(input.file, error instanceof Error ? error.message : String(error));
  }
  const before = split(dataOf(original.doc, input.file) as Record<string, unknown>);
  const after = split(dataOf(located.doc, input.file) as Record<string, unknown>);
  // The mapping copies every value it reaches; without swaps there is nothing to map.
  const rest = swap.size === 0 ? before.rest : mapReferenceStrings(before.rest, swap);
  return compare(input, located, { ...before, rest }, after);
}

function refuse(file: string, why: string): never {
  throw new FileProblems([
    `${file}: the schedule edit could not be made safely (${why}); the file was left unchanged`,
  ]);
}

const others = (entry: unknown) => {
  const { cron: _cron, ...rest } = entry as Record<string, unknown>;
  return rest;
};

function compare(
  input: VerifyInput,
  located: Located,
  before: Split,
  after: Split,
): ScheduleEntry[] {
  const crons = located.entries.map((e) => e.value);
  if (!isDeepStrictEqual(crons, [...input.wanted]))
    refuse(input.file, `it read back ${JSON.stringify(crons)}`);
  if (!isDeepStrictEqual(after.rest, before.rest)) refuse(input.file, 'other content would change');
  // Kept entries keep their other keys (timezone); added ones copy the last entry's.
  after.schedule.forEach((entry, i) => {
    const source = before.schedule[Math.min(i, before.schedule.length - 1)];
    if (!isDeepStrictEqual(others(entry), others(source))) {
      refuse(input.file, `entry ${i + 1} would change keys other than cron`);
    }
  });
  return located.entries.map(({ value, timezone }) => entryOf(value, timezone));
}
