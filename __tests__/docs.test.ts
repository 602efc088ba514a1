import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The page's lines outside fenced code blocks, where Markdown is rendered. */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading anchors: lowercased, punctuation dropped, spaces to hyphens, -1 on repeats. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Targets of the inline links and images, code spans left out. */
function linksOf(text: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push(match[1] as string);
    }
  }
  return links;
}

/** What is wrong with one relative link from `page`, or undefined when it resolves. */
function linkProblem(page: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURI(path));
  if (!existsSync(file)) return `${target}: no file ${relative(ROOT, file)}`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  const anchors = anchorsOf(readFileSync(file, 'utf8'));
  return anchors.has(anchor)
    ? undefined
    : `${target}: ${relative(ROOT, file)} has no heading #${anchor}`;
}

describe('links in the docs', () => {
  it('computes anchors as GitHub does', () => {
    const anchors = anchorsOf(
      '# Getting started, troubleshooting\n## 3. The gate step (no token)\n```\n# not a heading\n```\n## The `gate` costs\n## Notes\n## Notes\n',
    );
    expect([...anchors]).toEqual([
      'getting-started-troubleshooting',
      '3-the-gate-step-no-token',
      'the-gate-costs',
      'notes',
      'notes-1',
    ]);
  });

  it('finds the relative links outside code, and ignores the rest', () => {
    const text =
      'See [a](docs/a.md#x) and ![i](img.png "t").\n`[no](code.md)`\n```\n[no](fence.md)\n```\n[web](https://example.com)';
    expect(linksOf(text)).toEqual(['docs/a.md#x', 'img.png', 'https://example.com']);
  });

  it('reports a missing file and a missing heading', () => {
    expect(linkProblem('README.md', 'docs/nope.md')).toMatch(/no file docs\/nope\.md/);
    expect(linkProblem('README.md', 'docs/permissions.md#nope')).toMatch(
      /docs\/permissions\.md has no heading #nope/,
    );
    expect(linkProblem('docs/getting-started.md', '../README.md#inputs')).toBeUndefined();
  });

  it.each(pages)('every relative link in %s reaches a file and a heading that exist', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const problems = linksOf(text)
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => linkProblem(page, target))
      .filter((problem) => problem !== undefined);
    expect(problems).toEqual([]);
  });
});

describe('docs/getting-started.md names real inputs', () => {
  const names = (file: string, key: 'inputs' | 'outputs') =>
    Object.keys(parse(readFileSync(join(ROOT, file), 'utf8'))[key] ?? {});
  const actions = ['action.yml', 'gate/action.yml', 'publish/action.yml'];
  const inputs = new Set(actions.flatMap((file) => names(file, 'inputs')));
  const outputs = new Set(actions.flatMap((file) => names(file, 'outputs')));
  // Hyphenated names in code spans that are neither inputs nor outputs, each said where it is.
  const otherNames = new Set(['github-actions']); // Dependabot's package-ecosystem

  const spans = [
    ...readFileSync(join(ROOT, 'docs/getting-started.md'), 'utf8').matchAll(/`([^`\n]+)`/g),
  ].map((m) => (m[1] as string).trim());

  it('writes input settings such as `dry-run: true` only with inputs', () => {
    const settings = spans
      .map((span) => /^([a-z]+(?:-[a-z0-9]+)+):\s/.exec(span)?.[1])
      .filter((name) => name !== undefined);
    expect(settings.length).toBeGreaterThan(3);
    expect(settings.filter((name) => !inputs.has(name))).toEqual([]);
  });

  it('writes hyphenated names such as `backup-keep` only for inputs, outputs or the listed others', () => {
    const bare = spans.filter((span) => /^[a-z]+(?:-[a-z0-9]+)+$/.test(span));
    expect(bare).toContain('backup-keep');
    expect(bare.filter((n) => !inputs.has(n) && !outputs.has(n) && !otherNames.has(n))).toEqual([]);
  });
});
