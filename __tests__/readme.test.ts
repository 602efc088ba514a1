import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
const publish = parse(readFileSync(join(ROOT, 'publish/action.yml'), 'utf8'));

/** Rows of the table whose header starts with `| first |`: first cell -> cells. */
function tableAfter(first: string): Map<string, string[]> {
  const rows = (readme.split(`\n| ${first} |`)[1] ?? '').split('\n\n')[0]?.split('\n') ?? [];
  return new Map(
    rows
      .filter((l) => l.startsWith('| `'))
      .map((row) => {
        const cells = row
          .split('|')
          .slice(1, -1)
          .map((c) => c.trim());
        return [(cells[0] ?? '').replace(/`/g, ''), cells];
      }),
  );
}

/** Rows of the first table under a `## heading`: first cell (backticks removed) -> cells. */
function table(heading: string): Map<string, string[]> {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return new Map(
    rows.map((row) => {
      const cells = row
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      return [(cells[0] ?? '').replace(/`/g, ''), cells];
    }),
  );
}

describe('README', () => {
  it('lists exactly the inputs of action.yml, with their defaults', () => {
    const rows = table('Inputs');
    expect([...rows.keys()]).toEqual(Object.keys(action.inputs));
    for (const [name, spec] of Object.entries(action.inputs) as [
      string,
      { default?: string; required?: boolean },
    ][]) {
      const shown = rows.get(name)?.[1] ?? '';
      if (spec.required) expect(shown, name).toBe('(required)');
      else if (spec.default) expect(shown, name).toBe(`\`${spec.default}\``);
      else expect(shown, name).toMatch(/^\(.+\)$/);
    }
  });

  it('lists exactly the outputs of action.yml', () => {
    expect([...table('Outputs').keys()]).toEqual(Object.keys(action.outputs));
  });

  it('lists exactly the inputs and outputs of publish/action.yml, with their defaults', () => {
    const inputs = tableAfter('publish input');
    expect([...inputs.keys()]).toEqual(Object.keys(publish.inputs));
    for (const [name, spec] of Object.entries(publish.inputs) as [
      string,
      { default?: string; required?: boolean },
    ][]) {
      const shown = inputs.get(name)?.[1] ?? '';
      if (spec.required) expect(shown, name).toBe('(required)');
      else if (spec.default?.startsWith('${{'))
        expect(shown, name).toBe(`\`${spec.default.slice(3, -2).trim()}\``);
      else if (spec.default) expect(shown, name).toBe(`\`${spec.default}\``);
      else expect(shown, name).toMatch(/^\(.+\)$/);
    }
    expect([...tableAfter('publish output').keys()]).toEqual(Object.keys(publish.outputs));
  });

  it('gives the two quick-start commands that package.json backs', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(readme).toContain('npm run example');
    expect(readme).toContain('npm ci && npm test');
    expect(scripts.example).toBeDefined();
    expect(scripts.test).toBeDefined();
  });
});
