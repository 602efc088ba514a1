/**
 * The one secret guard of every front door (action, gate, CLI): a token never reaches a log
 * line, an output, the summary or an error message, whatever a server echoes back.
 */
import { escapeData, markdownText } from './report/escape.js';

/**
 * A function that replaces every occurrence of the secret with `***`, also in the forms the
 * action's own escaping gives it (JSON, Markdown, command data, URLs), since a message can be
 * escaped before it is scrubbed. The identity when there is no secret.
 */
export function redactor(secret: string): (text: string) => string {
  if (!secret) return (text) => text;
  const forms = [
    ...new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      markdownText(secret),
      escapeData(secret),
      encodeURIComponent(secret),
    ]),
  ]
    .filter((form) => form.length > 0)
    // Longest first, so that a form holding another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((out, form) => out.split(form).join('***'), text);
}

/** Message of anything thrown, Error or not. */
export function getErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
