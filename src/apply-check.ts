/**
 * Checks the action's own diff with `git apply --check` before it is reported, so that a later
 * `git apply` of the `diff` output (or the pull request made from it) cannot fail: against a
 * scratch copy of each changed file as it was before, never the workspace itself.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findProgram, type ProgramResult, runProgram } from './exec.js';
import type { FileChange } from './report/diff.js';

/** How the check went: skipped without git, or passed (a failure throws). */
export type ApplyCheck = { checked: true } | { checked: false; reason: string };

/**
 * Past this many files the scratch copy goes into git's index in one stream (three more git
 * processes) instead of one file each: creating a thousand files takes a second on a slow disk.
 */
export const MANY_FILES = 64;

/**
 * Throws when git refuses the diff: that is a defect of the action, and the error says so.
 * Without git on PATH the check is skipped, and the result says why.
 */
export async function checkDiffApplies(
  diff: string,
  changes: readonly FileChange[],
  manyFiles = MANY_FILES,
): Promise<ApplyCheck> {
  if (diff === '') return { checked: false, reason: 'the diff is empty' };
  if ((await findProgram('git')) === undefined) {
    return { checked: false, reason: 'git is not on PATH, so the diff was not checked' };
  }
  const befores = changes.filter(
    (c): c is FileChange & { before: string } => c.before !== undefined,
  );
  const scratch = await mkdtemp(join(tmpdir(), 'orchestrator-apply-'));
  try {
    const tree = join(scratch, 'tree');
    await mkdir(tree);
    const patch = join(scratch, 'diff.patch');
    await writeFile(patch, diff, 'utf8');
    // The ceiling keeps git from finding a repository above the scratch folder, and none is
    // named by GIT_DIR: outside one, git applies to the folder it runs in, as patch does.
    const { GIT_DIR: _dir, GIT_WORK_TREE: _tree, ...rest } = process.env;
    const env = { ...definedOnly(rest), GIT_CEILING_DIRECTORIES: scratch };
    const git = (args: string[], input?: Buffer) =>
      runProgram('git', ['-c', 'core.autocrlf=false', ...args], { cwd: tree, env, input });
    let check: ProgramResult;
    if (befores.length > manyFiles) {
      await setUp(git(['init', '--quiet', '--template=']));
      await setUp(git(['fast-import', '--quiet'], fastImport(befores)));
      await setUp(git(['read-tree', 'refs/heads/before']));
      check = await git(['apply', '--cached', '--check', patch]);
    } else {
      for (const change of befores) {
        const file = join(tree, change.path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, change.before, 'utf8');
      }
      check = await git(['apply', '--check', patch]);
    }
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

/** A git step that builds the scratch copy; its failure is git's, not the diff's. */
async function setUp(step: Promise<ProgramResult>): Promise<void> {
  const result = await step;
  if (result.exitCode !== 0) {
    throw new Error(
      `git could not build the scratch copy to check the diff: ${result.stderr.trim()}`,
    );
  }
}

/** A git fast-import stream of one commit that holds every before-text. */
function fastImport(befores: readonly { path: string; before: string }[]): Buffer {
  const parts: Buffer[] = [];
  befores.forEach((change, i) => {
    const text = Buffer.from(change.before, 'utf8');
    parts.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${text.length}\n`), text, Buffer.from('\n'));
  });
  // C-style quoted, so that any name (a space, a quote, a leading `"`) is read whole.
  const quote = (path: string) => `"${path.replace(/[\\"]/g, '\\$&')}"`;
  const files = befores.map((c, i) => `M 100644 :${i + 1} ${quote(c.path)}\n`).join('');
  parts.push(Buffer.from(`commit refs/heads/before\ncommitter - <-> 0 +0000\ndata 0\n${files}\n`));
  return Buffer.concat(parts);
}

const definedOnly = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
