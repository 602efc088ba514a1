import { describe, expect, it } from 'vitest';
import { FileProblems } from '../../src/schedule/config.js';
import { rewriteSchedule } from '../../src/schedule/rewriter.js';
import { type Edit, verifyRewrite } from '../../src/schedule/verify.js';
import { locate } from '../../src/schedule/workflow.js';

const WORKFLOW = `name: v
on:
  schedule:
    - cron: '0 0 * * *'
      timezone: UTC
  workflow_dispatch:
jobs:
  a:
    runs-on: ubuntu-latest
`;

/** Applies raw edits (as a faulty rewriter might) and asks verifyRewrite about them. */
function check(text: string, edits: Edit[], wanted: string[], swap = new Map<string, string>()) {
  let result = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, e.start) + e.text + result.slice(e.end);
  }
  return verifyRewrite({
    text,
    result,
    edits,
    wanted,
    file: 'v.yml',
    original: locate(text, 'v.yml', false),
    swap,
  });
}

const span = (text: string, find: string, replace: string): Edit => {
  const start = text.indexOf(find);
  return { start, end: start + find.length, text: replace };
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FileProblems) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifyRewrite', () => {
  it('accepts a correct edit inside the on: block', () => {
    expect(check(WORKFLOW, [span(WORKFLOW, '0 0 * * *', '5 5 * * *')], ['5 5 * * *'])).toEqual([
      { cron: '5 5 * * *', timezone: 'UTC' },
    ]);
  });

  it('refuses when the schedule does not read back as wanted', () => {
    expect(
      refusal(() => check(WORKFLOW, [span(WORKFLOW, '0 0 * * *', '5 5 * * *')], ['6 6 * * *'])),
    ).toMatch(
      /v\.yml: the schedule edit could not be made safely \(it read back \["5 5 \* \* \*"\]\)/,
    );
  });

  it('refuses an edit that changes another trigger', () => {
    const edits = [
      span(WORKFLOW, '0 0 * * *', '5 5 * * *'),
      span(WORKFLOW, 'workflow_dispatch', 'workflow_call'),
    ];
    expect(refusal(() => check(WORKFLOW, edits, ['5 5 * * *']))).toMatch(
      /other content would change/,
    );
  });

  it("refuses an edit that changes an entry's other keys", () => {
    const edits = [span(WORKFLOW, '0 0 * * *', '5 5 * * *'), span(WORKFLOW, 'UTC', 'Europe/Paris')];
    expect(refusal(() => check(WORKFLOW, edits, ['5 5 * * *']))).toMatch(
      /entry 1 would change keys other than cron/,
    );
  });

  it('refuses an edit that breaks the YAML', () => {
    expect(
      refusal(() => check(WORKFLOW, [span(WORKFLOW, "'0 0 * * *'", "'5 5 * * *")], ['5 5 * * *'])),
    ).toMatch(/could not be made safely/);
  });

  it('checks the whole document when an edit lies outside the on: block', () => {
    const edits = [
      span(WORKFLOW, '0 0 * * *', '5 5 * * *'),
      span(WORKFLOW, 'ubuntu-latest', 'windows-latest'),
    ];
    expect(refusal(() => check(WORKFLOW, edits, ['5 5 * * *']))).toMatch(
      /other content would change/,
    );
  });

  it('checks the whole document when on: is the last key', () => {
    const last = "name: v\non:\n  schedule:\n    - cron: '0 0 * * *'\n  push:\n";
    expect(check(last, [span(last, '0 0 * * *', '1 1 * * *')], ['1 1 * * *'])).toEqual([
      { cron: '1 1 * * *' },
    ]);
    const bad = [span(last, '0 0 * * *', '1 1 * * *'), span(last, 'push', 'pull_request')];
    expect(refusal(() => check(last, bad, ['1 1 * * *']))).toMatch(/other content would change/);
  });

  it('falls back to the whole document when the on: block cannot stand alone', () => {
    const text =
      "defaults: &d {}\non:\n  schedule:\n    - cron: '0 0 * * *'\n  workflow_dispatch: *d\njobs: {}\n";
    expect(check(text, [span(text, '0 0 * * *', '2 2 * * *')], ['2 2 * * *'])).toEqual([
      { cron: '2 2 * * *' },
    ]);
    const rewritten = rewriteSchedule(text, ['2 2 * * *', '3 3 * * *'], 'v.yml');
    expect(rewritten.text).toBe(
      "defaults: &d {}\non:\n  schedule:\n    - cron: '2 2 * * *'\n    - cron: '3 3 * * *'\n  workflow_dispatch: *d\njobs: {}\n",
    );
  });

  it('expects replaced comparison literals elsewhere, and nothing more', () => {
    const text =
      "on:\n  schedule:\n    - cron: '0 0 * * *'\njobs:\n  a:\n    if: github.event.schedule == '0 0 * * *'\n";
    const swap = new Map([['0 0 * * *', '4 4 * * *']]);
    const cron = span(text, '0 0 * * *', '4 4 * * *');
    const literal = {
      start: text.lastIndexOf('0 0 * * *'),
      end: text.lastIndexOf('0 0 * * *') + 9,
      text: '4 4 * * *',
    };
    expect(check(text, [cron, literal], ['4 4 * * *'], swap)).toEqual([{ cron: '4 4 * * *' }]);
    expect(refusal(() => check(text, [cron], ['4 4 * * *'], swap))).toMatch(
      /other content would change/,
    );
  });
});
