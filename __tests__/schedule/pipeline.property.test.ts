/**
 * Generated workflows through the whole pipeline (orchestrate() in a temp workspace, so the
 * write path is real): only cron bytes change, the dry-run diff applies with git to exactly
 * what a real run writes, a second run changes nothing, and a refusal writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { FileProblems } from '../../src/schedule/config.js';
import { snapshot } from '../helpers/workspace.js';

type Quote = 'plain' | 'single' | 'double';
type Style = 'block' | 'block-flow-maps' | 'flow-inline' | 'flow-lines';

interface EntryModel {
  cron: string;
  quote: Quote;
  comment: boolean;
  /** A comment line above the entry, and one under it indented deeper (gh-aw's layout). */
  above: boolean;
  below: boolean;
  timezone: string | undefined;
}

interface Model {
  bom: boolean;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
  header: string[];
  before: string[];
  after: string[];
  dispatch: 'none' | 'before' | 'after';
  style: Style;
  indent: string;
  trailingComma: boolean;
  entries: EntryModel[];
  /** Something the orchestrator must refuse. */
  hostile: 'none' | 'anchor' | 'not-utf8';
}

const field = (max: number) => fc.integer({ min: 0, max }).map(String);
const cron = fc
  .tuple(
    fc.oneof(field(59), fc.constant('*/15'), fc.constant('5,35')),
    fc.oneof(field(23), fc.constant('*'), fc.constant('*/3'), fc.constant('8,14,20')),
    fc.constantFrom('*', '1', '1-15'),
    fc.constantFrom('*', '1-6'),
    fc.constantFrom('*', '1-5', 'Sun', '0,6'),
  )
  .map((parts) => parts.join(' '));
const crons = fc.uniqueArray(cron, { minLength: 1, maxLength: 4 });

// Top-level blocks a workflow may have around `on:`; none mentions cron.
const BLOCKS = [
  'name: Property # a name',
  `run-name: 'Run #\${{ github.run_number }}'`,
  'permissions:\n  contents: read',
  'env:\n  GREETING: "hi: there" # quoted colon\n  EMPTY:',
  `concurrency:\n  group: prop-\${{ github.ref }}\n  cancel-in-progress: true`,
  'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "schedule: not this one"\n          echo done',
  'defaults: {run: {shell: bash}}',
  '# a comment line between blocks',
];

const model: fc.Arbitrary<Model> = fc
  .record({
    bom: fc.boolean(),
    eol: fc.constantFrom('\n' as const, '\r\n' as const),
    finalNewline: fc.boolean(),
    header: fc.array(fc.constantFrom('# header', '#', '# DO NOT EDIT (not really)', ''), {
      maxLength: 3,
    }),
    blocks: fc.shuffledSubarray(BLOCKS),
    split: fc.nat(),
    dispatch: fc.constantFrom('none' as const, 'before' as const, 'after' as const),
    style: fc.constantFrom(
      'block' as const,
      'block-flow-maps' as const,
      'flow-inline' as const,
      'flow-lines' as const,
    ),
    indent: fc.constantFrom('  ', '    ', '      '),
    trailingComma: fc.boolean(),
    entries: fc.array(
      fc.record({
        cron,
        quote: fc.constantFrom('plain' as const, 'single' as const, 'double' as const),
        comment: fc.boolean(),
        above: fc.boolean(),
        below: fc.boolean(),
        timezone: fc.option(fc.constantFrom('UTC', 'Europe/Paris'), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    hostile: fc.constantFrom(
      ...(['none', 'none', 'none', 'none', 'none', 'anchor', 'not-utf8'] as const),
    ),
  })
  .map(({ blocks, split, ...rest }) => {
    const at = split % (blocks.length + 1);
    return { ...rest, before: blocks.slice(0, at), after: blocks.slice(at) };
  });

function quoted(value: string, quote: Quote, flow: boolean): string {
  if (quote === 'double') return `"${value}"`;
  // A plain scalar may not start with * (an alias) nor hold a comma in a flow context.
  if (quote === 'single' || value.startsWith('*') || (flow && value.includes(','))) {
    return `'${value}'`;
  }
  return value;
}

/** Unique comments per entry, to follow where each ends up. */
const note = (i: number) => `# entry-${i}-note`;
const above = (i: number) => `# entry-${i}-above`;
const below = (i: number) => `# entry-${i}-below`;

/** An entry's lines with the comment lines around it. */
const around = (e: EntryModel, i: number, indent: string, lines: string[]) => [
  ...(e.above ? [`${indent}${above(i)}`] : []),
  ...lines,
  ...(e.below ? [`${indent}  ${below(i)}`] : []),
];

function scheduleLines(m: Model): string[] {
  const flowMap = (e: EntryModel) =>
    `{cron: ${quoted(e.cron, e.quote, true)}${e.timezone ? `, timezone: ${e.timezone}` : ''}}`;
  const tail = (e: EntryModel, i: number) => (e.comment ? ` ${note(i)}` : '');
  const anchor = m.hostile === 'anchor' ? '&shared ' : '';
  switch (m.style) {
    case 'block':
      return [
        '  schedule:',
        ...m.entries.flatMap((e, i) =>
          around(e, i, m.indent, [
            `${m.indent}- cron: ${i === 0 ? anchor : ''}${quoted(e.cron, e.quote, false)}${tail(e, i)}`,
            ...(e.timezone ? [`${m.indent}  timezone: ${e.timezone}`] : []),
          ]),
        ),
      ];
    case 'block-flow-maps':
      return [
        '  schedule:',
        ...m.entries.flatMap((e, i) =>
          around(e, i, m.indent, [
            `${m.indent}- ${i === 0 ? anchor : ''}${flowMap(e)}${tail(e, i)}`,
          ]),
        ),
      ];
    case 'flow-inline':
      return [`  schedule: ${anchor}[${m.entries.map(flowMap).join(', ')}]`];
    case 'flow-lines':
      return [
        `  schedule: ${anchor}[`,
        ...m.entries.flatMap((e, i) => {
          const comma = i < m.entries.length - 1 || m.trailingComma ? ',' : '';
          // Lines inside a flow list must sit deeper than the key that holds it.
          const indent = m.indent === '  ' ? '    ' : m.indent;
          return around(e, i, indent, [`${indent}${flowMap(e)}${comma}${tail(e, i)}`]);
        }),
        '  ]',
      ];
  }
}

/** The workflow text, and the parts before and after its schedule entries. */
function render(m: Model): { text: string; head: string; tail: string } {
  const dispatch = ['  workflow_dispatch: # by hand too'];
  const split = (block: string) => block.split('\n');
  const head = [
    ...m.header,
    ...m.before.flatMap(split),
    'on: # triggers',
    ...(m.dispatch === 'before' ? dispatch : []),
  ];
  const after = [...(m.dispatch === 'after' ? dispatch : []), ...m.after.flatMap(split)];
  const end = m.finalNewline ? m.eol : '';
  // A byte order mark, when there is one, is part of the first line.
  const bom = m.bom ? '\ufeff' : '';
  const text = bom + [...head, ...scheduleLines(m), ...after].join(m.eol) + end;
  return {
    text,
    head: bom + head.map((line) => line + m.eol).join(''),
    tail: after.length > 0 ? m.eol + after.join(m.eol) + end : end,
  };
}

/** The text with every cron value replaced by a mark, whatever its quoting. */
const masked = (text: string) =>
  text.replace(/(cron: )('[^']*'|"[^"]*"|.+?)(?=, |\}| #|\r?\n|$)/g, '$1<cron>');

const CONFIG = '.github/orchestrator.yml';
const WORKFLOW = '.github/workflows/w.yml';

function workspace(workflow: string | Buffer, wanted: string[]): string {
  const ws = mkdtempSync(join(tmpdir(), 'do-prop-'));
  mkdirSync(join(ws, '.github/workflows'), { recursive: true });
  const list = `[${wanted.map((c) => `'${c}'`).join(', ')}]`;
  writeFileSync(
    join(ws, CONFIG),
    `workflows:\n  w.yml:\n    aggressive: ${list}\n    normal: ${list}\n    conservative: ${list}\n`,
  );
  writeFileSync(join(ws, WORKFLOW), workflow);
  return ws;
}

function options(ws: string, dryRun: boolean) {
  const values: Record<string, string> = {
    quota: '1500',
    used: '300',
    now: '2025-11-12T00:00:00Z',
    'history-file': '',
    'dry-run': String(dryRun),
  };
  return { ...parseInputs((name) => values[name]), workspace: ws };
}

async function refusal(run: Promise<unknown>): Promise<FileProblems | undefined> {
  try {
    await run;
    return undefined;
  } catch (error) {
    if (error instanceof FileProblems) return error;
    throw error;
  }
}

const bytesOf = (ws: string) => readFileSync(join(ws, WORKFLOW));

describe('the pipeline on generated workflows', () => {
  it('changes only cron bytes, gives a diff git applies to what a real run writes, is idempotent, and writes nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(model, crons, async (m, wanted) => {
        const { text, head, tail } = render(m);
        const workflow =
          m.hostile === 'not-utf8'
            ? Buffer.concat([Buffer.from(`${text}${m.eol}# caf`), Buffer.from([0xe9])])
            : Buffer.from(text);
        const dry = workspace(workflow, wanted);
        const real = mkdtempSync(join(tmpdir(), 'do-prop-'));
        cpSync(dry, real, { recursive: true });
        try {
          const dryRun = orchestrate(options(dry, true));
          const problem = await refusal(dryRun);
          if (problem || m.hostile !== 'none') {
            // Refused: the same refusal when writing, and no file changed anywhere.
            expect(problem?.message).toContain(WORKFLOW);
            expect(await refusal(orchestrate(options(real, false)))).toBeDefined();
            expect(bytesOf(dry).equals(workflow)).toBe(true);
            expect(bytesOf(real).equals(workflow)).toBe(true);
            expect(snapshot(real)).toEqual(snapshot(dry));
            return;
          }
          const planned = await dryRun;
          expect(bytesOf(dry).equals(workflow)).toBe(true);

          const written = await orchestrate(options(real, false));
          const out = readFileSync(join(real, WORKFLOW), 'utf8');
          expect(written.diff).toBe(planned.diff);
          expect(parse(out).on.schedule.map((e: { cron: string }) => e.cron)).toEqual(wanted);

          // The dry-run diff, applied by git, gives exactly the file the real run wrote.
          if (planned.diff) {
            const patch = `${dry}.patch`;
            writeFileSync(patch, `${planned.diff}\n`);
            execFileSync('git', ['init', '-q'], { cwd: dry });
            execFileSync('git', ['apply', patch], { cwd: dry, stdio: 'pipe' });
            rmSync(join(dry, '.git'), { recursive: true });
            rmSync(patch);
          }
          expect(bytesOf(dry).equals(bytesOf(real))).toBe(true);

          // Only cron bytes change: the same text with crons masked, when the count stays.
          if (wanted.length === m.entries.length) expect(masked(out)).toBe(masked(text));
          // Otherwise the text around the entries stays, and each comment stays with its entry.
          expect(out.startsWith(head)).toBe(true);
          expect(out.endsWith(tail)).toBe(true);
          if (m.style !== 'flow-inline') {
            const lines = out.split(m.eol);
            const crons = lines.flatMap((line, at) => (line.includes('cron:') ? [at] : []));
            const where = (comment: string) =>
              lines.flatMap((line, at) => (line.includes(comment) ? [at] : []));
            m.entries.forEach((e, i) => {
              const kept = i < wanted.length;
              const at = crons[i] ?? -1;
              // Within the entry's stretch: after the cron line before, before the one after.
              const from = crons[i - 1] ?? -1;
              const to = crons[i + 1] ?? lines.length;
              if (e.comment) expect(where(note(i))).toEqual(kept ? [at] : []);
              if (e.above) {
                const found = where(above(i));
                expect(found).toHaveLength(kept ? 1 : 0);
                if (kept) expect((found[0] ?? -1) > from && (found[0] ?? -1) < at).toBe(true);
              }
              if (e.below) {
                const found = where(below(i));
                expect(found).toHaveLength(kept ? 1 : 0);
                if (kept) expect((found[0] ?? -1) > at && (found[0] ?? -1) < to).toBe(true);
              }
            });
          }
          expect(out.endsWith(m.eol)).toBe(m.finalNewline);
          if (m.eol === '\r\n') expect(out.replace(/\r\n/g, '')).not.toContain('\n');

          // A second run with the same schedule changes nothing.
          const again = await orchestrate(options(real, false));
          expect(again.changes).toEqual([]);
        } finally {
          rmSync(dry, { recursive: true, force: true });
          rmSync(real, { recursive: true, force: true });
        }
      }),
      { numRuns: 50 },
    );
    // 50 cases spawn git a few hundred times: seconds alone, minutes on a busy machine.
  }, 240_000);
});
