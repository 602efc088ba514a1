/**
 * Rewrites the `on.schedule` crons of a workflow by editing only the source spans of the cron
 * values (and of entries added or removed), then re-parses to prove nothing else changed.
 */
import type { Scalar } from 'yaml';
import { FileProblems } from './config.js';
import { applyEdits, countEdits } from './entries.js';
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

/**
 * The comment lines before the first content line, however many: generators put their
 * marker below a banner (gh-aw's lock files at line 17).
 */
function leadingComments(text: string): string[] {
  const comments: string[] = [];
  for (let at = 0; at < text.length; ) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next;
    const line = text.slice(at, end).trim();
    if (line !== '' && !line.startsWith('#')) break;
    if (line !== '') comments.push(line);
    at = end + 1;
  }
  return comments;
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

  if (leadingComments(text).some((l) => /DO NOT EDIT/i.test(l))) {
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

  if (wanted.length !== old.length) {
    // Added entries copy the last entry's layout and other keys (such as timezone).
    const last = entries[entries.length - 1] as Entry;
    const added = wanted
      .slice(old.length)
      .map((cron) => renderCron(text, last.cron, cron, inFlow || Boolean(last.item.flow), mark));
    edits.push(...countEdits({ text, file, seq, entries, keep: wanted.length, added }));
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
