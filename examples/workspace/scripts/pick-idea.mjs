#!/usr/bin/env node
// Picks one idea from a JSON list. Each idea names its focus areas in `tags`. FOCUS picks the
// area: `auto` (or empty) draws from every idea, weighted 3x for ai-autonomy, 2x for
// ml-learning and agent-systems, 1x otherwise; an area keeps only the ideas tagged with it,
// matched exactly. Writes the pick as the step outputs `title` and `body`.
// Usage: FOCUS=agent-systems node scripts/pick-idea.mjs .github/ideas.json
import { randomInt } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The focus areas and the weight of an idea in each, for `auto`. */
export const FOCUS_WEIGHTS = Object.freeze({
  'ai-autonomy': 3,
  'ml-learning': 2,
  'agent-systems': 2,
  'code-generation': 1,
  performance: 1,
});
export const FOCUS_VALUES = Object.freeze(['auto', ...Object.keys(FOCUS_WEIGHTS)]);

const tagsOf = (idea) => (Array.isArray(idea.tags) ? idea.tags.map(String) : []);

/** The weight of one idea: that of its heaviest focus area, 1 when it has none. */
export function weightOf(idea) {
  return Math.max(1, ...tagsOf(idea).map((t) => FOCUS_WEIGHTS[t] ?? 1));
}

/**
 * The ideas of one focus area (tags matched exactly), or all of them for `auto`. `matched` is
 * false when no idea has that area, and then every idea is offered. A value that is not an
 * area throws, naming the allowed ones.
 */
export function focused(ideas, focus) {
  const want = (focus ?? '').trim() || 'auto';
  if (!FOCUS_VALUES.includes(want)) {
    throw new Error(`FOCUS must be one of ${FOCUS_VALUES.join(', ')}, got '${want}'`);
  }
  if (want === 'auto') return { ideas, matched: true };
  const hits = ideas.filter((idea) => tagsOf(idea).includes(want));
  return hits.length > 0 ? { ideas: hits, matched: true } : { ideas, matched: false };
}

/** One idea, drawn with the weights; `random(n)` gives a whole number in [0, n). */
export function pick(ideas, random = randomInt) {
  if (ideas.length === 0) throw new Error('the idea list is empty');
  const total = ideas.reduce((sum, idea) => sum + weightOf(idea), 0);
  let ticket = random(total);
  for (const idea of ideas) {
    ticket -= weightOf(idea);
    if (ticket < 0) return idea;
  }
  return ideas[ideas.length - 1];
}

function main() {
  const file = process.argv[2] ?? '.github/ideas.json';
  const focus = (process.env.FOCUS ?? '').trim() || 'auto';
  let chosen;
  try {
    chosen = focused(JSON.parse(readFileSync(file, 'utf8')), focus);
  } catch (error) {
    console.log(`::error::${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  if (!chosen.matched) console.log(`::notice::No idea is tagged ${focus}; picking from all ideas`);
  const idea = pick(chosen.ideas);
  const body = `Picked by the AI idea spawner (focus: ${focus}, weight ${weightOf(idea)}).\n\nTags: ${tagsOf(idea).join(', ') || 'none'}`;
  console.log(`Picked: ${idea.title}`);
  if (process.env.GITHUB_OUTPUT) {
    const delimiter = `idea_${randomInt(1e9)}`;
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `title<<${delimiter}\n${idea.title}\n${delimiter}\nbody<<${delimiter}\n${body}\n${delimiter}\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
