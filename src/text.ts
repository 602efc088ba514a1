/**
 * Reading the text files the orchestrator may rewrite (config, workflows, history): strictly
 * UTF-8, so that a byte that is not text is refused instead of coming back as U+FFFD.
 */
import { readFileSync } from 'node:fs';
import { FileProblems } from './schedule/config.js';

/** Whether bytes decode as UTF-8, allowing a sequence cut off at the end when `open`. */
function decodes(bytes: Uint8Array, open: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: open });
    return true;
  } catch {
    return false;
  }
}

/** Offset of the first byte of the first sequence that is not UTF-8 (bytes known not to decode). */
function firstBadByte(bytes: Uint8Array): number {
  // Prefixes that decode (a cut-off sequence at the end allowed) shrink as they grow: search.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    if (decodes(bytes.subarray(0, mid), true)) good = mid;
    else bad = mid;
  }
  // The longest such prefix may end inside the bad sequence; step back to where it starts.
  let start = good;
  while (start > 0 && good - start < 3 && !decodes(bytes.subarray(0, start), false)) start--;
  return start;
}

/** Bytes as text; FileProblems naming the line and byte offset when they are not UTF-8. */
export function decodeText(bytes: Uint8Array, name: string): string {
  try {
    // ignoreBOM keeps a byte order mark in the text, so a rewrite writes it back.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstBadByte(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new FileProblems([
      `${name}:${line}: is not valid UTF-8 (byte 0x${byte} at offset ${at}); the orchestrator edits UTF-8 text only, so it refuses the file rather than change that byte: save it as UTF-8`,
    ]);
  }
}

/**
 * A text file, or undefined when it does not exist; FileProblems when it is not UTF-8.
 * Synchronous: hundreds of small files read one after another cost less than as many promises.
 */
export function readTextFile(path: string, name: string = path): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeText(bytes, name);
}
