/**
 * The schedule of a gh-aw agentic workflow (`NAME.md`): the `on:` of its YAML frontmatter, read
 * and rewritten by editing only the schedule's own bytes. The Markdown body, every other
 * frontmatter key and the line endings stay as they are; `gh aw compile` turns the result into
 * `NAME.lock.yml`.
 *
 * Shapes: `on: daily` (gh-aw's shorthand: the whole trigger is one form), `on: { schedule: ... }`
 * or `on:\n  schedule: daily on weekdays` (one string), and a list of `- cron:` entries, each a
 * cron or a form. The list goes through the `.yml` rewriter unchanged: the frontmatter is handed
 * to it as a YAML text whose offsets are those of the file (the opening `---` blanked out).
 */
import { isDeepStrictEqual } from 'node:util';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  type Scalar,
} from 'yaml';
import { FileProblems } from './config.js';
import { runsPerDay, scheduleProblem } from './cron.js';
import { isWords, startsSchedule } from './fuzzy.js';
import { type RewriteResult, renderCron, rewriteSchedule } from './rewriter.js';
import { dataOf, entryOf, keyIs, lineAt, locate, type ScheduleEntry } from './workflow.js';

/** The frontmatter as a YAML text with the file's own offsets, and where the closing line starts. */
interface Frontmatter {
  yaml: string;
  end: number;
  /** Length of the opening `---` line (without its line break), blanked in `yaml`. */
  blank: number;
}

const OPEN = /^---[ \t]*\r?$/;
/** The opening line may follow a byte order mark, which the blanking then covers too. */
const FIRST = /^\uFEFF?---[ \t]*\r?$/;

function frontmatter(text: string, file: string): Frontmatter {
  const firstBreak = text.indexOf('\n');
  const first = firstBreak === -1 ? text : text.slice(0, firstBreak);
  if (!FIRST.test(first)) {
    throw new FileProblems([
      `${file}:1: has no frontmatter: gh-aw reads an agentic workflow's triggers from a YAML block between two '---' lines at the top of the file, so it would not compile this one; add one whose 'on:' holds a 'schedule:' (such as 'schedule: daily')`,
    ]);
  }
  for (let at = firstBreak + 1; at > 0 && at < text.length; ) {
    const next = text.indexOf('\n', at);
    const line = text.slice(at, next === -1 ? text.length : next);
    if (OPEN.test(line)) {
      // Blanking the opening line keeps every offset and line number of the file.
      const blank = first.replace(/\r$/, '').length;
      return { yaml: ' '.repeat(blank) + text.slice(blank, at), end: at, blank };
    }
    if (next === -1) break;
    at = next + 1;
  }
  throw new FileProblems([
    `${file}:1: the frontmatter opened by '---' on line 1 is never closed: end it with a line holding only '---'`,
  ]);
}

/** Where the schedule sits: the shorthand `on:` string, a `schedule:` string, or a list. */
type Place =
  | { shape: 'on' | 'string'; doc: Document; node: Scalar<string>; inFlow: boolean }
  | { shape: 'list'; doc: Document };

function fail(file: string, text: string, offset: number | undefined, message: string): never {
  throw new FileProblems([
    `${file}:${offset === undefined ? 1 : lineAt(text, offset)}: ${message}`,
  ]);
}

function place(yaml: string, file: string): Place {
  const doc = parseDocument(yaml, { prettyErrors: false });
  const error = doc.errors[0];
  if (error)
    fail(
      file,
      yaml,
      error.pos[0],
      `frontmatter is not valid YAML: ${error.message.split('\n')[0]}`,
    );
  if (yaml.includes('&')) dataOf(doc, file);
  const root = doc.contents;
  const on = isMap(root) ? root.items.find((p) => keyIs(p, 'on')) : undefined;
  if (!on) {
    fail(
      file,
      yaml,
      0,
      "the frontmatter has no 'on:' key, so gh-aw would not compile it and there is no schedule to manage; add one whose value holds a 'schedule:' (such as 'schedule: daily')",
    );
  }
  const value = on.value as Node | null;
  const literal = (node: Node | null, what: string) => {
    if (isAlias(node) || node?.anchor) {
      fail(
        file,
        yaml,
        node?.range?.[0],
        `${what} is an alias or has an anchor; the orchestrator edits only literal values nothing else shares`,
      );
    }
  };
  literal(value, "'on:'");
  if (isScalar(value) && typeof value.value === 'string' && startsSchedule(value.value)) {
    return { shape: 'on', doc, node: value as Scalar<string>, inFlow: false };
  }
  const schedule = isMap(value) ? value.items.find((p) => keyIs(p, 'schedule')) : undefined;
  if (!schedule || !isMap(value)) {
    fail(
      file,
      yaml,
      (on.key as Node).range?.[0],
      "has no 'on: schedule:' to manage; give it one, such as 'schedule: daily' or a list of '- cron:' entries",
    );
  }
  const node = schedule.value as Node | null;
  literal(node, "'schedule:'");
  if (isScalar(node) && typeof node.value === 'string') {
    return { shape: 'string', doc, node: node as Scalar<string>, inFlow: Boolean(value.flow) };
  }
  if (isSeq(node)) return { shape: 'list', doc };
  return fail(
    file,
    yaml,
    (schedule.key as Node).range?.[0],
    "'schedule:' must be a gh-aw form (such as 'daily on weekdays') or a list of '- cron:' entries",
  );
}

/** The schedule entries of an agentic workflow as they are, unchecked. */
export function readAgentic(text: string, file: string): ScheduleEntry[] {
  const { yaml } = frontmatter(text, file);
  const where = place(yaml, file);
  if (where.shape === 'list')
    return locate(yaml, file, false).entries.map((e) => entryOf(e.value, e.timezone));
  return [{ cron: where.node.value.trim() }];
}

/** The entries, each checked against gh-aw's forms and GitHub's crons; FileProblems naming lines. */
export function checkAgentic(text: string, file: string): ScheduleEntry[] {
  const { yaml } = frontmatter(text, file);
  const where = place(yaml, file);
  const found =
    where.shape === 'list'
      ? locate(yaml, file, false).entries.map((e) => ({
          entry: entryOf(e.value, e.timezone),
          offset: e.cron.range?.[0] ?? 0,
        }))
      : [{ entry: { cron: where.node.value.trim() }, offset: where.node.range?.[0] ?? 0 }];
  const problems = found.flatMap(({ entry, offset }) => {
    const problem = scheduleProblem(entry.cron);
    if (problem) return [`${file}:${lineAt(text, offset)}: ${problem}`];
    if (entry.timezone === undefined) return [];
    try {
      runsPerDay([entry.cron], entry.timezone);
      return [];
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return [
        `${file}:${lineAt(text, offset)}: timezone '${entry.timezone}' is not a time zone (use an IANA name such as Europe/Berlin): ${why}`,
      ];
    }
  });
  if (problems.length > 0) throw new FileProblems(problems);
  return found.map((f) => f.entry);
}

/**
 * Rewrites an agentic workflow so that its schedule holds exactly `wanted`, keeping every other
 * byte of the file; throws FileProblems when it cannot be done safely.
 */
export function rewriteAgentic(
  text: string,
  wanted: readonly string[],
  file: string,
): RewriteResult {
  if (wanted.length === 0) throw new FileProblems([`${file}: the wanted schedule is empty`]);
  const before = checkAgentic(text, file);
  const { yaml, end, blank } = frontmatter(text, file);
  const body = text.slice(end);
  const restore = (edited: string) => text.slice(0, blank) + edited.slice(blank) + body;
  const where = place(yaml, file);
  if (where.shape === 'list') {
    const result = rewriteSchedule(yaml, wanted, file);
    return { ...result, text: result.changed ? restore(result.text) : text, before };
  }
  const unchanged = before.length === wanted.length && before.every((e, i) => e.cron === wanted[i]);
  if (unchanged) return { text, changed: false, before, after: before, notes: [], warnings: [] };
  const line = lineAt(text, where.node.range?.[0] ?? 0);
  if (wanted.length !== 1) {
    throw new FileProblems([
      `${file}:${line}: the schedule is one string, but this tier has ${wanted.length} entries; write the schedule as a list ('schedule:' then one '- cron: ...' line per entry), or give this workflow one schedule per tier`,
    ]);
  }
  const value = wanted[0] as string;
  if (where.shape === 'on' && !isWords(value)) {
    throw new FileProblems([
      `${file}:${line}: 'on: ${where.node.value}' is gh-aw's shorthand, which takes a gh-aw form, not the cron '${value}'; give this workflow tiers in gh-aw's words (such as 'every 6h'), or write 'on:' with a 'schedule:' list`,
    ]);
  }
  const mark = where.node.type === 'QUOTE_DOUBLE' ? '"' : "'";
  const edit = renderCron(yaml, where.node, value, where.inFlow, mark);
  const edited = yaml.slice(0, edit.start) + edit.text + yaml.slice(edit.end);
  verifyString(where, edited, value, file);
  return {
    text: restore(edited),
    changed: true,
    before,
    after: [{ cron: value }],
    notes: [],
    warnings: [],
  };
}

/** The edited frontmatter reads back the wanted form, and nothing else in it changed. */
function verifyString(
  where: Extract<Place, { shape: 'on' | 'string' }>,
  edited: string,
  value: string,
  file: string,
): void {
  const refuse = (why: string): never => {
    throw new FileProblems([
      `${file}: the schedule edit could not be made safely (${why}); the file was left unchanged`,
    ]);
  };
  let after: Place;
  try {
    after = place(edited, file);
  } catch (error) {
    after = refuse(error instanceof Error ? error.message : String(error));
  }
  if (after.shape === 'list' || after.shape !== where.shape || after.node.value.trim() !== value) {
    refuse('it did not read back the new schedule');
  }
  const data = (doc: Document, swap: boolean) => {
    const plain = dataOf(doc, file) as Record<string, unknown>;
    if (!swap) return plain;
    if (where.shape === 'on') return { ...plain, on: value };
    return { ...plain, on: { ...(plain.on as Record<string, unknown>), schedule: value } };
  };
  if (!isDeepStrictEqual(data(after.doc, false), data(where.doc, true)))
    refuse('other content would change');
}
