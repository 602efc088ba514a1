/** Two runs at once in one workspace both keep their record in the history. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE20, runActionAsync } from '../helpers/run-action.js';
import { makeWorkspace } from '../helpers/workspace.js';

const HISTORY = '.github/orchestrator-history.json';

describe('two runs at once', () => {
  it('lose no record: each pair of simultaneous runs leaves both days in the history', async () => {
    for (let pair = 0; pair < 6; pair++) {
      const ws = makeWorkspace();
      const run = (now: string) =>
        runActionAsync({
          node: NODE20,
          workspace: ws,
          inputs: { quota: '1500', used: '300', now },
        });
      const [a, b] = await Promise.all([run('2026-11-12T00:07:00Z'), run('2026-11-13T00:07:00Z')]);
      expect(a.status, a.stdout).toBe(0);
      expect(b.status, b.stdout).toBe(0);
      const history = JSON.parse(readFileSync(join(ws, HISTORY), 'utf8'));
      expect(history.records.map((r: { date: string }) => r.date)).toEqual([
        '2026-11-12',
        '2026-11-13',
      ]);
    }
  });
});
