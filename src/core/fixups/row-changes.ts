// What a previewed SQL statement changes, row by row: the columns whose value differs between a
// preview's `rows` and `after`, listed first so a narrow view shows them without scrolling.
// Pure; the CLI and the guide panel word the result each in their own way.
import type { Preview } from './types';

type SqlPreview = NonNullable<Preview['sql']>[number];

export interface RowChanges {
  /** Every column, the changed ones first (each group in table order). */
  columns: string[];
  /** The columns some row changes. */
  changed: string[];
}

/** Two cell values are the same when they serialise the same (sql.js gives plain values). */
export function sameCell(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function rowChanges(q: SqlPreview): RowChanges {
  const all = [...new Set([...q.rows, ...(q.after ?? [])].flatMap((r) => Object.keys(r)))];
  const after = q.after;
  if (!after) return { columns: all, changed: [] };
  const changed = all.filter((c) => q.rows.some((r, i) => !sameCell(r[c], after[i]?.[c])));
  return { columns: [...changed, ...all.filter((c) => !changed.includes(c))], changed };
}

/** A cell as people read it in a preview: NULL, text as it is, anything else as JSON. */
export function showCell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
