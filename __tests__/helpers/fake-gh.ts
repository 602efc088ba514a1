/**
 * A fake `gh` on PATH: it records each call (argv and which token it had) and answers from
 * fixtures keyed by the first two words, such as `issue list` or `pr list`.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface GhCall {
  args: string[];
  token: string | undefined;
}

export interface FakeGh {
  /** Environment for a step: PATH with the fake first, and where it logs. */
  env: Record<string, string>;
  calls(): GhCall[];
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_GH_LOG, JSON.stringify({ args, token: process.env.GH_TOKEN }) + '\\n');
const answers = JSON.parse(fs.readFileSync(process.env.FAKE_GH_ANSWERS, 'utf8'));
const answer = answers[args.slice(0, 2).join(' ')];
if (answer !== undefined) process.stdout.write(answer);
`;

/** A fake gh answering `answers` ('issue list' -> stdout text). */
export function fakeGh(answers: Record<string, string>): FakeGh {
  const dir = mkdtempSync(join(tmpdir(), 'do-gh-'));
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.jsonl');
  const answersFile = join(dir, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(answers));
  writeFileSync(log, '');
  mkdirSync(bin);
  // node treats an extensionless file outside any package as CommonJS.
  writeFileSync(join(bin, 'gh'), SCRIPT);
  chmodSync(join(bin, 'gh'), 0o755);
  return {
    env: {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      FAKE_GH_LOG: log,
      FAKE_GH_ANSWERS: answersFile,
    },
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as GhCall),
  };
}
