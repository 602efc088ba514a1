/** Path inputs: inside the workspace, also through symlinks, and of the kind they name. */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DEFAULTS, InputError } from './inputs.js';

export const toPosix = (path: string) => path.split(sep).join('/');

const isInside = (rel: string) =>
  rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));

/** What is at a path, without following a link there. */
export function kindOf(path: string): 'missing' | 'file' | 'directory' | 'link' | 'other' {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return 'link';
    if (stat.isDirectory()) return 'directory';
    return stat.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/**
 * Where a path really leads: the real path of its nearest existing ancestor, plus the rest
 * (which does not exist yet, so holds no link). A dangling link on the way is an answer too,
 * since writing through it would create its target wherever it points.
 */
function realThroughAncestor(path: string): { real: string } | { dangling: string } {
  const rest: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return { real: join(realpathSync(at), ...rest) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      if (kindOf(at) === 'link') return { dangling: at };
      if (dirname(at) === at) return { real: path };
      rest.unshift(basename(at));
    }
  }
}

export interface WorkspacePath {
  /** Relative to the workspace's real path, with `/`; '.' for the workspace itself. */
  path: string;
  absolute: string;
}

/**
 * Resolves a path input, relative to the workspace or absolute, to where it really is. Returns
 * the problem in words when it lies outside the workspace, directly, through `..` or through a
 * symlink. With `keepLast`, a link as the last part is not followed (the caller refuses it:
 * a file replaced by a rename would lose its link).
 */
export function resolveInWorkspace(
  workspace: string,
  input: string,
  value: string,
  keepLast = false,
): WorkspacePath | { problem: string } {
  const root = realpathSync(workspace);
  const wanted = resolve(workspace, value);
  // An absolute path may name the workspace as given or by its real path.
  const lexical = [relative(resolve(workspace), wanted), relative(root, wanted)].find(isInside);
  if (lexical === undefined) {
    return {
      problem: `'${input}' must be a path inside the workspace (${workspace}), got '${value}', which is outside the workspace`,
    };
  }
  const inRoot = join(root, lexical);
  const found =
    keepLast && lexical !== '' ? realThroughAncestor(dirname(inRoot)) : realThroughAncestor(inRoot);
  if ('dangling' in found) {
    return {
      problem: `'${input}' ('${value}') leads through the symbolic link ${toPosix(relative(root, found.dangling))}, whose target does not exist; give a path without it`,
    };
  }
  const real = keepLast && lexical !== '' ? join(found.real, basename(inRoot)) : found.real;
  const rel = relative(root, real);
  if (!isInside(rel)) {
    return {
      problem: `'${input}' ('${value}') leads through a symbolic link to ${real}, outside the workspace`,
    };
  }
  return { path: toPosix(rel) || '.', absolute: real };
}

/** The path inputs every front door shares; '' turns an optional one off. */
export interface PathInputs {
  config: string;
  historyFile: string;
  workflowsDir: string;
  backupDir: string;
}

/** The same, resolved: workspace-relative real paths ('' stays off), and the real workspace. */
export interface ResolvedPaths extends PathInputs {
  root: string;
  /** Whether the config file exists (only the default may be missing). */
  configFound: boolean;
}

const NAMES: Record<keyof PathInputs, string> = {
  config: 'config',
  historyFile: 'history-file',
  workflowsDir: 'workflows-dir',
  backupDir: 'backup-dir',
};

/**
 * Checks the path inputs against the workspace and each other; throws InputError naming every
 * bad input. The history is written by a rename, so it must be a regular file (or missing).
 */
export function resolvePathInputs(workspace: string, inputs: PathInputs): ResolvedPaths {
  const problems: string[] = [];
  const root = realpathSync(workspace);
  const resolved: ResolvedPaths = { ...inputs, root, configFound: false };
  const expect: Record<keyof PathInputs, 'file' | 'directory'> = {
    config: 'file',
    historyFile: 'file',
    workflowsDir: 'directory',
    backupDir: 'directory',
  };
  for (const key of Object.keys(NAMES) as (keyof PathInputs)[]) {
    const value = inputs[key];
    if (value === '') continue;
    const name = NAMES[key];
    const at = resolveInWorkspace(workspace, name, value, key === 'historyFile');
    if ('problem' in at) {
      problems.push(at.problem);
      continue;
    }
    resolved[key] = at.path;
    const kind = kindOf(at.absolute);
    if (kind === 'link') {
      problems.push(
        `'${name}' ${at.path} is a symbolic link; the file is replaced by a rename, which would turn the link into a copy: give the path of the file it points to`,
      );
    } else if (kind !== 'missing' && kind !== expect[key]) {
      const found =
        kind === 'directory' ? 'a directory' : kind === 'file' ? 'a file' : 'not a regular file';
      problems.push(`'${name}' ${at.path} is ${found}; give the path of a ${expect[key]}`);
    } else if (key === 'config') {
      resolved.configFound = kind === 'file';
      const byDefault = resolveInWorkspace(workspace, name, DEFAULTS.config);
      if (kind === 'missing' && !('path' in byDefault && byDefault.path === at.path)) {
        problems.push(
          `'config' ${at.path} does not exist; give the path of the orchestrator config, or leave the input out for the default ${DEFAULTS.config}`,
        );
      }
    }
  }
  const history = resolved.historyFile;
  if (history !== '' && problems.length === 0) {
    if (history === resolved.config) {
      problems.push(
        `'history-file' and 'config' are the same file, ${history}; the history would overwrite the config: give the history its own file`,
      );
    }
    const inWorkflows = relative(resolved.workflowsDir, history);
    if (/\.ya?ml$/i.test(history) && isInside(inWorkflows) && !inWorkflows.includes(sep)) {
      problems.push(
        `'history-file' ${history} is a .yml or .yaml file in 'workflows-dir' ${resolved.workflowsDir}, where GitHub reads it as a workflow (or it is a managed one): put the history elsewhere, such as ${DEFAULTS['history-file']}`,
      );
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return resolved;
}
