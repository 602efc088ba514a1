import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupName } from '../src/files.js';

describe('backupName', () => {
  const at = new Date('2026-11-12T00:07:00Z');
  const base = '.github__workflows__a.yml.20261112T000700Z';

  it('is the stamp alone for the first backup of that second', () => {
    expect(backupName(mkdtempSync(join(tmpdir(), 'do-bk-')), '.github/workflows/a.yml', at)).toBe(
      base,
    );
  });

  it('counts past the highest copy of that second, even when older ones were pruned', () => {
    const dir = mkdtempSync(join(tmpdir(), 'do-bk-'));
    // The stamp-only copy and -1 were pruned; -2 and -3 are kept.
    for (const name of [`${base}-2`, `${base}-3`, '.github__workflows__b.yml.20261112T000700Z-9'])
      writeFileSync(join(dir, name), '');
    expect(backupName(dir, '.github/workflows/a.yml', at)).toBe(`${base}-4`);
  });
});
