/**
 * Every program the action starts goes through here, on @actions/exec: one place that finds the
 * program on PATH (so tests can put a fake first), keeps its output off the log, and turns a
 * missing program into one clear message.
 */
import { getExecOutput } from '@actions/exec';
import { which } from '@actions/io';

/** What a program printed and how it ended. */
export interface ProgramResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The program's full path on PATH, or undefined when it is not installed. */
export async function findProgram(name: string): Promise<string | undefined> {
  return (await which(name, false)) || undefined;
}

/** A program the action needs is not on PATH. */
export class MissingProgramError extends Error {
  constructor(readonly program: string) {
    super(`The program '${program}' was not found on PATH: install it, or add its folder to PATH`);
    this.name = 'MissingProgramError';
  }
}

/**
 * Runs a program to its end and returns its output; a non-zero exit is the caller's to judge.
 * Nothing it prints reaches the log: the caller decides what to show, escaped.
 */
export async function runProgram(
  name: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: Buffer } = {},
): Promise<ProgramResult> {
  const path = await findProgram(name);
  if (path === undefined) throw new MissingProgramError(name);
  const { exitCode, stdout, stderr } = await getExecOutput(path, [...args], {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
    ...(options.input ? { input: options.input } : {}),
    ignoreReturnCode: true,
    silent: true,
  });
  return { exitCode, stdout, stderr };
}
