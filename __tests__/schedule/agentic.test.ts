import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkAgentic, readAgentic, rewriteAgentic } from '../../src/schedule/agentic.js';
import { FileProblems } from '../../src/schedule/config.js';
import { PACE_FORMS } from '../../src/schedule/fuzzy.js';
import { ROOT } from '../helpers/run-action.js';

const DIR = join(ROOT, '__tests__/fixtures/agentic');
const cases: Record<string, { wanted: string[]; about: string }> = JSON.parse(
  readFileSync(join(DIR, 'cases.json'), 'utf8'),
);
const read = (name: string, file: string) =>
  readFileSync(join(DIR, name, file), { encoding: 'utf8' });

/** The frontmatter's data without its schedule, and the body, of a `.md`. */
function split(text: string) {
  const lines = text.split(/(?<=\n)/);
  const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*\r?\n?$/.test(l));
  const data = parse(lines.slice(1, close).join('')) as Record<string, unknown>;
  const on = data.on;
  const rest =
    typeof on === 'object' && on !== null
      ? { ...data, on: { ...(on as Record<string, unknown>), schedule: undefined } }
      : { ...data, on: undefined };
  return { rest, body: lines.slice(close).join('') };
}

function problems(check: () => unknown): string[] {
  try {
    check();
  } catch (error) {
    if (error instanceof FileProblems) return error.problems;
    throw error;
  }
  throw new Error('expected FileProblems');
}

describe('golden rewrites of agentic workflow frontmatter', () => {
  it('has a case for every fixture folder', () => {
    const folders = readdirSync(DIR).filter((f) => f !== 'cases.json' && f !== 'refused');
    expect(folders.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))('%s: %s', (name, { wanted }) => {
    const input = read(name, 'input.md');
    const expected = read(name, 'expected.md');
    expect(expected).not.toBe(input);
    const result = rewriteAgentic(input, wanted, `.github/workflows/${name}.md`);
    expect(result.text).toBe(expected);
    expect(result.changed).toBe(true);
    expect(result.after.map((e) => e.cron)).toEqual(wanted);
    expect(readAgentic(result.text, 'x.md').map((e) => e.cron)).toEqual(wanted);
    // Only the schedule changed: the body byte for byte, every other frontmatter key as data.
    expect(split(result.text).body).toBe(split(input).body);
    expect(split(result.text).rest).toEqual(split(input).rest);
    expect(result.text.includes('\r\n')).toBe(input.includes('\r\n'));
    // Idempotent: the same schedule again changes nothing.
    const again = rewriteAgentic(result.text, wanted, `${name}.md`);
    expect(again.changed).toBe(false);
    expect(again.text).toBe(result.text);
  });

  it('rewriting back restores the input where the entry count is kept', () => {
    for (const [name, { wanted }] of Object.entries(cases)) {
      const input = read(name, 'input.md');
      const original = readAgentic(input, name).map((e) => e.cron);
      if (original.length !== wanted.length) continue;
      const there = rewriteAgentic(input, wanted, name).text;
      expect(rewriteAgentic(there, original, name).text, name).toBe(input);
    }
  });
});

describe('reading and refusing agentic workflows', () => {
  it('reads every shape, with a cron entry time zone', () => {
    expect(readAgentic(read('on-shorthand', 'input.md'), 'a.md')).toEqual([{ cron: 'daily' }]);
    expect(readAgentic(read('schedule-flow', 'input.md'), 'a.md')).toEqual([{ cron: 'daily' }]);
    expect(readAgentic(read('cron-list-grow', 'input.md'), 'a.md')).toEqual([
      { cron: '17 6 * * 1-5', timezone: 'Europe/Berlin' },
    ]);
  });

  it('refuses a .md without frontmatter, one never closed, and one without on: or schedule', () => {
    expect(problems(() => checkAgentic('# Just a note\n\non: daily\n', 'w.md'))[0]).toMatch(
      /^w\.md:1: has no frontmatter: gh-aw reads .* between two '---' lines/,
    );
    expect(problems(() => checkAgentic('---\non: daily\n# no end\n', 'w.md'))[0]).toMatch(
      /^w\.md:1: the frontmatter opened by '---' on line 1 is never closed/,
    );
    expect(problems(() => checkAgentic('---\nengine: copilot\n---\nBody\n', 'w.md'))[0]).toMatch(
      /^w\.md:1: the frontmatter has no 'on:' key, so gh-aw would not compile it/,
    );
    expect(
      problems(() => checkAgentic('---\nengine: copilot\non:\n  push:\n---\nBody\n', 'w.md'))[0],
    ).toMatch(/^w\.md:3: has no 'on: schedule:' to manage/);
    expect(problems(() => checkAgentic('---\non: push\n---\n', 'w.md'))[0]).toMatch(
      /^w\.md:2: has no 'on: schedule:'/,
    );
  });

  it('names the file, the line and the accepted forms for a form gh-aw rejects', () => {
    const text =
      '---\nengine: copilot\non:\n  schedule:\n    - cron: "0 9 * * 1"\n    - cron: monthly\n---\n';
    const [problem] = problems(() => checkAgentic(text, '.github/workflows/r.md'));
    expect(problem).toMatch(
      /^\.github\/workflows\/r\.md:6: schedule 'monthly' is not a form gh-aw accepts \('monthly' is not a form gh-aw accepts\); accepted forms: daily, daily on weekdays, daily around 14:00, /,
    );
    const at = problems(() => checkAgentic('---\non:\n  schedule: daily at 9:00\n---\n', 'a.md'));
    expect(at[0]).toMatch(/^a\.md:3: schedule 'daily at 9:00' .*use 'around <time>'/);
    const cron = problems(() => checkAgentic('---\non:\n  schedule: "0 25 * * *"\n---\n', 'a.md'));
    expect(cron[0]).toMatch(/^a\.md:3: cron '0 25 \* \* \*' is not valid for GitHub: hour value/);
  });

  it('refuses what a string schedule cannot hold, and changes nothing', () => {
    const input = read('schedule-string', 'input.md');
    expect(problems(() => rewriteAgentic(input, ['daily', 'weekly'], 'w.md'))[0]).toMatch(
      /^w\.md:5: the schedule is one string, but this tier has 2 entries; write the schedule as a list/,
    );
    const shorthand = read('on-shorthand', 'input.md');
    expect(problems(() => rewriteAgentic(shorthand, ['17 3 * * *'], 'w.md'))[0]).toMatch(
      /^w\.md:2: 'on: daily' is gh-aw's shorthand, which takes a gh-aw form, not the cron '17 3 \* \* \*'/,
    );
    // A cron is a valid schedule string.
    expect(rewriteAgentic(input, ['17 3 * * *'], 'w.md').text).toContain(
      '  schedule: 17 3 * * *   # gh-aw',
    );
  });

  it('keeps a byte order mark before the opening line', () => {
    const text = '\uFEFF---\non:\n  schedule: daily\n---\nBody\n';
    expect(rewriteAgentic(text, ['weekly'], 'w.md').text).toBe(
      '\uFEFF---\non:\n  schedule: weekly\n---\nBody\n',
    );
  });

  it('refuses an anchored or aliased schedule', () => {
    const text = '---\nx: &s daily\non:\n  schedule: *s\n---\n';
    expect(problems(() => rewriteAgentic(text, ['weekly'], 'w.md'))[0]).toMatch(
      /^w\.md:4: 'schedule:' is an alias or has an anchor/,
    );
  });
});

describe('property: an agentic rewrite touches only the schedule', () => {
  const line = fc.constantFrom(
    '---',
    'on:',
    '  schedule: daily',
    '# Title',
    'text',
    '',
    '- cron: x',
  );
  const form = fc.constantFrom(...PACE_FORMS.map((f) => f.text));
  const shapes = [
    (v: string) => `on: ${v}\n`,
    (v: string) => `on:\n  schedule: ${v}\n  workflow_dispatch:\n`,
    (v: string) => `on: { schedule: ${v} }\n`,
    (v: string) => `on:\n  schedule:\n    - cron: ${v}\n`,
  ];

  it('keeps the body and the other keys, reads back the wanted form, and CRLF stays CRLF', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shapes.length - 1 }),
        form,
        form,
        fc.array(line, { maxLength: 8 }),
        fc.boolean(),
        (shape, from, to, bodyLines, crlf) => {
          const eol = crlf ? '\r\n' : '\n';
          const front = `engine: copilot\n${(shapes[shape] as (v: string) => string)(from)}permissions:\n  contents: read\n`;
          const body = bodyLines.map((l) => `${l}\n`).join('');
          const text = `---\n${front}---\n${body}`.replace(/\n/g, eol);
          const result = rewriteAgentic(text, [to], 'w.md');
          expect(readAgentic(result.text, 'w.md')).toEqual([{ cron: to }]);
          expect(split(result.text).body).toBe(split(text).body);
          expect(split(result.text).rest).toEqual(split(text).rest);
          expect(result.text.split('\r\n').length).toBe(text.split('\r\n').length);
          expect(result.changed).toBe(from !== to);
        },
      ),
      { numRuns: 150 },
    );
  });
});
