/**
 * The example agentic workflow: the gate runs as a gh-aw pre-activation step (`on.steps:`), its
 * `proceed` output goes out through `jobs.pre-activation.outputs`, and the workflow's top-level
 * `if:` (which gh-aw puts on the jobs after pre-activation) reads it, as gh-aw's triggers
 * reference documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Contexts, runsIf } from '../helpers/expressions.js';
import { ROOT } from '../helpers/run-action.js';
import { EVENTS, github } from '../publish/setup.js';

const EXAMPLE = 'examples/agentic/.github/workflows/daily-triage.md';
const text = readFileSync(join(ROOT, EXAMPLE), 'utf8');

/** The YAML between the opening `---` line and the next, as gh-aw reads a workflow's frontmatter. */
function frontmatter(markdown: string) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(markdown);
  if (!m) throw new Error('no frontmatter');
  return parse(m[1] ?? '') as {
    on: {
      schedule: unknown;
      permissions?: Record<string, string>;
      steps: { id?: string; uses?: string; with?: Record<string, unknown> }[];
    };
    jobs: Record<string, { outputs?: Record<string, string> }>;
    if: string;
    permissions: Record<string, string>;
  };
}
const fm = frontmatter(text);
const gateOutputs = Object.keys(
  parse(readFileSync(join(ROOT, 'gate/action.yml'), 'utf8')).outputs as object,
);

describe(`${EXAMPLE}: the gate before the agent`, () => {
  it('runs the gate in pre-activation, after a checkout that keeps no credentials', () => {
    const steps = fm.on.steps;
    const gate = steps.findIndex((s) => s.id === 'gate');
    expect(steps[gate]?.uses).toBe('OWNER/dynamic-orchestrator/gate@v1');
    const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect(checkout).toBeLessThan(gate);
    expect(steps[checkout]?.uses).toMatch(/^actions\/checkout@[0-9a-f]{40}$/);
    expect(steps[checkout]?.with?.['persist-credentials']).toBe(false);
    // The pre-activation job reads the repository, and needs no more.
    expect(fm.on.permissions).toEqual({ contents: 'read' });
  });

  it("passes the gate's proceed output out of the pre-activation job", () => {
    expect(gateOutputs).toContain('proceed');
    expect(Object.keys(fm.jobs)).toEqual(['pre-activation']);
    expect(fm.jobs['pre-activation']?.outputs).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      proceed: '${{ steps.gate.outputs.proceed }}',
    });
  });

  const ctx = (event: string, proceed: string): Contexts => ({
    github: github(event),
    // gh-aw names the job pre_activation in needs:, though its frontmatter key is pre-activation.
    needs: { pre_activation: { outputs: { proceed, activated: 'true' }, result: 'success' } },
  });
  it.each(Object.keys(EVENTS))(
    'starts the agent on a %s event only when the gate proceeds',
    (event) => {
      expect(fm.if).toContain('needs.pre_activation.outputs.proceed');
      expect(runsIf(fm.if, ctx(event, 'true'))).toBe(true);
      expect(runsIf(fm.if, ctx(event, 'false'))).toBe(false);
      // A gate that failed set no output: the agent does not start then either.
      expect(runsIf(fm.if, { needs: { pre_activation: { outputs: {}, result: 'failure' } } })).toBe(
        false,
      );
    },
  );

  it('keeps the fastest tier in its schedule, in gh-aw words, and reads only what it needs', () => {
    const config = parse(
      readFileSync(join(ROOT, 'examples/agentic/.github/orchestrator.yml'), 'utf8'),
    );
    const entry = config.workflows['daily-triage.md'];
    expect(fm.on.schedule).toBe(entry.aggressive);
    expect(entry).toEqual({
      aggressive: 'every 2h',
      normal: 'every 6h',
      conservative: 'daily on weekdays',
    });
    expect(fm.permissions).toEqual({ contents: 'read', issues: 'read' });
  });
});
