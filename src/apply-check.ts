/**
 * Checks the action's own diff with `git apply --check` before it is reported, so that a later
 * `git apply` of the `diff` output (or the pull request made from it) cannot fail: against a
 * scratch folder that holds each changed file as it was before, never the workspace itself.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findProgram, runProgram } from './exec.js';
import type { FileChange } from './report/diff.js';

/** How the check went: skipped without git, or passed (a failure throws). */
export type ApplyCheck = { checked: true } | { checked: false; reason: string };

/**
 * Throws when git refuses the diff: that is a defect of the action, and the error says so.
 * Without git on PATH the check is skipped, and the result says why.
 */
export async function checkDiffApplies(
  diff: string,
  changes: readonly FileChange[],
): Promise<ApplyCheck> {
  if (diff === '') return { checked: false, reason: 'the diff is empty' };
  if ((await findProgram('git')) === undefined) {
    return { checked: false, reason: 'git is not on PATH, so the diff was not checked' };
  }
  const scratch = await mkdtemp(join(tmpdir(), 'orchestrator-apply-'));
  try {
    const tree = join(scratch, 'tree');
    await mkdir(tree);
    for (const change of changes) {
      if (change.before === undefined) continue;
      const file = join(tree, change.path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, change.before, 'utf8');
    }
    const patch = join(scratch, 'diff.patch');
    await writeFile(patch, diff, 'utf8');
    // Outside any repository git applies to the folder it runs in, as patch does; the ceiling
    // keeps it from finding one above the scratch folder, and none is named by GIT_DIR.
    const { GIT_DIR: _dir, GIT_WORK_TREE: _tree, ...env } = process.env;
    const check = await runProgram(
      'git',
      ['-c', 'core.autocrlf=false', 'apply', '--check', patch],
      { cwd: tree, env: { ...definedOnly(env), GIT_CEILING_DIRECTORIES: scratch } },
    );
    if (check.exitCode !== 0) {
      const said = (check.stderr || check.stdout).trim();
      throw new Error(
        `The diff this run made does not apply with git apply (a defect of the action, please report it): ${said || `git exited with ${check.exitCode}`}`,
      );
    }
    return { checked: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const definedOnly = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
