import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as runner from '../src/runner.js';
import { parseCommandFile } from './helpers/run-action.js';

/** What a function writes to stdout. */
function stdoutOf(run: () => void): string {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

const MESSAGES = ['plain', 'two\nlines', 'percent 100% and\r\nCRLF', 'colon: comma, done', ''];

afterEach(() => {
  process.exitCode = undefined;
  vi.unstubAllEnvs();
});

describe('runner protocol, byte for byte as @actions/core', () => {
  it.each(MESSAGES)('writes warning and error commands for %j', (message) => {
    const props = { title: 'A: title, here', file: 'x/y.yml', startLine: 3 };
    expect(stdoutOf(() => runner.warning(message, props))).toBe(
      stdoutOf(() => core.warning(message, props)),
    );
    expect(stdoutOf(() => runner.error(message))).toBe(stdoutOf(() => core.error(message)));
    expect(stdoutOf(() => runner.info(message))).toBe(stdoutOf(() => core.info(message)));
  });

  it('unlike core.info, writes no line of a message as a command', () => {
    const message = 'from user:octo\n::add-mask::x\r  ::warning::y and ##[error]z';
    expect(stdoutOf(() => core.info(message))).toContain('\n::add-mask::x');
    expect(stdoutOf(() => runner.info(message))).toBe(
      `from user:octo\n%3A:add-mask::x\r  %3A:warning::y and ##%5Berror]z${EOL}`,
    );
  });

  it('masks secrets with add-mask', () => {
    expect(stdoutOf(() => runner.setSecret('s3cr3t%'))).toBe(
      stdoutOf(() => core.setSecret('s3cr3t%')),
    );
  });

  it('fails the step like setFailed', () => {
    const ours = stdoutOf(() => runner.setFailed('bad\ninput'));
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
    expect(ours).toBe(stdoutOf(() => core.setFailed('bad\ninput')));
    expect(process.exitCode).toBe(1);
  });

  it('writes outputs that read back the same as those of core.setOutput', () => {
    const dir = mkdtempSync(join(tmpdir(), 'do-runner-'));
    const values = { a: 'one', b: 'multi\nline\n', c: '', d: 'diff --git a/x b/x\n+ x' };
    for (const [who, set] of [
      ['ours', runner.setOutput],
      ['core', core.setOutput],
    ] as const) {
      const file = join(dir, who);
      writeFileSync(file, '');
      vi.stubEnv('GITHUB_OUTPUT', file);
      for (const [name, value] of Object.entries(values)) set(name, value);
    }
    const ours = readFileSync(join(dir, 'ours'), 'utf8');
    expect(parseCommandFile(ours)).toEqual(
      parseCommandFile(readFileSync(join(dir, 'core'), 'utf8')),
    );
    expect(parseCommandFile(ours)).toEqual({
      a: 'one',
      b: 'multi\nline\n',
      c: '',
      d: 'diff --git a/x b/x\n+ x',
    });
    expect(ours).toMatch(/^a<<ghadelimiter_[0-9a-f-]{36}\none\nghadelimiter_[0-9a-f-]{36}\n/);
  });

  it('appends to the job summary file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'do-runner-')), 'summary');
    writeFileSync(file, 'before\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    runner.appendSummary('## Hello\n');
    expect(readFileSync(file, 'utf8')).toBe('before\n## Hello\n');
  });
});
