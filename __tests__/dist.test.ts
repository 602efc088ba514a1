import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers/run-action.js';

it('dist/ is what `npm run bundle` builds from src/', () => {
  const out = mkdtempSync(join(tmpdir(), 'do-dist-'));
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts
    .bundle as string;
  const args = script.replace(/^ncc /, '').replace('-o dist', `-o ${out}`).split(' ');
  execFileSync(join(ROOT, 'node_modules/.bin/ncc'), args, { cwd: ROOT, stdio: 'pipe' });
  const built = readdirSync(out).sort();
  expect(readdirSync(join(ROOT, 'dist')).sort()).toEqual(built);
  for (const file of built) {
    const fresh = readFileSync(join(out, file), 'utf8');
    const committed = readFileSync(join(ROOT, 'dist', file), 'utf8');
    // Compare sizes first so a mismatch prints a short message, not half a megabyte.
    expect(committed.length, `dist/${file} is stale: run npm run bundle`).toBe(fresh.length);
    expect(committed === fresh, `dist/${file} is stale: run npm run bundle`).toBe(true);
  }
}, 120_000);
