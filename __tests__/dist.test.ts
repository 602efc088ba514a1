import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts
    .bundle as string;
  // The same commands, writing into a temporary directory instead of dist/.
  execSync(script.replace(/-o dist/g, `-o ${out}`), {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
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
