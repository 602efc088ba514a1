/** One unified diff over every changed file, in the form `git apply` takes. */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';

export interface FileChange {
  /** Path relative to the workspace, with forward slashes. */
  path: string;
  /** The text before; undefined when the file is new. */
  before: string | undefined;
  after: string;
  /**
   * When the file no longer holds `before` at the moment of the write (another run wrote it),
   * the text to write instead, from what it holds then; throws when the two cannot be merged.
   */
  merge?: (current: string) => string;
}

/** A git-style unified diff with a/ and b/ paths; empty when nothing changes. */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes
    .filter((c) => c.before !== c.after)
    .map((c) => {
      const created = c.before === undefined;
      const patch = structuredPatch(
        created ? '/dev/null' : `a/${c.path}`,
        `b/${c.path}`,
        c.before ?? '',
        c.after,
        undefined,
        undefined,
        { context: 3 },
      );
      const head = `diff --git a/${c.path} b/${c.path}\n${created ? 'new file mode 100644\n' : ''}`;
      return head + formatPatch(patch, FILE_HEADERS_ONLY);
    })
    .join('');
}
