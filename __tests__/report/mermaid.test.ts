/** The job summary's chart is Mermaid that Mermaid itself parses, in every shape the action draws. */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseInputs } from '../../src/inputs.js';
import { orchestrate } from '../../src/orchestrate.js';
import { renderSummary } from '../../src/report/summary.js';
import { exampleWorkspace } from '../helpers/workspace.js';

type Mermaid = { parse: (text: string) => Promise<unknown> };
let mermaid: Mermaid;

beforeAll(async () => {
  // Mermaid sanitizes titles with DOMPurify, which needs a window; jsdom gives it one.
  (globalThis as { window?: unknown }).window = new JSDOM('').window;
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

async function chartOf(values: Record<string, string>): Promise<string> {
  const inputs = parseInputs(
    (name) =>
      ({ quota: '1500', used: '300', now: '2025-11-12T00:00:00Z', 'dry-run': 'true', ...values })[
        name
      ],
  );
  const md = renderSummary(await orchestrate({ ...inputs, workspace: exampleWorkspace() }));
  const block = /```mermaid\n([\s\S]*?)```/.exec(md)?.[1];
  expect(block, 'the summary has a Mermaid block').toBeDefined();
  return block ?? '';
}

describe('the Mermaid chart of the job summary', () => {
  it.each([
    ['auto, mid-period', {}],
    ['pace, with the target line', { mode: 'pace', 'history-file': '' }],
    ['the first hours of the period', { now: '2025-11-01T03:00:00Z', used: '2' }],
    ['an overrun quota', { used: '2600' }],
    ['the last hour before the reset', { now: '2025-11-30T23:30:00Z', used: '1490' }],
    ['a 28-day February', { now: '2026-02-10T00:00:00Z' }],
  ])('parses: %s', async (_name, values) => {
    const chart = await chartOf(values);
    await expect(mermaid.parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
  });

  it('is refused by the parser when it is broken, so the test above can fail', async () => {
    const chart = await chartOf({});
    await expect(mermaid.parse(chart.replace(/\bline \[/, 'line ['.slice(0, 4)))).rejects.toThrow();
  });
});
