import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FileProblems } from '../../src/schedule/config.js';
import { readSchedule, rewriteSchedule } from '../../src/schedule/rewriter.js';
import { ROOT } from '../helpers/run-action.js';

const DIR = join(ROOT, '__tests__/fixtures/rewrite');
const cases: Record<string, { wanted: string[]; about: string }> = JSON.parse(
  readFileSync(join(DIR, 'cases.json'), 'utf8'),
);

describe('golden rewrites', () => {
  it('has a case for every fixture folder', () => {
    const folders = readdirSync(DIR).filter((f) => f !== 'cases.json');
    expect(folders.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))('%s: %s', (name, { wanted }) => {
    const input = readFileSync(join(DIR, name, 'input.yml'), 'utf8');
    const expected = readFileSync(join(DIR, name, 'expected.yml'), 'utf8');
    const result = rewriteSchedule(input, wanted, `${name}.yml`);
    expect(result.text).toBe(expected);
    expect(result.changed).toBe(input !== expected);
    expect(result.after.map((e) => e.cron)).toEqual(wanted);
    // A second run with the same schedule changes nothing.
    expect(rewriteSchedule(result.text, wanted, `${name}.yml`).text).toBe(result.text);
  });

  it.each(Object.entries(cases))(
    '%s: rewriting back restores the input where counts match',
    (name, { wanted }) => {
      const input = readFileSync(join(DIR, name, 'input.yml'), 'utf8');
      const original = readSchedule(input, name).map((e) => e.cron);
      // A plain value that had to gain quotes (it starts with *) cannot lose them again.
      if (original.length !== wanted.length || name === 'plain-values') return;
      const there = rewriteSchedule(input, wanted, name).text;
      expect(rewriteSchedule(there, original, name).text).toBe(input);
    },
  );

  it('notes updated references and plain uses, and warns on generated files', () => {
    const read = (name: string) => readFileSync(join(DIR, name, 'input.yml'), 'utf8');
    const ifs = rewriteSchedule(
      read('schedule-reference-if'),
      cases['schedule-reference-if']?.wanted ?? [],
      'w.yml',
    );
    expect(ifs.notes).toEqual([
      "w.yml:7: updated the github.event.schedule comparison '0 0 * * Sun' to '0 1 * * Sun'",
      "w.yml:12: updated the github.event.schedule comparison '0 0 * * Sun' to '0 1 * * Sun'",
    ]);
    const group = rewriteSchedule(read('schedule-reference-concurrency'), ['1 1 * * *'], 'c.yml');
    expect(group.notes).toEqual([
      'c.yml:5: uses github.event.schedule; it will carry the new cron strings',
    ]);
    const lock = rewriteSchedule(read('generated-lock'), ['1 1 * * *'], 'g.yml');
    expect(lock.warnings[0]).toMatch(/g\.yml is marked as generated \(DO NOT EDIT\)/);
    // A marker below a banner (gh-aw's sits at line 17): the whole leading comment block counts.
    const ghAw = readFileSync(
      join(ROOT, '__tests__/fixtures/agentic/refused/gh-aw-lock.yml'),
      'utf8',
    );
    const other = ghAw.replace(/^# gh-aw-metadata.*\n/, '').replace('by gh-aw', 'by a tool');
    const banner = rewriteSchedule(other, ['1 1 * * *'], 'b.yml');
    expect(banner.warnings).toEqual([
      'b.yml is marked as generated (DO NOT EDIT): change the source it is generated from too, or the next generation undoes this schedule',
    ]);
    // gh-aw's own lock file is refused, naming the .md to manage instead.
    expect(() => rewriteSchedule(ghAw, ['1 1 * * *'], '.github/workflows/report.lock.yml')).toThrow(
      /report\.lock\.yml:1: is a gh-aw lock file .*manage \.github\/workflows\/report\.md instead/,
    );
    const below = read('single-quoted').replace('on:\n', 'on:\n# DO NOT EDIT\n');
    expect(rewriteSchedule(below, ['1 1 * * *'], 'x.yml').warnings).toEqual([]);
  });
});

function problem(text: string, wanted: string[]): string {
  try {
    rewriteSchedule(text, wanted, 'w.yml');
  } catch (error) {
    if (error instanceof FileProblems) return error.message;
    throw error;
  }
  throw new Error('expected the rewrite to be refused');
}

describe('refusals', () => {
  it.each([
    [
      'an alias as the cron',
      "x: &c '0 0 * * *'\non:\n  schedule:\n    - cron: *c\n",
      /w\.yml:4: the cron is an alias \(\*c\)/,
    ],
    [
      'an anchored cron',
      "on:\n  schedule:\n    - cron: &c '0 0 * * *'\nx: *c\n",
      /w\.yml:3: the cron has an anchor \(&c\)/,
    ],
    ['no schedule', 'on:\n  push:\n', /w\.yml:1: has no 'on: schedule:' entry/],
    ['on as a string', 'on: push\n', /w\.yml:1: has no 'on: schedule:' entry/],
    ['no on key', 'name: x\njobs: {}\n', /w\.yml:1: has no 'on:' key/],
    ['invalid YAML', 'on:\n  schedule:\n    - cron: "0 0 * * *\n', /w\.yml:\d+: not valid YAML/],
    ['an empty schedule', 'on:\n  schedule: []\n', /w\.yml:2: 'schedule:' must be a list/],
    [
      'an entry without cron',
      'on:\n  schedule:\n    - timezone: UTC\n',
      /w\.yml:3: each schedule entry needs a cron string/,
    ],
    [
      'a comparison when the entry count changes',
      "on:\n  schedule:\n    - cron: '0 0 * * Sun'\njobs:\n  a:\n    if: github.event.schedule == '0 0 * * Sun'\n",
      /w\.yml:6: compares github\.event\.schedule with '0 0 \* \* Sun', but the schedule goes from 1 to 2 entries/,
    ],
    [
      'a commented flow list with two entries on a line, when the count changes',
      "on:\n  schedule: [{cron: '0 0 * * *'}, # both\n    {cron: '0 1 * * *'}, {cron: '0 2 * * *'}]\n",
      /w\.yml:3: the flow-style schedule list has comments and an entry that does not have a line of its own/,
    ],
  ])('refuses %s, naming the line', (_what, text, message) => {
    expect(problem(text, ['1 1 * * *', '2 2 * * *'])).toMatch(message);
  });
});

describe('rewrite properties', () => {
  const field = (max: number) => fc.integer({ min: 0, max }).map(String);
  const cron = fc
    .tuple(
      fc.oneof(field(59), fc.constant('*/15')),
      fc.oneof(field(23), fc.constant('*'), fc.constant('*/3'), fc.constant('8,14,20')),
      fc.constant('*'),
      fc.constant('*'),
      fc.oneof(fc.constant('*'), fc.constant('1-5'), fc.constant('Sun')),
    )
    .map((parts) => parts.join(' '));
  const crons = fc.array(cron, { minLength: 1, maxLength: 4 });
  const style = fc.constantFrom('single', 'double', 'plain', 'flow');
  const eol = fc.constantFrom('\n', '\r\n');

  function workflow(list: string[], kind: string, nl: string): string {
    const q = (c: string) =>
      kind === 'double' ? `"${c}"` : kind === 'plain' && /^\d/.test(c) ? c : `'${c}'`;
    const schedule =
      kind === 'flow'
        ? [`  schedule: [${list.map((c) => `{cron: '${c}'}`).join(', ')}]`]
        : ['  schedule:', ...list.map((c) => `    - cron: ${q(c)}  # keep me`)];
    return [
      'name: prop # top',
      'on:',
      ...schedule,
      '  workflow_dispatch:',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '',
    ].join(nl);
  }

  it('gives exactly the wanted crons, keeps the rest, and restores the original', () => {
    fc.assert(
      fc.property(crons, crons, style, eol, (from, to, kind, nl) => {
        const input = workflow(from, kind, nl);
        const out = rewriteSchedule(input, to, 'p.yml');
        const data = parse(out.text);
        expect(data.on.schedule.map((e: { cron: string }) => e.cron)).toEqual(to);
        expect(data.jobs).toEqual({ a: { 'runs-on': 'ubuntu-latest' } });
        expect(out.text.startsWith(`name: prop # top${nl}on:${nl}`)).toBe(true);
        expect(out.text.split(nl).length).toBe(
          input.split(nl).length -
            from.length * (kind === 'flow' ? 0 : 1) +
            to.length * (kind === 'flow' ? 0 : 1),
        );
        if (nl === '\r\n') expect(out.text.replace(/\r\n/g, '')).not.toContain('\n');
        const requoted = kind === 'plain' && to.some((c) => c.startsWith('*'));
        if (from.length === to.length && !requoted)
          expect(rewriteSchedule(out.text, from, 'p.yml').text).toBe(input);
      }),
      { numRuns: 400 },
    );
  });
});
