/**
 * Two results compared: as multisets of normalized rows, or row by row where
 * the statement's ORDER BY fixes the order. Pure; no host calls.
 *
 * @module
 */
import { type Cell, cellKey, cellsEqual, cellText, normalizeRows } from "./normalize.ts";

/** The rows and column types of one result. */
export interface ResultRows {
  types: readonly number[];
  rows: readonly (readonly (string | null)[])[];
}

/** Options for {@link compareResults}. */
export interface CompareOptions {
  /** Compare row by row in order (the ORDER BY is total) instead of as multisets. */
  ordered: boolean;
  /** Relative tolerance for float cells [default: 1e-9]. */
  floatEps?: number;
}

/** Why two results differ, in a line; undefined when they agree. */
export function compareResults(a: ResultRows, b: ResultRows, options: CompareOptions): string | undefined {
  const eps = options.floatEps ?? 1e-9;
  if (a.types.length !== b.types.length) return `${a.types.length} columns against ${b.types.length}`;
  if (a.rows.length !== b.rows.length) return `${a.rows.length} rows against ${b.rows.length}`;
  const x = sorted(normalizeRows(a.rows, a.types), options.ordered);
  const y = sorted(normalizeRows(b.rows, b.types), options.ordered);
  for (let r = 0; r < x.length; r++) {
    const rx = x[r]!;
    const ry = y[r]!;
    for (let c = 0; c < rx.length; c++) {
      if (!cellsEqual(rx[c]!, ry[c]!, eps)) {
        return `${options.ordered ? `row ${r + 1}` : "a row"}: (${rowText(rx)}) against (${rowText(ry)})`;
      }
    }
  }
  return undefined;
}

function sorted(rows: Cell[][], ordered: boolean): Cell[][] {
  if (ordered) return rows;
  const keyed = rows.map((row) => ({ row, key: row.map(cellKey).join("\u0001") }));
  keyed.sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
  return keyed.map((k) => k.row);
}

/** A row as text, each cell cut to 60 characters. */
export function rowText(row: readonly Cell[]): string {
  return row.map((c) => {
    const t = cellText(c);
    return t.length > 60 ? `${t.slice(0, 60)}…` : t;
  }).join(", ");
}

/** The first `n` rows of a result as text lines (for a finding), with a count of the rest. */
export function trimmedRows(r: ResultRows, n = 5): string[] {
  const lines = normalizeRows(r.rows.slice(0, n), r.types).map((row) => `(${rowText(row)})`);
  if (r.rows.length > n) lines.push(`… ${r.rows.length - n} more`);
  return lines;
}
