import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { FileProblems, parseConfig } from '../../src/schedule/config.js';
import { readSchedule, rewriteSchedule } from '../../src/schedule/rewriter.js';
import { decodeText, readTextFile } from '../../src/text.js';
import { aliasBomb } from '../helpers/hostile.js';
import { makeWorkspace } from '../helpers/workspace.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FileProblems) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('alias bombs', () => {
  it.each([
    [
      'inside on:',
      `on:\n  schedule:\n    - cron: '0 0 * * *'\n  workflow_dispatch:\n    inputs:\n${aliasBomb('      ')}jobs: {}\n`,
    ],
    [
      'elsewhere, with on: last',
      `name: b\n${aliasBomb('')}on:\n  schedule:\n    - cron: '0 0 * * *'\n`,
    ],
  ])('refuses a bomb %s, naming the file, for a read and for a rewrite', (_where, text) => {
    expect(text.length).toBeLessThan(600);
    const message = /^w\.yml: its YAML aliases expand more than 100 times/;
    expect(refusal(() => rewriteSchedule(text, ['5 5 * * *'], 'w.yml'))).toMatch(message);
    expect(refusal(() => readSchedule(text, 'w.yml'))).toMatch(message);
  });

  it('names an alias without its anchor as such, not as a bomb', () => {
    const text = "a: &x 1\nb: *nope\non:\n  schedule:\n    - cron: '0 0 * * *'\n";
    expect(refusal(() => readSchedule(text, 'w.yml'))).toBe(
      'w.yml: not valid YAML: Unresolved alias (the anchor must be set before the alias): nope',
    );
  });

  it('still reads a workflow that aliases a few values', () => {
    const text =
      "env: &env {A: '1'}\non:\n  schedule:\n    - cron: '0 0 * * *'\n  push: &p {branches: [main]}\n  pull_request: *p\njobs:\n  a: {env: *env}\n  b: {env: *env}\n";
    const out = rewriteSchedule(text, ['5 5 * * *'], 'w.yml');
    expect(out.text).toBe(text.replace('0 0 * * *', '5 5 * * *'));
  });

  it('refuses aliases in the config instead of expanding them, listing a few', () => {
    const message = refusal(() => parseConfig(`workflows: {}\n${aliasBomb('')}`, 'c.yml'));
    expect(message.split('\n')).toEqual([
      "c.yml:3: '*a' is an alias; the config takes literal values only (write the value out)",
      "c.yml:3: '*a' is an alias; the config takes literal values only (write the value out)",
      "c.yml:3: '*a' is an alias; the config takes literal values only (write the value out)",
      "c.yml:3: '*a' is an alias; the config takes literal values only (write the value out)",
      "c.yml:3: '*a' is an alias; the config takes literal values only (write the value out)",
      'c.yml: and 67 more aliases',
    ]);
    expect(
      refusal(() =>
        parseConfig('x: &agents {preset: agents}\nworkflows:\n  a.yml: *agents\n', 'c.yml'),
      ),
    ).toBe(
      "c.yml:3: '*agents' is an alias; the config takes literal values only (write the value out)",
    );
  });
});

describe('anchors on what an edit touches', () => {
  it.each([
    [
      'the on: value',
      "on: &trig\n  schedule:\n    - cron: '0 0 * * *'\nx: *trig\n",
      /^w\.yml:1: the 'on:' value has an anchor \(&trig\)/,
    ],
    [
      'a schedule entry',
      "on:\n  schedule:\n    - &e {cron: '0 0 * * *'}\nx: [*e]\n",
      /^w\.yml:3: a schedule entry has an anchor \(&e\)/,
    ],
    [
      'a time zone an added entry would copy',
      "on:\n  schedule:\n    - cron: '0 0 * * *'\n      timezone: &tz Europe/Paris\nx: *tz\n",
      /^w\.yml:4: a value in a schedule entry has an anchor \(&tz\)/,
    ],
    [
      'the workflow itself',
      "&all\non:\n  schedule:\n    - cron: '0 0 * * *'\n",
      /^w\.yml:1: the workflow mapping has an anchor \(&all\)/,
    ],
    [
      'the schedule list',
      "on:\n  schedule: &s\n    - cron: '0 0 * * *'\nx: *s\n",
      /^w\.yml:2: the schedule list has an anchor \(&s\)/,
    ],
  ])(
    'refuses an anchor on %s, naming the line, and edits neither place',
    (_what, text, message) => {
      expect(refusal(() => rewriteSchedule(text, ['5 5 * * *'], 'w.yml'))).toMatch(message);
    },
  );

  it('refuses a schedule that is an alias', () => {
    const text = "x: &s [{cron: '0 0 * * *'}]\non:\n  schedule: *s\n";
    expect(refusal(() => rewriteSchedule(text, ['5 5 * * *'], 'w.yml'))).toBe(
      "w.yml:3: 'schedule:' is an alias (*s); the orchestrator edits only a literal list",
    );
  });
});

describe('strict UTF-8', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it.each([
    ['a Latin-1 byte', bytes('on:\n  # caf', [0xe9], '\n'), 2, 11, 'E9'],
    ['a cut-off sequence', bytes('a\nb\nc: ', [0xe2, 0x82], 'x\n'), 3, 7, 'E2'],
    ['a stray continuation byte', bytes('x', [0x80]), 1, 1, '80'],
    ['a sequence cut off at the end', bytes('name: \u20ac', [0xe2, 0x82]), 1, 9, 'E2'],
  ])('refuses %s, naming the line and byte offset', (_what, data, line, offset, byte) => {
    expect(refusal(() => decodeText(data, 'w.yml'))).toBe(
      `w.yml:${line}: is not valid UTF-8 (byte 0x${byte} at offset ${offset}); the orchestrator edits UTF-8 text only, so it refuses the file rather than change that byte: save it as UTF-8`,
    );
  });

  it('keeps a byte order mark and every valid character', () => {
    const text = '\ufeffname: caf\u00e9 \u20ac \u{1f600} \ufffd\n';
    expect(decodeText(Buffer.from(text), 'w.yml')).toBe(text);
    const dir = mkdtempSync(join(tmpdir(), 'do-text-'));
    writeFileSync(join(dir, 'w.yml'), text);
    expect(readTextFile(join(dir, 'w.yml'), 'w.yml')).toBe(text);
    expect(readTextFile(join(dir, 'missing.yml'))).toBeUndefined();
  });

  it('leaves a history that is not UTF-8 alone, with a warning, instead of rewriting its bytes', async () => {
    const ws = makeWorkspace({ '.github/orchestrator.yml': 'workflows: {}\n' });
    const history = Buffer.concat([
      Buffer.from(
        '{"records":[{"date":"2025-11-11","time":"2025-11-11T00:00:00Z","quota":1500,"used":280,"mode":"normal","alert":"ok","note":"caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from('"}]}\n'),
    ]);
    writeFileSync(join(ws, 'history.json'), history);
    const values: Record<string, string> = {
      quota: '1500',
      used: '300',
      now: '2025-11-12T00:00:00Z',
      'history-file': 'history.json',
    };
    const result = await orchestrate({ ...parseInputs((name) => values[name]), workspace: ws });
    expect(result.warnings.filter((w) => w.startsWith('History'))).toEqual([
      'History file history.json cannot be read (history.json:1: is not valid UTF-8 (byte 0xE9 at offset 127); the orchestrator edits UTF-8 text only, so it refuses the file rather than change that byte: save it as UTF-8); this run is not recorded',
    ]);
    expect(result.changes).toEqual([]);
    expect(readFileSync(join(ws, 'history.json')).equals(history)).toBe(true);
  });
});
