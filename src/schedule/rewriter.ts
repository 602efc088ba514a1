/**
 * Rewrites the `on.schedule` crons of a workflow by editing only the source spans of the cron
 * values (and of entries added or removed), then re-parses to prove nothing else changed.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
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

export interface RewriteResult {
  text: string;
  changed: boolean;
  before: ScheduleEntry[];
  after: ScheduleEntry[];
  /** Things a person should read in the log (updated references). */
  notes: string[];
  /** Things that may need action (generated file, stale references). */
  warnings: string[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Located {
  doc: Document;
  lines: LineCounter;
  seq: YAMLSeq;
  entries: { item: YAMLMap; cron: Scalar<string>; timezone?: string }[];
}

type Entry = Located['entries'][number];

const SCHEDULE_REF = 'github.event.schedule';

function fail(
  file: string,
  lines: LineCounter,
  offset: number | undefined,
  message: string,
): never {
  const line = offset === undefined ? 1 : lines.linePos(offset).line;
  throw new FileProblems([`${file}:${line}: ${message}`]);
}

function keyIs(pair: Pair, name: string): boolean {
  return isScalar(pair.key) && pair.key.value === name;
}

/** Parses a workflow and finds its schedule entries; throws FileProblems where it cannot be edited. */
function locate(text: string, file: string): Located {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    keepSourceTokens: true,
    lineCounter: lines,
    prettyErrors: false,
  });
  const firstError = doc.errors[0];
  if (firstError) {
    fail(file, lines, firstError.pos[0], `not valid YAML: ${firstError.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) fail(file, lines, 0, 'a workflow must be a mapping with an on: key');
  const on = root.items.find((p) => keyIs(p, 'on'));
  if (!on) fail(file, lines, 0, "has no 'on:' key, so there is no schedule to manage");
  const onNode = on.value as Node | null;
  if (isAlias(onNode))
    fail(
      file,
      lines,
      onNode.range?.[0],
      "'on:' is an alias; the orchestrator edits only literal values",
    );
  const schedulePair = isMap(onNode) ? onNode.items.find((p) => keyIs(p, 'schedule')) : undefined;
  if (!schedulePair) {
    fail(
      file,
      lines,
      (on.key as Node).range?.[0],
      "has no 'on: schedule:' entry to rewrite; add one (for example '- cron: \"17 3 * * *\"') for the orchestrator to manage",
    );
  }
  const seq = schedulePair.value as Node | null;
  if (!isSeq(seq) || seq.items.length === 0) {
    fail(
      file,
      lines,
      (schedulePair.key as Node).range?.[0],
      "'schedule:' must be a list with at least one '- cron:' entry",
    );
  }
  if (seq.anchor)
    fail(
      file,
      lines,
      seq.range?.[0],
      'the schedule list has an anchor (&name) that other places may share; refusing to edit it',
    );
  const entries = seq.items.map((item) => {
    const node = item as Node;
    if (isAlias(node) || !isMap(node)) {
      fail(
        file,
        lines,
        node.range?.[0],
        'each schedule entry must be a literal mapping with a cron key (aliases are not edited)',
      );
    }
    const pair = node.items.find((p) => keyIs(p, 'cron'));
    const cron = pair?.value as Node | null | undefined;
    if (isAlias(cron)) {
      fail(
        file,
        lines,
        cron.range?.[0],
        `the cron is an alias (*${cron.source}); the orchestrator edits only literal cron strings`,
      );
    }
    if (!pair || !isScalar(cron) || typeof cron.value !== 'string') {
      fail(file, lines, node.range?.[0], 'each schedule entry needs a cron string');
    }
    if (cron.anchor) {
      fail(
        file,
        lines,
        cron.range?.[0],
        `the cron has an anchor (&${cron.anchor}) that other places may share; refusing to edit it`,
      );
    }
    const tz = node.items.find((p) => keyIs(p, 'timezone'))?.value;
    return {
      item: node,
      cron: cron as Scalar<string>,
      timezone: isScalar(tz) && typeof tz.value === 'string' ? tz.value : undefined,
    };
  });
  return { doc, lines, seq, entries };
}

/** The schedule entries a workflow has now. */
export function readSchedule(text: string, file: string): ScheduleEntry[] {
  return locate(text, file).entries.map(({ cron, timezone }) => entryOf(cron.value, timezone));
}

function entryOf(cron: string, timezone?: string): ScheduleEntry {
  return timezone === undefined ? { cron } : { cron, timezone };
}

/** A plain scalar holding this value would read back the same (no indicator, no comment). */
function plainSafe(value: string, inFlow: boolean): boolean {
  if (!/^[0-9A-Za-z]/.test(value) || / #|: |:$/.test(value)) return false;
  return !(inFlow && /[,[\]{}]/.test(value));
}

function quote(value: string, mark: string): string {
  return mark === "'"
    ? `'${value.replace(/'/g, "''")}'`
    : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** New source for a cron scalar, in the style of the one it replaces. */
function renderCron(
  text: string,
  node: Scalar,
  value: string,
  inFlow: boolean,
  mark: string,
): Edit {
  const [start, end] = node.range as [number, number, number];
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return { start, end, text: quote(value, "'") };
    case 'QUOTE_DOUBLE':
      return { start, end, text: quote(value, '"') };
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL': {
      // Keep the header line, the indentation and the trailing line breaks; replace the content.
      const source = text.slice(start, end);
      const header = source.indexOf('\n') + 1;
      const body = source.slice(header);
      const from = start + header + (body.length - body.trimStart().length);
      const to = start + header + body.trimEnd().length;
      return { start: from, end: to, text: value };
    }
    default:
      return { start, end, text: plainSafe(value, inFlow) ? value : quote(value, mark) };
  }
}

/** The quote mark the file's own cron values use most, single quotes when none are quoted. */
function preferredQuote(entries: Located['entries']): string {
  const doubles = entries.filter((e) => e.cron.type === 'QUOTE_DOUBLE').length;
  const singles = entries.filter((e) => e.cron.type === 'QUOTE_SINGLE').length;
  return doubles > singles ? '"' : "'";
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line break that ends the line holding offset - 1. */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at + 1;
}

/** Offsets of the `-` indicators of a block sequence's items, from its source tokens. */
function itemIndicators(seq: YAMLSeq): number[] {
  const token = seq.srcToken;
  if (token?.type !== 'block-seq') return [];
  return token.items.map((item) => item.start.find((t) => t.type === 'seq-item-ind')?.offset ?? -1);
}

/** Comment tokens (offset and length) anywhere inside a CST token. */
function commentsIn(token: unknown, found: { offset: number; length: number }[] = []) {
  if (Array.isArray(token)) {
    for (const t of token) commentsIn(t, found);
  } else if (token && typeof token === 'object') {
    const t = token as { type?: string; offset?: number; source?: string };
    if (t.type === 'comment' && typeof t.offset === 'number' && typeof t.source === 'string') {
      found.push({ offset: t.offset, length: t.source.length });
    }
    for (const value of Object.values(token)) {
      if (value && typeof value === 'object') commentsIn(value, found);
    }
  }
  return found;
}

/** Applies edits (non-overlapping) to a slice [from, to) of text. */
function applyEdits(text: string, edits: Edit[], from = 0, to = text.length): string {
  let out = '';
  let at = from;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at, to);
}

/**
 * A copy of an entry's source holding another cron, for added entries: the same keys and
 * layout, without the comments (they describe the original entry).
 */
function cloneEntry(text: string, from: number, to: number, cronEdit: Edit, item: YAMLMap): string {
  const drops: Edit[] = commentsIn(item.srcToken)
    .filter((c) => c.offset >= from && c.offset + c.length <= to)
    .map((c) => {
      let start = c.offset;
      while (start > from && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
      return { start, end: c.offset + c.length, text: '' };
    });
  return applyEdits(text, [cronEdit, ...drops], from, to)
    .split(/(?<=\n)/)
    .filter((line) => line.trim() !== '')
    .join('');
}

interface Reference {
  line: number;
  /** Quoted literals in the expression, with their source spans. */
  literals: { value: string; start: number; end: number }[];
}

/** Scalars that mention github.event.schedule, and the quoted literals they compare it with. */
function scheduleReferences(doc: Document, text: string, lines: LineCounter): Reference[] {
  const refs: Reference[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.range || !node.value.includes(SCHEDULE_REF))
        return;
      const [start, end] = node.range;
      const source = text.slice(start, end);
      const literals: Reference['literals'] = [];
      for (const m of source.matchAll(/(['"])([^'"\n]*)\1/g)) {
        const inner = m[2] ?? '';
        if (inner.trim().split(/\s+/).length !== 5) continue;
        const at = start + (m.index ?? 0) + 1;
        literals.push({ value: inner, start: at, end: at + inner.length });
      }
      refs.push({ line: lines.linePos(start).line, literals });
    },
  });
  return refs;
}

/** Replaces literal comparisons inside referencing strings, the way the rewrite does in source. */
function mapReferenceStrings(value: unknown, swap: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (!value.includes(SCHEDULE_REF)) return value;
    return value.replace(/(['"])([^'"\n]*)\1/g, (all, q: string, inner: string) =>
      swap.has(inner) ? `${q}${swap.get(inner)}${q}` : all,
    );
  }
  if (Array.isArray(value)) return value.map((v) => mapReferenceStrings(v, swap));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapReferenceStrings(v, swap)]),
    );
  }
  return value;
}

/** The document as plain data with the schedule taken out, for the unchanged-elsewhere check. */
function withoutSchedule(doc: Document): unknown {
  const data = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
  const on = data.on as Record<string, unknown>;
  const { schedule: _omit, ...rest } = on;
  return { ...data, on: rest };
}

/**
 * Rewrites a workflow so that its schedule holds exactly `wanted`, keeping every other byte.
 * Throws FileProblems when the file cannot be edited safely.
 */
export function rewriteSchedule(
  text: string,
  wanted: readonly string[],
  file: string,
): RewriteResult {
  if (wanted.length === 0) throw new FileProblems([`${file}: the wanted schedule is empty`]);
  const { doc, lines, seq, entries } = locate(text, file);
  const before = entries.map((e) => entryOf(e.cron.value, e.timezone));
  const notes: string[] = [];
  const warnings: string[] = [];

  const header = text.split(/\r?\n/, 10).filter((l) => l.trimStart().startsWith('#'));
  if (header.some((l) => /DO NOT EDIT/i.test(l))) {
    warnings.push(
      `${file} is marked as generated (DO NOT EDIT): change the source it is generated from too, or the next generation undoes this schedule`,
    );
  }

  const old = entries.map((e) => e.cron.value);
  if (old.length === wanted.length && old.every((c, i) => c === wanted[i])) {
    return { text, changed: false, before, after: before, notes, warnings };
  }

  const inFlow = Boolean(seq.flow);
  const mark = preferredQuote(entries);
  const edits: Edit[] = [];
  const shared = Math.min(old.length, wanted.length);
  for (let i = 0; i < shared; i++) {
    const e = entries[i] as Entry;
    if (old[i] !== wanted[i]) {
      edits.push(
        renderCron(text, e.cron, wanted[i] as string, inFlow || Boolean(e.item.flow), mark),
      );
    }
  }

  const last = entries[entries.length - 1] as Entry;
  const indicators = itemIndicators(seq);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const itemEnd = (i: number) => ((entries[i] as Entry).item.range as [number, number, number])[1];

  if (wanted.length > old.length) {
    // Added entries copy the last entry's layout and other keys (such as timezone).
    const clones: string[] = [];
    for (const cron of wanted.slice(old.length)) {
      const edit = renderCron(text, last.cron, cron, inFlow || Boolean(last.item.flow), mark);
      if (inFlow) {
        const [from, to] = last.item.range as [number, number, number];
        clones.push(cloneEntry(text, from, to, edit, last.item));
      } else {
        const from = lineStart(text, indicators[indicators.length - 1] ?? 0);
        let clone = cloneEntry(
          text,
          from,
          lineEnd(text, itemEnd(entries.length - 1)),
          edit,
          last.item,
        );
        if (!clone.endsWith('\n')) clone += eol;
        clones.push(clone);
      }
    }
    if (inFlow) {
      const separator =
        entries.length >= 2
          ? text.slice(itemEnd(entries.length - 2), (last.item.range as number[])[0])
          : ', ';
      const at = itemEnd(entries.length - 1);
      edits.push({ start: at, end: at, text: clones.map((c) => separator + c).join('') });
    } else {
      const at = lineEnd(text, itemEnd(entries.length - 1));
      let added = clones.join('');
      // A file that ends without a line break keeps ending without one.
      if (at === text.length && !text.endsWith('\n')) added = eol + added.slice(0, -eol.length);
      edits.push({ start: at, end: at, text: added });
    }
  } else if (wanted.length < old.length) {
    if (inFlow) {
      edits.push({ start: itemEnd(wanted.length - 1), end: itemEnd(entries.length - 1), text: '' });
    } else {
      const start = lineStart(text, indicators[wanted.length] ?? 0);
      edits.push({ start, end: lineEnd(text, itemEnd(entries.length - 1)), text: '' });
    }
  }

  // Expressions that compare github.event.schedule with a cron must follow the rewrite.
  const swap = new Map<string, string>();
  const refs = scheduleReferences(doc, text, lines);
  for (const ref of refs) {
    if (ref.literals.length === 0) {
      notes.push(`${file}:${ref.line}: uses ${SCHEDULE_REF}; it will carry the new cron strings`);
      continue;
    }
    for (const literal of ref.literals) {
      const index = old.indexOf(literal.value);
      if (index === -1) {
        warnings.push(
          `${file}:${ref.line}: compares ${SCHEDULE_REF} with '${literal.value}', which is not in its schedule`,
        );
        continue;
      }
      const replacement = wanted[index];
      if (old.length !== wanted.length || replacement === undefined) {
        throw new FileProblems([
          `${file}:${ref.line}: compares ${SCHEDULE_REF} with '${literal.value}', but the schedule goes from ${old.length} to ${wanted.length} entries, so no new cron takes its place one to one; make the config give this workflow ${old.length} cron(s) in every mode, or remove the comparison`,
        ]);
      }
      if (replacement !== literal.value) {
        edits.push({ start: literal.start, end: literal.end, text: replacement });
        swap.set(literal.value, replacement);
        notes.push(
          `${file}:${ref.line}: updated the ${SCHEDULE_REF} comparison '${literal.value}' to '${replacement}'`,
        );
      }
    }
  }

  const result = applyEdits(text, edits);
  verify(result, wanted, file, doc, swap);
  const after = readSchedule(result, file);
  return { text: result, changed: result !== text, before, after, notes, warnings };
}

/** Re-parses the result: exactly the wanted crons, and nothing else changed. */
function verify(
  result: string,
  wanted: readonly string[],
  file: string,
  original: Document,
  swap: Map<string, string>,
) {
  const refuse = (why: string): never => {
    throw new FileProblems([
      `${file}: the schedule edit could not be made safely (${why}); the file was left unchanged`,
    ]);
  };
  let located: Located | undefined;
  try {
    located = locate(result, file);
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
  const crons = located.entries.map((e) => e.cron.value);
  if (!isDeepStrictEqual(crons, [...wanted])) refuse(`it read back ${JSON.stringify(crons)}`);
  const expected = mapReferenceStrings(withoutSchedule(original), swap);
  if (!isDeepStrictEqual(withoutSchedule(located.doc), expected))
    refuse('other content would change');
}
