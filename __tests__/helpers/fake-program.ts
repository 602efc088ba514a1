/** Fake programs for PATH: the action finds programs on PATH, so a test can put its own first. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder holding one executable shell script named `name`. */
export function fakeProgram(name: string, script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'do-fake-'));
  writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

/** A git that accepts everything but `apply`, which it refuses as git does a diff that misfits. */
export const REFUSING_GIT =
  'for a in "$@"; do [ "$a" = apply ] && { echo "error: patch failed: a.yml:3" >&2; exit 1; }; done; exit 0';

/** An empty folder: a PATH on which no program is found. */
export const emptyPath = () => mkdtempSync(join(tmpdir(), 'do-empty-path-'));
