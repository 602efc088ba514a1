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

afterEach(() => {
  process.exitCode = undefined;
  vi.unstubAllEnvs();
});

describe('the runner protocol, through @actions/core', () => {
  it('is core itself for warnings, errors, outputs and setFailed', () => {
    expect(runner.warning).toBe(core.warning);
    expect(runner.error).toBe(core.error);
    expect(runner.setOutput).toBe(core.setOutput);
    expect(runner.setFailed).toBe(core.setFailed);
  });

  it.each(['plain', 'two\nlines', 'percent 100% and\r\nCRLF', 'colon: comma, done', ''])(
    'writes ordinary text %j as core.info does',
    (message) => {
      expect(stdoutOf(() => runner.info(message))).toBe(stdoutOf(() => core.info(message)));
    },
  );

  it('unlike core.info, writes no line of a message as a command', () => {
    const message = 'from user:octo\n::add-mask::x\r  ::warning::y and ##[error]z';
    expect(stdoutOf(() => core.info(message))).toContain('\n::add-mask::x');
    expect(stdoutOf(() => runner.info(message))).toBe(
      `from user:octo\n%3A:add-mask::x\r  %3A:warning::y and ##%5Berror]z${EOL}`,
    );
  });

  it('masks a secret with add-mask and scrubs it from what it returns', () => {
    let redact: (text: string) => string = (t) => t;
    const log = stdoutOf(() => {
      redact = runner.guardSecret('s3cr3t%');
    });
    expect(log).toBe(`::add-mask::s3cr3t%25${EOL}`);
    expect(redact('token s3cr3t% and s3cr3t%25')).toBe('token *** and ***');
    // No secret, no mask command and nothing to scrub.
    expect(stdoutOf(() => runner.guardSecret(''))).toBe('');
  });

  it('reads inputs through core, undefined only when the runner set none', () => {
    vi.stubEnv('INPUT_RESET-DAY', ' 3 ');
    vi.stubEnv('INPUT_HISTORY-FILE', '');
    expect(runner.input('reset-day')).toBe(' 3 ');
    expect(runner.input('history-file')).toBe('');
    expect(runner.input('never-set-anywhere')).toBeUndefined();
  });

  it('writes outputs that read back as set', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'do-runner-')), 'output');
    writeFileSync(file, '');
    vi.stubEnv('GITHUB_OUTPUT', file);
    const values = { a: 'one', b: 'multi\nline\n', c: '', d: 'diff --git a/x b/x\n+ x' };
    for (const [name, value] of Object.entries(values)) runner.setOutput(name, value);
    const text = readFileSync(file, 'utf8');
    expect(parseCommandFile(text)).toEqual(values);
    expect(text).toMatch(/^a<<ghadelimiter_[0-9a-f-]{36}\none\nghadelimiter_[0-9a-f-]{36}\n/);
  });

  it('appends to the job summary file, and skips it outside a runner', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    await runner.appendSummary('## Nowhere\n');
    const file = join(mkdtempSync(join(tmpdir(), 'do-runner-')), 'summary');
    writeFileSync(file, 'before\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    await runner.appendSummary('## Hello\n');
    await runner.appendSummary('more\n');
    expect(readFileSync(file, 'utf8')).toBe('before\n## Hello\nmore\n');
  });
});
