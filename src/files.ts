/** File writes that change every file or none, and never leave a user's file half-written. */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import {
  chmod,
  constants,
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { ResolvedPaths } from './paths.js';
import type { FileChange } from './report/diff.js';

/** One file to write: its new text, or a copy of another file (a backup). */
export interface PlannedWrite {
  path: string;
  /** The path in messages, relative to the workspace. */
  label: string;
  text?: string;
  copyOf?: string;
  /** The text the file held when the run read it (undefined: it did not exist). */
  expect?: string | undefined;
  /** With `expect`: the text to write when the file holds something else by then. */
  merge?: (current: string) => string;
}

/** A write that failed; the message says which file and what state every file is in. */
export class WriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteError';
  }
}

const why = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

const beside = (path: string, kind: string) =>
  join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${kind}`);

interface Staged {
  write: PlannedWrite;
  temp?: string;
  /** The original, kept under another name until every rename is done. */
  aside?: string;
  renamed: boolean;
}

/**
 * Writes every file or none. Each new text is staged as a temporary file beside its target and
 * each original is copied aside; only then are the temporary files
 * renamed over the targets. When a rename fails, the ones already done are put back.
 * Returns warnings about leftovers that could not be removed.
 */
export async function writeAll(writes: readonly PlannedWrite[]): Promise<string[]> {
  const staged: Staged[] = writes.map((write) => ({ write, renamed: false }));
  const createdDirs: string[] = [];
  /** Removes temporary files and kept originals, except the originals of files left stuck. */
  const cleanUp = async (stuck: ReadonlySet<Staged> = new Set()) => {
    const left: string[] = [];
    for (const s of staged) {
      for (const path of [s.temp, stuck.has(s) ? undefined : s.aside]) {
        if (path) await rm(path, { force: true }).catch(() => left.push(path));
      }
    }
    // Directories made for new files go again when they are empty (rmdir refuses otherwise).
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => {});
    return left;
  };

  for (const s of staged) {
    const { path, label } = s.write;
    try {
      const made = await mkdir(dirname(path), { recursive: true });
      if (made) createdDirs.push(made);
      s.temp = beside(path, 'tmp');
      if (s.write.copyOf !== undefined)
        await copyFile(s.write.copyOf, s.temp, constants.COPYFILE_EXCL);
      else await writeFile(s.temp, s.write.text ?? '', { flag: 'wx' });
      const mode = await stat(path).then(
        (st) => st.mode,
        () => undefined,
      );
      if (mode !== undefined) {
        await chmod(s.temp, mode);
        const aside = beside(path, 'orig');
        // A copy, not a hard link: in a sticky directory a link to another user's file could
        // be neither removed nor renamed back by us.
        await copyFile(path, aside, constants.COPYFILE_EXCL);
        s.aside = aside;
      }
    } catch (error) {
      await cleanUp();
      throw new WriteError(`could not write ${label} (${why(error)}); no file was changed`);
    }
  }

  for (const s of staged) {
    try {
      const unlock = s.write.merge ? await lock(s.write.path) : undefined;
      try {
        if (s.write.merge) await restage(s);
        await rename(s.temp as string, s.write.path);
      } finally {
        await unlock?.();
      }
      s.renamed = true;
      s.temp = undefined;
    } catch (error) {
      const failed = `could not write ${s.write.label} (${why(error)})`;
      const stuck = await putBack(staged.filter((d) => d.renamed).reverse());
      const left = await cleanUp(new Set(stuck.keys()));
      if (stuck.size === 0) {
        throw new WriteError(
          `${failed}; no file was changed${left.length ? ` (temporary files left: ${left.join(', ')})` : ''}`,
        );
      }
      throw new WriteError(
        `${failed}, and putting back the files already written failed, so these have their new text: ${[...stuck.values()].join('; ')}; every other file is unchanged`,
      );
    }
  }
  return (await cleanUp()).map((path) => `Could not remove the temporary file ${path}`);
}

/** A lock older than this was left by a run that died: it is taken over. */
const STALE_LOCK_MS = 60_000;
/** How long a run waits for another run's lock before it writes anyway. */
const LOCK_WAIT_MS = 10_000;

/**
 * Takes `path.lock` (created exclusively), so that two runs merge one after the other; returns
 * its release. Waits at most LOCK_WAIT_MS, then goes on without the lock, as before locks.
 */
async function lock(path: string): Promise<() => Promise<void>> {
  const file = `${path}.lock`;
  const release = () => rm(file, { force: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return async () => {};
      const age = await stat(file).then(
        (st) => Date.now() - st.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(file, { force: true });
      else if (Date.now() > deadline) return async () => {};
      else await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Just before the rename: when another run changed the file since this run read it, stage the
 * merge of both instead, so that neither run's change is lost. A file that cannot be merged
 * (the other run left something unreadable) gets this run's text, as without a merge.
 */
async function restage(s: Staged): Promise<void> {
  const current = await readFile(s.write.path, 'utf8').catch(() => undefined);
  if (current === undefined || current === s.write.expect || !s.write.merge) return;
  let merged: string;
  try {
    merged = s.write.merge(current);
  } catch {
    return;
  }
  await writeFile(s.temp as string, merged);
  if (s.aside) await copyFile(s.write.path, s.aside);
}

/** Undoes renames; returns, for each one that could not be undone, where things are. */
async function putBack(done: readonly Staged[]): Promise<Map<Staged, string>> {
  const stuck = new Map<Staged, string>();
  for (const s of done) {
    try {
      if (s.aside) {
        await rename(s.aside, s.write.path);
        s.aside = undefined;
      } else await rm(s.write.path);
    } catch (error) {
      stuck.set(
        s,
        s.aside
          ? `${s.write.label} (its original is kept as ${basename(s.aside)} beside it: ${why(error)})`
          : `${s.write.label} (a new file: ${why(error)})`,
      );
    }
  }
  return stuck;
}

/** A file's backups share this prefix: its workspace-relative path, flattened. */
const backupPrefix = (relative: string) => `${relative.replace(/[\\/]/g, '__')}.`;
const STAMP = /^(\d{8}T\d{6}Z)(?:-(\d+))?$/;

/**
 * A name for a new backup of a file, stamped in UTC, that sorts after every backup of it in
 * `dir`: within one second the count goes past the highest one there, even when older copies
 * of that second were pruned.
 */
export function backupName(dir: string, relative: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const base = `${backupPrefix(relative)}${stamp}`;
  const names = existsSync(dir) ? readdirSync(dir) : [];
  let highest = -1;
  for (const name of names) {
    if (name === base) highest = Math.max(highest, 0);
    const n = name.startsWith(`${base}-`) ? Number(name.slice(base.length + 1)) : Number.NaN;
    if (Number.isInteger(n)) highest = Math.max(highest, n);
  }
  return highest < 0 ? base : `${base}-${highest + 1}`;
}

/** Removes all but the newest `keep` backups of one file; returns warnings for any left. */
export async function pruneBackups(dir: string, relative: string, keep: number): Promise<string[]> {
  const prefix = backupPrefix(relative);
  const backups = (await readdir(dir))
    .filter((name) => name.startsWith(prefix) && STAMP.test(name.slice(prefix.length)))
    .map((name) => {
      const [, stamp = '', n = '0'] = STAMP.exec(name.slice(prefix.length)) ?? [];
      return { name, stamp, n: Number(n) };
    })
    .sort((a, b) => (a.stamp === b.stamp ? b.n - a.n : a.stamp < b.stamp ? 1 : -1));
  const warnings: string[] = [];
  for (const old of backups.slice(keep)) {
    await rm(join(dir, old.name)).catch((error) =>
      warnings.push(`Could not remove the old backup ${old.name} (${why(error)})`),
    );
  }
  return warnings;
}

/**
 * Writes every change, or none: with backup-dir, a stamped copy of each replaced file goes in
 * the same all-or-nothing write, and older copies beyond `keep` go afterwards.
 */
export async function writeChanges(
  changes: readonly FileChange[],
  paths: ResolvedPaths,
  keep: number,
): Promise<string[]> {
  const writes: PlannedWrite[] = [];
  const backedUp: string[] = [];
  const backupDir = paths.backupDir ? join(paths.root, paths.backupDir) : '';
  const at = new Date();
  for (const change of changes) {
    if (!backupDir || change.before === undefined) continue;
    const name = backupName(backupDir, change.path, at);
    writes.push({
      path: join(backupDir, name),
      label: posix.join(paths.backupDir, name),
      copyOf: join(paths.root, change.path),
    });
    backedUp.push(change.path);
  }
  for (const change of changes) {
    writes.push({
      path: join(paths.root, change.path),
      label: change.path,
      text: change.after,
      ...(change.merge ? { expect: change.before, merge: change.merge } : {}),
    });
  }
  const warnings = await writeAll(writes);
  for (const path of backedUp) warnings.push(...(await pruneBackups(backupDir, path, keep)));
  return warnings;
}
