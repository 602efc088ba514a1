/** Places that read `github.event.schedule`, and the cron literals they compare it with. */
import { type Document, visit } from 'yaml';
import { lineAt } from './workflow.js';

export const SCHEDULE_REF = 'github.event.schedule';

export interface Reference {
  line: number;
  /** Quoted literals in the expression, with their source spans. */
  literals: { value: string; start: number; end: number }[];
}

/** Scalars that mention github.event.schedule, and the quoted literals they compare it with. */
export function scheduleReferences(doc: Document, text: string): Reference[] {
  const refs: Reference[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.range || !node.value.includes(SCHEDULE_REF))
        return;
      const [start, end] = node.range;
      const source = text.slice(start, end);
      const literals: Reference['literals'] = [];
      for (const m of source.matchAll(/(['"])([^'"\n]*)\1/g)) {
        const inner = m[2] ?? '';
        if (inner.trim().split(/\s+/).length !== 5) continue;
        const at = start + (m.index ?? 0) + 1;
        literals.push({ value: inner, start: at, end: at + inner.length });
      }
      refs.push({ line: lineAt(text, start), literals });
    },
  });
  return refs;
}

/** Replaces literal comparisons inside referencing strings, the way the rewrite does in source. */
export function mapReferenceStrings(value: unknown, swap: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    if (!value.includes(SCHEDULE_REF)) return value;
    return value.replace(/(['"])([^'"\n]*)\1/g, (all, q: string, inner: string) =>
      swap.has(inner) ? `${q}${swap.get(inner)}${q}` : all,
    );
  }
  if (Array.isArray(value)) return value.map((v) => mapReferenceStrings(v, swap));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapReferenceStrings(v, swap)]),
    );
  }
  return value;
}
