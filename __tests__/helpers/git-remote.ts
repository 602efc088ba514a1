/**
 * A real git repository with a bare remote, as actions/checkout leaves it: branch main checked
 * out, tracking origin. The remote can refuse pushes (a pre-receive hook standing in for
 * branch protection), and a second clone can push first (a race).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in a directory and returns its stdout without the final newlines. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
    timeout: 30_000,
  }).replace(/\n+$/, '');
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export interface Repo {
  /** The bare remote. */
  remote: string;
  /** The job's checkout (the workspace). */
  work: string;
  /** Writes files into the checkout without committing, as the main step does. */
  write(files: Record<string, string>): void;
  /** Makes the remote refuse the next `count` pushes, as a protected branch would. */
  refusePushes(count: number): void;
  /** Commits and pushes files from another clone, so the checkout is behind. */
  pushFromElsewhere(files: Record<string, string>, message: string): void;
  /** A file's text at the remote's main. */
  remoteFile(path: string): string;
  /** Commit subjects on the remote's main, newest first, without the seed's first. */
  remoteLog(): string[];
  /** How many pushes reached the remote's hook, refused or not. */
  pushAttempts(): number;
}

/** A remote seeded with `files` on main, and a checkout of it. */
export function makeRepo(files: Record<string, string>): Repo {
  const root = mkdtempSync(join(tmpdir(), 'do-git-'));
  const remote = join(root, 'remote.git');
  const work = join(root, 'work');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  writeFiles(seed, files);
  git(seed, 'commit', '--quiet', '--allow-empty', '-m', 'Older history');
  git(seed, 'add', '-A');
  git(seed, 'commit', '--quiet', '-m', 'Initial');
  git(seed, 'push', '--quiet', remote, 'main');

  // The hook counts every push, and refuses while refusals-left is above 0.
  const hook = join(remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh
echo x >> attempts
left=$(cat refusals-left 2>/dev/null || echo 0)
if [ "$left" -gt 0 ]; then
  echo $((left - 1)) > refusals-left
  echo "error: GH006: Protected branch update failed for refs/heads/main." >&2
  exit 1
fi
`,
  );
  chmodSync(hook, 0o755);
  // Shallow, as actions/checkout leaves it (fetch-depth 1).
  git(root, 'clone', '--quiet', '--depth=1', `file://${remote}`, work);

  return {
    remote,
    work,
    write: (changes) => writeFiles(work, changes),
    refusePushes: (count) => writeFileSync(join(remote, 'refusals-left'), String(count)),
    pushFromElsewhere(changes, message) {
      const other = join(root, `other-${Date.now()}-${Math.random().toString(36).slice(2)}`);
      git(root, 'clone', '--quiet', remote, other);
      writeFiles(other, changes);
      git(other, 'add', '-A');
      git(other, 'commit', '--quiet', '-m', message);
      git(other, 'push', '--quiet', 'origin', 'main');
    },
    remoteFile: (path) => git(remote, 'show', `main:${path}`),
    remoteLog: () =>
      git(remote, 'log', '--format=%s', 'main')
        .split('\n')
        .filter((subject) => subject !== 'Older history'),
    pushAttempts: () => {
      try {
        return readFileSync(join(remote, 'attempts'), 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
  };
}
