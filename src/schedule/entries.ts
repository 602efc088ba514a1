/**
 * Source edits that add or remove whole schedule entries, in the layout the list already has:
 * added entries copy the last entry's text, removed ones take their lines (or their stretch of
 * a flow list) with them, and comments stay with the entry they sit beside.
 */
import type { YAMLMap, YAMLSeq } from 'yaml';
import { FileProblems } from './config.js';
import type { Edit } from './verify.js';
import { type Entry, lineAt } from './workflow.js';

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just past the line break that ends the line holding offset - 1. */
export function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const at = text.indexOf('\n', offset);
  return at === -1 ? text.length : at + 1;
}

/** Applies edits (non-overlapping) to a slice [from, to) of text. */
export function applyEdits(text: string, edits: Edit[], from = 0, to = text.length): string {
  let out = '';
  let at = from;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at, to);
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

export interface CountChange {
  text: string;
  file: string;
  seq: YAMLSeq;
  entries: readonly Entry[];
  /** How many entries stay (when fewer are wanted). */
  keep: number;
  /** The cron edit of a copy of the last entry, one per added entry. */
  added: readonly Edit[];
}

const range = (e: Entry) => e.item.range as [number, number, number];

/** Edits that add `added.length` entries or drop all entries after `keep`. */
export function countEdits(change: CountChange): Edit[] {
  if (!change.seq.flow) return blockEdits(change);
  const [open, close] = change.seq.range as [number, number, number];
  const commented = commentsIn(change.seq.srcToken).some(
    (c) => c.offset > open && c.offset < close,
  );
  return commented ? flowLineEdits(change) : flowInlineEdits(change);
}

/** The line that starts at `at`, without its line break. */
function lineFrom(text: string, at: number): string {
  const next = text.indexOf('\n', at);
  return text.slice(at, next === -1 ? text.length : next).replace(/\r$/, '');
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * Past the comment lines that follow an entry indented deeper than its start (`column`): they
 * are part of it (gh-aw writes a note under each cron so).
 */
function pastOwnComments(text: string, at: number, column: number): number {
  while (at < text.length) {
    const line = lineFrom(text, at);
    if (!isComment(line) || indentOf(line) <= column) break;
    at = lineEnd(text, at + 1);
  }
  return at;
}

/** Back over the comment lines just above an entry, no deeper than its start: they describe it. */
function beforeOwnComments(text: string, start: number, column: number): number {
  while (start > 0) {
    const above = lineStart(text, start - 1);
    const line = lineFrom(text, above);
    if (!isComment(line) || indentOf(line) > column) break;
    start = above;
  }
  return start;
}

const columnOf = (text: string, offset: number) => offset - lineStart(text, offset);

function blockEdits({ text, seq, entries, keep, added }: CountChange): Edit[] {
  const indicators = itemIndicators(seq);
  const last = entries[entries.length - 1] as Entry;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lastIndicator = indicators[indicators.length - 1] ?? 0;
  const itemEnd = lineEnd(text, range(last)[1]);
  const end = pastOwnComments(text, itemEnd, columnOf(text, lastIndicator));
  if (added.length > 0) {
    const from = lineStart(text, lastIndicator);
    let clones = added
      .map((edit) => {
        const clone = cloneEntry(text, from, itemEnd, edit, last.item);
        return clone.endsWith('\n') ? clone : clone + eol;
      })
      .join('');
    // A file that ends without a line break keeps ending without one.
    if (end === text.length && !text.endsWith('\n')) clones = eol + clones.slice(0, -eol.length);
    return [{ start: end, end, text: clones }];
  }
  const first = indicators[keep] ?? 0;
  let start = beforeOwnComments(text, lineStart(text, first), columnOf(text, first));
  // Removing the file's last line: the break before it goes, so the file still ends without one.
  if (end === text.length && !text.endsWith('\n') && start > 0) {
    start -= text[start - 2] === '\r' ? 2 : 1;
  }
  return [{ start, end, text: '' }];
}

/** A flow list without comments: entries are separated the way the last two are. */
function flowInlineEdits({ text, entries, keep, added }: CountChange): Edit[] {
  const n = entries.length;
  const last = entries[n - 1] as Entry;
  const at = range(last)[1];
  if (added.length === 0)
    return [{ start: range(entries[keep - 1] as Entry)[1], end: at, text: '' }];
  const [from] = range(last);
  const separator = n >= 2 ? text.slice(range(entries[n - 2] as Entry)[1], from) : ', ';
  const clones = added.map((edit) => separator + cloneEntry(text, from, at, edit, last.item));
  return [{ start: at, end: at, text: clones.join('') }];
}

/** What follows an entry on its line: a comma, a comment, or nothing more. */
const LINE_TAIL = /^[ \t]*(,)?[ \t]*(#[^\r\n]*)?\r?\n?$/;

/**
 * A flow list with comments, one entry per line: whole lines are added and removed, so that
 * each comment stays on the line of its entry. Any other layout is refused.
 */
function flowLineEdits({ text, file, entries, keep, added }: CountChange): Edit[] {
  const tails = entries.map((e) =>
    LINE_TAIL.exec(text.slice(range(e)[1], lineEnd(text, range(e)[1]))),
  );
  const own = entries.map((e, i) => {
    const before = text.slice(lineStart(text, range(e)[0]), range(e)[0]);
    // The first entry may share its line with the opening bracket, unless it is copied.
    return before.trim() === '' || (i === 0 && entries.length > 1);
  });
  const n = entries.length;
  const bad = entries.findIndex((_e, i) => !tails[i] || !own[i] || (i < n - 1 && !tails[i]?.[1]));
  if (bad !== -1) {
    throw new FileProblems([
      `${file}:${lineAt(text, range(entries[bad] as Entry)[0])}: the flow-style schedule list has comments and an entry that does not have a line of its own, so entries cannot be added or removed without moving a comment; put each entry on its own line, or write the list in block style ('- cron: ...')`,
    ]);
  }
  const last = entries[n - 1] as Entry;
  const [from, to] = range(last);
  const trailingComma = Boolean(tails[n - 1]?.[1]);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (added.length > 0) {
    const indent = text.slice(lineStart(text, from), from);
    const lines = added.map((edit, i) => {
      const comma = trailingComma || i < added.length - 1 ? ',' : '';
      return `${indent}${cloneEntry(text, from, to, edit, last.item)}${comma}${eol}`;
    });
    const at = pastOwnComments(text, lineEnd(text, to), columnOf(text, from));
    const edits: Edit[] = [{ start: at, end: at, text: lines.join('') }];
    if (!trailingComma) edits.push({ start: to, end: to, text: ',' });
    return edits;
  }
  const [first] = range(entries[keep] as Entry);
  const start = beforeOwnComments(text, lineStart(text, first), columnOf(text, first));
  const end = pastOwnComments(text, lineEnd(text, to), columnOf(text, from));
  const edits: Edit[] = [{ start, end, text: '' }];
  if (!trailingComma) {
    // The entry that is now last loses its comma; its comment stays.
    const end = range(entries[keep - 1] as Entry)[1];
    const comma = text.indexOf(',', end);
    edits.push({ start: comma, end: comma + 1, text: '' });
  }
  return edits;
}
