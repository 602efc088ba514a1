import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costsPerRun, parseLoggedRuns } from '../../src/pacing/run-costs.js';
import { FileProblems } from '../../src/schedule/config.js';
import { ROOT } from '../helpers/run-action.js';

const FIXTURE = readFileSync(join(ROOT, '__tests__/fixtures/gh-aw/logs.json'), 'utf8');
const problems = (text: string) => {
  try {
    parseLoggedRuns(text, 'runs.json');
  } catch (error) {
    if (error instanceof FileProblems) return error.problems;
    throw error;
  }
  return [];
};

describe('the runs of a gh aw logs --json file', () => {
  it('reads workflow_path and aic of every run, and nothing else', () => {
    const runs = parseLoggedRuns(FIXTURE, 'logs.json');
    expect(runs).toHaveLength(6);
    expect(runs[0]).toEqual({ workflowPath: '.github/workflows/daily-triage.lock.yml', aic: 14 });
    // gh-aw leaves aic out when a run spent nothing it could count.
    expect(runs[2]).toEqual({
      workflowPath: '.github/workflows/daily-triage.lock.yml',
      aic: undefined,
    });
  });

  it.each([
    [
      'not JSON',
      '{"runs": [',
      /^runs\.json: is not JSON \(.+\); it must be the JSON that `gh aw logs --json` prints/,
    ],
    ['a bare list', '[]', /^runs\.json: must be the JSON .+; found a list$/],
    ['an object without runs', '{"summary": {}}', /found an object without a runs list$/],
    ['null', 'null', /found null$/],
  ])('refuses %s, naming the file and the shape it must have', (_name, text, message) => {
    expect(problems(text)).toEqual([expect.stringMatching(message)]);
  });

  it('names each bad run field with its index, the value shown short and quoted', () => {
    const text = JSON.stringify({
      runs: [
        { workflow_path: '.github/workflows/a.lock.yml', aic: -1 },
        'run',
        { workflow_path: 7, aic: '12' },
        {
          workflow_path: '.github/workflows/b.lock.yml',
          aic: 'x'.repeat(90),
        },
      ],
    });
    expect(problems(text)).toEqual([
      'runs.json: runs[0].aic must be a number of 0 or more (the AI credits the run spent), got -1',
      'runs.json: runs[1] must be an object, got "run"',
      'runs.json: runs[2].workflow_path must be a string, got 7',
      'runs.json: runs[2].aic must be a number of 0 or more (the AI credits the run spent), got "12"',
      `runs.json: runs[3].aic must be a number of 0 or more (the AI credits the run spent), got "${'x'.repeat(39)}...`,
    ]);
  });

  it('lists five problems and counts the rest', () => {
    const text = JSON.stringify({ runs: Array.from({ length: 9 }, () => ({ aic: 'a' })) });
    const found = problems(text);
    expect(found).toHaveLength(6);
    expect(found[5]).toBe('runs.json: and 4 more problems like these');
  });
});

describe('cost per run of each managed workflow', () => {
  const runs = parseLoggedRuns(FIXTURE, 'logs.json');
  const managed = ['daily-triage.md', 'weekly-digest.yml', 'idle.md'];

  it('is the median aic of its runs that spent any; a .lock.yml run counts for its .md', () => {
    const costs = costsPerRun(runs, managed, '.github/workflows');
    // daily-triage: 14 and 10 (the run without aic is left out); weekly-digest: 30 and 40.5.
    expect(Object.fromEntries(costs)).toEqual({
      'daily-triage.md': { cost: 12, runs: 2 },
      'weekly-digest.yml': { cost: 35.25, runs: 2 },
    });
  });

  it('takes the middle run, so one run that spent its cap does not set the cost', () => {
    const path = '.github/workflows/a.lock.yml';
    const spent = [3, 1000, 2, 0, 4].map((aic) => ({ workflowPath: path, aic }));
    expect(costsPerRun(spent, ['a.md'], '.github/workflows').get('a.md')).toEqual({
      cost: 3.5,
      runs: 4,
    });
  });

  it('matches the whole path under workflows-dir, not only the name', () => {
    const elsewhere = [{ workflowPath: 'other/daily-triage.lock.yml', aic: 5 }];
    expect(costsPerRun(elsewhere, managed, '.github/workflows').size).toBe(0);
    expect(costsPerRun(elsewhere, ['daily-triage.md'], 'other').get('daily-triage.md')?.cost).toBe(
      5,
    );
  });
});
