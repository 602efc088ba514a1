/** File writes that never leave a user's file half-written. */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes through a temporary file in the same directory and a rename, keeping the file's mode. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    const mode = await stat(path).then(
      (s) => s.mode,
      () => undefined,
    );
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Copies a file into a backup directory (flat, by its workspace-relative path) before it changes. */
export async function backUp(path: string, relative: string, backupDir: string): Promise<string> {
  const target = join(backupDir, relative.replace(/[\\/]/g, '__'));
  await mkdir(backupDir, { recursive: true });
  await copyFile(path, target);
  return target;
}
