/**
 * Escaping for everything the action shows that holds data (file names, config keys, API
 * answers, inputs): workflow commands on the log, and Markdown in the job summary. One module,
 * so that no front door or renderer invents its own.
 */

/** Command data, exactly as @actions/core escapes it. */
export const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A command property, exactly as @actions/core escapes it. */
export const escapeProperty = (s: string): string =>
  escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

// C0 and C1 controls but tab, line feed and carriage return (those split lines, below).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Text for a plain log line that the runner reads as text, never as a command. The runner
 * splits its input at CR and LF, takes a line whose first non-blank characters are `::` as a
 * command, and also takes the legacy `##[name]` form anywhere in a line; both are broken up with
 * the same percent escapes @actions/core uses (`%3A`, and `%5B` as the runner's legacy form
 * does). Terminal controls (colours, cursor moves) are shown as `\u001b` and the like.
 */
export function plainText(text: string): string {
  // The line breaks stay as they are (the odd pieces), so ordinary text is unchanged.
  return text
    .split(/(\r\n|\r|\n)/)
    .map((piece, i) =>
      i % 2 === 1
        ? piece
        : piece
            .replace(CONTROL, visible)
            .replace(/^(\s*):(?=:)/, '$1%3A')
            .replace(/##\[/g, '##%5B'),
    )
    .join('');
}

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Line breaks and controls would end a table row or start a block: they become spaces. */
const oneLine = (text: string) =>
  text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(CONTROL, ' ')
    .replace(/\s+$/, '');

/**
 * Data shown as itself in the Markdown (and HTML) of the summary: no heading, list, emphasis,
 * link, image, HTML tag or table cell border can come out of it.
 */
export function markdownText(text: string): string {
  return (
    oneLine(text)
      .trimStart()
      .replace(/[&<>]/g, (c) => ENTITY[c] ?? c)
      .replace(/[\\`*_[\]#|~$!]/g, '\\$&')
      // A list marker or a numbered item only counts at the start of a line.
      .replace(/^[-+]/, '\\$&')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/**
 * Data as inline code: a fence one backtick longer than any run of backticks inside, so a
 * backtick in a file name cannot end the span early. A table cell still needs `|` escaped.
 */
export function markdownCode(text: string): string {
  const line = text.replace(/\r\n|\r|\n/g, ' ').replace(CONTROL, ' ');
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark takes one space off each end of a code span: added, they keep the text whole.
  const pad = line.trim() !== '' && /^[ `]|[ `]$|`/.test(line) ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}
