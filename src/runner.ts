/**
 * The runner's side of the protocol: workflow commands on stdout and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, in the same format as @actions/core.
 *
 * Why not @actions/core itself: version 3 loads undici for its OIDC client at import, which
 * alone doubles the action's start (measured by `npm run bench:startup`). This file speaks the
 * few commands the action uses; a test checks it writes exactly what @actions/core writes.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { escapeData, escapeProperty, plainText } from './report/escape.js';
import { redactor } from './secret.js';

/** Where an annotation points. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** Writes `::name key=value,...::message` to stdout. */
export function command(
  name: string,
  message: string,
  properties: Record<string, string | number | undefined> = {},
): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/**
 * Writes a plain line. Unlike core.info it never lets a line of the message (a file name, an
 * API answer) become a workflow command; ordinary text is written as core.info writes it.
 */
export const info = (message: string): void => {
  process.stdout.write(plainText(message) + EOL);
};
const annotation = (p: AnnotationProperties = {}) => ({
  title: p.title,
  file: p.file,
  line: p.startLine,
});
export const warning = (message: string, properties?: AnnotationProperties) =>
  command('warning', message, annotation(properties));
export const error = (message: string, properties?: AnnotationProperties) =>
  command('error', message, annotation(properties));
/** Asks the runner to mask a value in every later log line. */
export const setSecret = (secret: string) => command('add-mask', secret);

/**
 * Masks a secret input before anything can print it, and returns a function that scrubs it from
 * every line the action writes itself (outputs and the summary are not masked by the runner).
 */
export function guardSecret(secret: string): (text: string) => string {
  if (secret) setSecret(secret);
  return redactor(secret);
}

/** Reports the failure and makes the step fail when the process exits. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Sets a step output through GITHUB_OUTPUT (heredoc form, as @actions/core writes it);
 * a no-op outside a runner. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`Output ${name} contains the delimiter ${delimiter}`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Appends Markdown to the job summary; a no-op outside a runner. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown, 'utf8');
}
