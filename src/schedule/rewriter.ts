/**
 * Rewrites the `on.schedule` crons of a workflow by editing only the source spans of the cron
 * values (and of entries added or removed), then re-parses to prove nothing else changed.
 */
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { FileProblems } from './config.js';
import { SCHEDULE_REF, scheduleReferences } from './references.js';
import { type Edit, verifyRewrite } from './verify.js';
import { type Entry, entryOf, type Located, locate, type ScheduleEntry } from './workflow.js';

export type { ScheduleEntry } from './workflow.js';
export { readSchedule } from './workflow.js';

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
  // Source tokens (for the layout of added and removed entries) are kept only when the entry
  // count changes; the common same-count edit needs node ranges alone.
  let located = locate(text, file, false);
  if (located.entries.length !== wanted.length) located = locate(text, file, true);
  const { doc, seq, entries } = located;
  const before = entries.map((e) => entryOf(e.value, e.timezone));
  const notes: string[] = [];
  const warnings: string[] = [];

  const header = text.split(/\r?\n/, 10).filter((l) => l.trimStart().startsWith('#'));
  if (header.some((l) => /DO NOT EDIT/i.test(l))) {
    warnings.push(
      `${file} is marked as generated (DO NOT EDIT): change the source it is generated from too, or the next generation undoes this schedule`,
    );
  }

  const old = entries.map((e) => e.value);
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
  // Most workflows never mention it: skip the walk over every scalar.
  const refs = text.includes(SCHEDULE_REF) ? scheduleReferences(doc, text) : [];
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
  const after = verifyRewrite({ text, result, edits, wanted, file, original: located, swap });
  return { text: result, changed: result !== text, before, after, notes, warnings };
}
