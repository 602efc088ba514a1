import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FOCUS_VALUES,
  focused,
  pick,
  weightOf,
  // @ts-expect-error: a plain JavaScript example script, without types
} from '../examples/workspace/scripts/pick-idea.mjs';
import { parseConfig } from '../src/schedule/config.js';
import { runsBetween } from '../src/schedule/cron.js';
import { MODES } from '../src/usage/tracker.js';
import { parseCommandFile, ROOT } from './helpers/run-action.js';

type Idea = { title: string; tags?: string[] };
const IDEAS: Idea[] = JSON.parse(
  readFileSync(join(ROOT, 'examples/workspace/.github/ideas.json'), 'utf8'),
);

/**
 * The system this action grew from, per workflow and mode: runs a week, the UTC hours and the
 * weekdays (0 is Sunday) it ran at. Its minutes were :00; the example moves them off the hour.
 */
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const hours = (step: number, from = 0) =>
  Array.from({ length: 24 / step }, (_, i) => from + i * step);
const SEED: Record<string, Record<string, { hours: number[]; days: number[] }>> = {
  'learn-from-tldr.yml': {
    aggressive: { hours: hours(3), days: EVERY_DAY },
    normal: { hours: [8, 20], days: EVERY_DAY },
    conservative: { hours: [12], days: EVERY_DAY },
  },
  'learn-from-hackernews.yml': {
    aggressive: { hours: hours(2), days: EVERY_DAY },
    normal: { hours: [7, 13, 19], days: EVERY_DAY },
    conservative: { hours: [8, 20], days: EVERY_DAY },
  },
  'idea-generator.yml': {
    aggressive: { hours: hours(4), days: EVERY_DAY },
    normal: { hours: [10], days: EVERY_DAY },
    conservative: { hours: [10], days: [1, 4] },
  },
  'ai-idea-spawner.yml': {
    aggressive: { hours: hours(3), days: EVERY_DAY },
    normal: { hours: hours(4), days: EVERY_DAY },
    conservative: { hours: [10], days: EVERY_DAY },
  },
  'ai-friend-daily.yml': {
    aggressive: { hours: hours(6), days: EVERY_DAY },
    normal: { hours: [14], days: EVERY_DAY },
    conservative: { hours: [14], days: [0] },
  },
  'agent-spawner.yml': {
    aggressive: { hours: hours(2), days: EVERY_DAY },
    normal: { hours: hours(3), days: EVERY_DAY },
    conservative: { hours: hours(6), days: EVERY_DAY },
  },
};

describe("the example workspace reproduces the seed's schedules", () => {
  const config = parseConfig(
    readFileSync(join(ROOT, 'examples/workspace/.github/orchestrator.yml'), 'utf8'),
    'orchestrator.yml',
  );
  // Sunday 2025-11-02 to Sunday 2025-11-09, UTC.
  const from = new Date('2025-11-02T00:00:00Z');
  const to = new Date('2025-11-09T00:00:00Z');

  it('manages the same six workflows', () => {
    expect(config.workflows.map((w) => w.file).sort()).toEqual(Object.keys(SEED).sort());
  });

  describe.each(Object.entries(SEED))('%s', (file, modes) => {
    it.each(MODES)('%s: the same runs, hours and weekdays, off the top of the hour', (mode) => {
      const managed = config.workflows.find((w) => w.file === file);
      const runs = (managed?.schedules[mode] ?? []).flatMap((c) => runsBetween(c, from, to));
      const want = modes[mode] ?? { hours: [], days: [] };
      expect(runs).toHaveLength(want.hours.length * want.days.length);
      expect([...new Set(runs.map((r) => r.getUTCHours()))].sort((a, b) => a - b)).toEqual(
        want.hours,
      );
      expect([...new Set(runs.map((r) => r.getUTCDay()))].sort()).toEqual(want.days);
      expect(runs.every((r) => r.getUTCMinutes() !== 0)).toBe(true);
    });
  });

  it("starts each workflow file on its normal schedule, as the seed's files did", () => {
    for (const managed of config.workflows) {
      const text = readFileSync(
        join(ROOT, 'examples/workspace/.github/workflows', managed.file),
        'utf8',
      );
      for (const cron of managed.schedules.normal)
        expect(text, managed.file).toContain(`'${cron}'`);
    }
  });
});

describe('the AI idea spawner example', () => {
  it('weighs ai-autonomy 3x, ml-learning and agent-systems 2x, the rest 1x', () => {
    expect(weightOf({ title: 'a', tags: ['ai-autonomy'] })).toBe(3);
    expect(weightOf({ title: 'a', tags: ['agent-systems', 'ai-autonomy'] })).toBe(3);
    expect(weightOf({ title: 'a', tags: ['ml-learning'] })).toBe(2);
    expect(weightOf({ title: 'a', tags: ['agent-systems'] })).toBe(2);
    expect(weightOf({ title: 'a', tags: ['code-generation'] })).toBe(1);
    expect(weightOf({ title: 'a', tags: ['performance'] })).toBe(1);
    expect(weightOf({ title: 'a', tags: ['AI'] })).toBe(1);
    expect(weightOf({ title: 'a' })).toBe(1);
  });

  it('draws each idea exactly as often as its weight over every ticket', () => {
    const total = IDEAS.reduce((sum, idea) => sum + weightOf(idea), 0);
    const counts = new Map<string, number>();
    for (let ticket = 0; ticket < total; ticket++) {
      const idea = pick(IDEAS, () => ticket) as Idea;
      counts.set(idea.title, (counts.get(idea.title) ?? 0) + 1);
    }
    for (const idea of IDEAS) expect(counts.get(idea.title), idea.title).toBe(weightOf(idea));
  });

  it('offers the focus values of the workflow input, and refuses others', () => {
    const workflow = readFileSync(
      join(ROOT, 'examples/workspace/.github/workflows/ai-idea-spawner.yml'),
      'utf8',
    );
    expect(workflow).toContain(`options: [${FOCUS_VALUES.join(', ')}]`);
    expect(FOCUS_VALUES).toEqual([
      'auto',
      'ai-autonomy',
      'ml-learning',
      'agent-systems',
      'code-generation',
      'performance',
    ]);
    expect(() => focused(IDEAS, 'ai')).toThrow(
      "FOCUS must be one of auto, ai-autonomy, ml-learning, agent-systems, code-generation, performance, got 'ai'",
    );
  });

  const AREAS: string[] = FOCUS_VALUES.filter((f: string) => f !== 'auto');
  it.each(AREAS)('keeps to %s, matching tags exactly', (focus) => {
    const { ideas, matched } = focused(IDEAS, focus);
    expect(matched).toBe(true);
    expect(ideas.length).toBeGreaterThan(0);
    expect(ideas.every((i: Idea) => i.tags?.includes(focus))).toBe(true);
    expect(ideas).toEqual(IDEAS.filter((i) => i.tags?.includes(focus)));
  });

  it('draws from every idea for auto or an empty focus; a title word never matches', () => {
    expect(focused(IDEAS, 'auto')).toEqual({ ideas: IDEAS, matched: true });
    expect(focused(IDEAS, '')).toEqual({ ideas: IDEAS, matched: true });
    // "Train ..." holds "ai"; matching is by tag, so the ML idea is not an ai-autonomy one.
    expect(focused(IDEAS, 'ai-autonomy').ideas.map((i: Idea) => i.title)).not.toContain(
      'Train a small model to predict review time from a diff',
    );
    expect(focused([{ title: 'x', tags: ['docs'] }], 'performance')).toEqual({
      ideas: [{ title: 'x', tags: ['docs'] }],
      matched: false,
    });
  });

  it('writes the pick as step outputs', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'do-idea-')), 'output');
    writeFileSync(output, '');
    execFileSync(process.execPath, ['scripts/pick-idea.mjs', '.github/ideas.json'], {
      cwd: join(ROOT, 'examples/workspace'),
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, FOCUS: 'performance' },
    });
    const outputs = parseCommandFile(readFileSync(output, 'utf8'));
    expect(IDEAS.filter((i) => i.tags?.includes('performance')).map((i) => i.title)).toContain(
      outputs.title,
    );
    expect(outputs.body).toContain('focus: performance, weight 1');
  });

  it('fails the step with an error on a focus that is not an area', () => {
    const out = spawnSync(process.execPath, ['scripts/pick-idea.mjs', '.github/ideas.json'], {
      cwd: join(ROOT, 'examples/workspace'),
      env: { PATH: process.env.PATH, FOCUS: 'quantum' },
      encoding: 'utf8',
    });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/^::error::FOCUS must be one of auto, /m);
  });
});
