import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/inputs.js';
import { resolveInWorkspace, resolvePathInputs } from '../src/paths.js';
import { makeWorkspace } from './helpers/workspace.js';

const off = { config: '', historyFile: '', workflowsDir: '', backupDir: '' };

function problemsOf(ws: string, inputs: Partial<typeof off>): string[] {
  try {
    resolvePathInputs(ws, { ...off, ...inputs });
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

describe('resolveInWorkspace', () => {
  const ws = makeWorkspace({ 'a/b.yml': 'x' });
  const root = realpathSync(ws);

  it.each([
    ['a/b.yml', 'a/b.yml'],
    ['./a/../a/b.yml', 'a/b.yml'],
    [join(ws, 'a/b.yml'), 'a/b.yml'],
    [join(root, 'a/new/c.json'), 'a/new/c.json'],
    ['.', '.'],
  ])('takes %s as %s', (value, path) => {
    expect(resolveInWorkspace(ws, 'config', value)).toEqual({ path, absolute: join(root, path) });
  });

  it.each([['..'], ['../x'], ['a/../../x'], ['/etc/passwd'], [`${ws}-other/x`]])(
    'refuses %s, naming the input',
    (value) => {
      const result = resolveInWorkspace(ws, 'history-file', value);
      expect(result).toEqual({ problem: expect.stringContaining(`'history-file'`) });
      expect(JSON.stringify(result)).toContain('outside the workspace');
    },
  );

  it('follows links inside the workspace and refuses those that leave it or dangle', () => {
    const dir = makeWorkspace({ 'real/w.yml': 'x' });
    symlinkSync('real', join(dir, 'inside'));
    symlinkSync(mkdtempSync(join(tmpdir(), 'do-out-')), join(dir, 'outside'));
    symlinkSync('nowhere', join(dir, 'dangling'));
    expect(resolveInWorkspace(dir, 'workflows-dir', 'inside')).toMatchObject({ path: 'real' });
    expect(resolveInWorkspace(dir, 'config', 'inside/w.yml')).toMatchObject({
      path: 'real/w.yml',
    });
    expect(JSON.stringify(resolveInWorkspace(dir, 'backup-dir', 'outside/b'))).toContain(
      'symbolic link',
    );
    expect(JSON.stringify(resolveInWorkspace(dir, 'backup-dir', 'dangling/b'))).toContain(
      'does not exist',
    );
  });
});

describe('resolvePathInputs', () => {
  it('lets only the default config be missing', () => {
    const ws = makeWorkspace();
    expect(problemsOf(ws, { config: '.github/orchestrator.yml' })).toEqual([]);
    expect(problemsOf(ws, { config: './.github/orchestrator.yml' })).toEqual([]);
    expect(problemsOf(ws, { config: 'ci.yml' })).toEqual([
      "'config' ci.yml does not exist; give the path of the orchestrator config, or leave the input out for the default .github/orchestrator.yml",
    ]);
  });

  it('refuses a history that is the config or a workflow, naming both inputs', () => {
    const ws = makeWorkspace({ 'c.yml': 'workflows: {}\n' });
    mkdirSync(join(ws, 'flows'));
    expect(problemsOf(ws, { config: 'c.yml', historyFile: './c.yml' })[0]).toContain(
      "'history-file' and 'config' are the same file, c.yml",
    );
    const [problem] = problemsOf(ws, { workflowsDir: 'flows', historyFile: 'flows/h.yaml' });
    expect(problem).toContain("'history-file' flows/h.yaml");
    expect(problem).toContain("'workflows-dir' flows");
    expect(problemsOf(ws, { workflowsDir: 'flows', historyFile: 'flows/h.json' })).toEqual([]);
  });

  it('refuses a history that is a link, and a file or directory of the wrong kind', () => {
    const ws = makeWorkspace({ 'h.json': '{}', 'file.txt': '' });
    symlinkSync('h.json', join(ws, 'link.json'));
    mkdirSync(join(ws, 'dir'));
    writeFileSync(join(ws, 'dir/x'), '');
    expect(problemsOf(ws, { historyFile: 'link.json' })[0]).toContain(
      "'history-file' link.json is a symbolic link",
    );
    expect(
      problemsOf(ws, {
        config: 'dir',
        historyFile: 'dir',
        workflowsDir: 'file.txt',
        backupDir: 'file.txt',
      }),
    ).toEqual([
      "'config' dir is a directory; give the path of a file",
      "'history-file' dir is a directory; give the path of a file",
      "'workflows-dir' file.txt is a file; give the path of a directory",
      "'backup-dir' file.txt is a file; give the path of a directory",
    ]);
  });
});
