import { delimiter } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDiffApplies } from '../src/apply-check.js';
import { findProgram, MissingProgramError, runProgram } from '../src/exec.js';
import { type FileChange, unifiedDiff } from '../src/report/diff.js';
import { emptyPath, fakeProgram, REFUSING_GIT } from './helpers/fake-program.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

const workflow = "on:\n  schedule:\n    - cron: '17 */3 * * *'\njobs: {}\n";
const CASES: [string, FileChange[]][] = [
  [
    'a plain cron edit',
    [{ path: '.github/workflows/a.yml', before: workflow, after: workflow.replace('*/3', '*/2') }],
  ],
  [
    'CRLF line ends',
    [
      {
        path: 'w/crlf.yml',
        before: workflow.replace(/\n/g, '\r\n'),
        after: workflow.replace(/\n/g, '\r\n').replace('*/3', '*/6'),
      },
    ],
  ],
  [
    'no final line break',
    [
      {
        path: 'w/end.yml',
        before: workflow.trimEnd(),
        after: workflow.trimEnd().replace('17', '23'),
      },
    ],
  ],
  ['a new file', [{ path: '.github/orchestrator-history.json', before: undefined, after: '[]\n' }]],
  [
    'odd names',
    [
      {
        path: '.github/workflows/sp ace ##[x] é.yml',
        before: workflow,
        after: workflow.replace('17', '5'),
      },
    ],
  ],
];

// Few files are written out one by one; many go into git's index in one stream.
describe.each([
  ['files on disk', Number.POSITIVE_INFINITY],
  ["git's index", 0],
])('checkDiffApplies with the real git and the before-texts as %s', (_how, manyFiles) => {
  it.skipIf(process.platform === 'win32').each(CASES)(
    'passes the diff of %s',
    async (_name, changes) => {
      expect(await findProgram('git')).toBeTruthy();
      expect(await checkDiffApplies(unifiedDiff(changes), changes, manyFiles)).toEqual({
        checked: true,
      });
    },
  );

  it('passes a diff over many files, and refuses it when one of them misfits', async () => {
    const changes: FileChange[] = Array.from({ length: 80 }, (_, i) => ({
      path: `.github/workflows/w${i}.yml`,
      before: workflow,
      after: workflow.replace('*/3', '*/2'),
    }));
    const diff = unifiedDiff(changes);
    expect(await checkDiffApplies(diff, changes, manyFiles)).toEqual({ checked: true });
    const misfit = changes.map((c, i) =>
      i === 41 ? { ...c, before: workflow.replace('*/3', '*/4') } : c,
    );
    await expect(checkDiffApplies(diff, misfit, manyFiles)).rejects.toThrow(
      /does not apply with git apply .*: error: patch failed: \.github\/workflows\/w41\.yml/,
    );
  });

  it('refuses a diff that does not match the files it was made from', async () => {
    const [, changes] = CASES[0] as [string, FileChange[]];
    const diff = unifiedDiff(changes).replace(' jobs: {}', ' jobs: {x: 1}');
    await expect(checkDiffApplies(diff, changes, manyFiles)).rejects.toThrow(
      /^The diff this run made does not apply with git apply \(a defect of the action, please report it\): .*patch/,
    );
  });
});

describe('checkDiffApplies', () => {
  it('skips an empty diff without starting git', async () => {
    vi.stubEnv('PATH', fakeProgram('git', 'exit 3'));
    expect(await checkDiffApplies('', [])).toEqual({ checked: false, reason: 'the diff is empty' });
  });
});

describe.skipIf(process.platform === 'win32')('programs on PATH', () => {
  it('skips the check, saying why, without git on PATH', async () => {
    vi.stubEnv('PATH', emptyPath());
    const [, changes] = CASES[0] as [string, FileChange[]];
    expect(await checkDiffApplies(unifiedDiff(changes), changes)).toEqual({
      checked: false,
      reason: 'git is not on PATH, so the diff was not checked',
    });
  });

  it('fails with what a git that refuses the diff said', async () => {
    const fake = fakeProgram('git', REFUSING_GIT);
    vi.stubEnv('PATH', `${fake}${delimiter}${process.env.PATH}`);
    const [, changes] = CASES[0] as [string, FileChange[]];
    await expect(checkDiffApplies(unifiedDiff(changes), changes)).rejects.toThrow(
      'does not apply with git apply (a defect of the action, please report it): error: patch failed: a.yml:3',
    );
  });

  it('runs a program through @actions/exec, output kept and off the log', async () => {
    vi.stubEnv(
      'PATH',
      `${fakeProgram('tool', 'echo "out $1"; echo err >&2; exit 4')}${delimiter}${process.env.PATH}`,
    );
    const write = vi.spyOn(process.stdout, 'write');
    try {
      expect(await runProgram('tool', ['x y'])).toEqual({
        exitCode: 4,
        stdout: 'out x y\n',
        stderr: 'err\n',
      });
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it('names a missing program in one clear message', async () => {
    vi.stubEnv('PATH', emptyPath());
    await expect(runProgram('gh', ['aw', 'version'])).rejects.toThrow(MissingProgramError);
    await expect(runProgram('gh', [])).rejects.toThrow(
      "The program 'gh' was not found on PATH: install it, or add its folder to PATH",
    );
  });
});
