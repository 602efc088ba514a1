import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript example script, without types
import { focused, pick, weightOf } from '../examples/workspace/scripts/pick-idea.mjs';
import { parseCommandFile, ROOT } from './helpers/run-action.js';

type Idea = { title: string; tags?: string[] };
const IDEAS: Idea[] = JSON.parse(
  readFileSync(join(ROOT, 'examples/workspace/.github/ideas.json'), 'utf8'),
);

describe('the AI idea spawner example', () => {
  it('weighs AI and autonomy 3x, ML and agents 2x, the rest 1x', () => {
    expect(weightOf({ title: 'a', tags: ['AI'] })).toBe(3);
    expect(weightOf({ title: 'a', tags: ['agents', 'autonomy'] })).toBe(3);
    expect(weightOf({ title: 'a', tags: ['ml'] })).toBe(2);
    expect(weightOf({ title: 'a', tags: ['agents'] })).toBe(2);
    expect(weightOf({ title: 'a', tags: ['docs'] })).toBe(1);
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

  it('keeps to the focus, or falls back to all ideas when nothing matches', () => {
    const { ideas, matched } = focused(IDEAS, 'ML');
    expect(matched).toBe(true);
    expect(ideas.every((i: Idea) => i.tags?.includes('ml'))).toBe(true);
    expect(focused(IDEAS, 'quantum')).toEqual({ ideas: IDEAS, matched: false });
    expect(focused(IDEAS, '')).toEqual({ ideas: IDEAS, matched: true });
  });

  it('writes the pick as step outputs', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'do-idea-')), 'output');
    writeFileSync(output, '');
    execFileSync(process.execPath, ['scripts/pick-idea.mjs', '.github/ideas.json'], {
      cwd: join(ROOT, 'examples/workspace'),
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, FOCUS: 'flaky' },
    });
    const outputs = parseCommandFile(readFileSync(output, 'utf8'));
    expect(outputs.title).toBe('Self-healing CI: an AI that proposes fixes for flaky tests');
    expect(outputs.body).toContain('weight 3, focus: flaky');
  });
});
