/**
 * The runner protocol, spoken by @actions/core: inputs, outputs, the job summary, masking,
 * command escaping and setFailed. This file only adds what core leaves to its callers: plain log
 * lines that data cannot turn into commands, and the secret scrubbed from what the runner does
 * not mask (outputs and the summary). The front doors use it; nothing else touches core.
 */
import * as core from '@actions/core';
import type { InputGetter } from './inputs.js';
import { plainText } from './report/escape.js';
import { redactor } from './secret.js';

/**
 * An input as core reads it, untrimmed (the parser trims and reports), and undefined when the
 * runner did not set it at all: core reads a missing input as '', and an unset `history-file`
 * means its default where an empty one turns the history off.
 */
export const input: InputGetter = (name) =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] === undefined
    ? undefined
    : core.getInput(name, { trimWhitespace: false });

/**
 * Writes a plain line. core.info writes its message as it is, so a line of it (a file name, an
 * API answer) could become a workflow command; plainText breaks every such line up first.
 */
export const info = (message: string): void => core.info(plainText(message));
export const { debug, warning, error, setFailed, setOutput } = core;

/**
 * Masks a secret input before anything can print it, and returns a function that scrubs it from
 * every line the action writes itself (outputs and the summary are not masked by the runner).
 */
export function guardSecret(secret: string): (text: string) => string {
  if (secret) core.setSecret(secret);
  return redactor(secret);
}

/** Appends Markdown to the job summary; a no-op outside a runner, which has no summary file. */
export async function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown).write();
}
