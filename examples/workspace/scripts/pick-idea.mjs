#!/usr/bin/env node
// Picks one idea from a JSON list, weighted: 3x for AI or autonomy, 2x for ML or agents, 1x
// otherwise. FOCUS (optional) keeps only ideas whose title or tags mention it. Writes the
// pick as the step outputs `title` and `body`.
// Usage: node scripts/pick-idea.mjs .github/ideas.json
import { randomInt } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The weight of one idea, from its tags. */
export function weightOf(idea) {
  const tags = (idea.tags ?? []).map((t) => String(t).toLowerCase());
  if (tags.some((t) => t === 'ai' || t === 'autonomy')) return 3;
  if (tags.some((t) => t === 'ml' || t === 'agents')) return 2;
  return 1;
}

/** Ideas about `focus` (case-insensitive, in the title or a tag); all of them when none is. */
export function focused(ideas, focus) {
  const want = (focus ?? '').trim().toLowerCase();
  if (!want) return { ideas, matched: true };
  const hits = ideas.filter(
    (idea) =>
      idea.title.toLowerCase().includes(want) ||
      (idea.tags ?? []).some((t) => String(t).toLowerCase() === want),
  );
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
  const all = JSON.parse(readFileSync(file, 'utf8'));
  const { ideas, matched } = focused(all, process.env.FOCUS);
  if (!matched)
    console.log(`::notice::No idea mentions '${process.env.FOCUS}'; picking from all ideas`);
  const idea = pick(ideas);
  const body = `Picked by the AI idea spawner (weight ${weightOf(idea)}${process.env.FOCUS ? `, focus: ${process.env.FOCUS}` : ''}).\n\nTags: ${(idea.tags ?? []).join(', ') || 'none'}`;
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
