/** Temporary workspaces built from real files. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './run-action.js';

/** A new workspace holding the given files (path relative to the workspace -> text). */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'do-ws-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A new workspace with a copy of examples/workspace. */
export function exampleWorkspace(): string {
  const dir = makeWorkspace();
  cpSync(join(ROOT, 'examples/workspace'), dir, { recursive: true });
  return dir;
}

/** Every file under a directory, relative path -> text, for before/after comparisons. */
export function snapshot(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git') Object.assign(out, snapshot(path, base));
    } else {
      out[path.slice(base.length + 1)] = readFileSync(path, 'utf8');
    }
  }
  return out;
}
