import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './helpers/run-action.js';

/** Every file under a directory, as relative paths. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

it('dist/ is what `npm run bundle` builds from src/', () => {
  const out = mkdtempSync(join(tmpdir(), 'do-dist-'));
  // The bundle script, writing into a temporary directory instead of dist/.
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), out], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  const built = files(out);
  expect(files(join(ROOT, 'dist'))).toEqual(built);
  for (const file of built) {
    const fresh = readFileSync(join(out, file), 'utf8');
    const committed = readFileSync(join(ROOT, 'dist', file), 'utf8');
    // Compare sizes first so a mismatch prints a short message, not half a megabyte.
    expect(committed.length, `dist/${file} is stale: run npm run bundle`).toBe(fresh.length);
    expect(committed === fresh, `dist/${file} is stale: run npm run bundle`).toBe(true);
  }
}, 300_000);

it('builds the shared code once, with an entry of a few lines for each front door', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.scripts.bundle).toBe('node scripts/bundle.mjs');
  expect(pkg.bin['dynamic-orchestrator']).toBe('dist/cli/index.js');
  for (const entry of ['dist/index.js', 'dist/gate/index.js', 'dist/cli/index.js']) {
    expect(statSync(join(ROOT, entry)).size, entry).toBeLessThan(400);
  }
  expect(statSync(join(ROOT, 'dist/cli/index.js')).mode & 0o111).not.toBe(0);
  // Only lib/ holds bundled code: one copy of every chunk.
  const bundled = files(join(ROOT, 'dist')).filter(
    (f) => f.endsWith('.js') && !/^(cli\/|gate\/)?index\.js$/.test(f),
  );
  expect(bundled.every((f) => f.startsWith('lib/'))).toBe(true);
});
