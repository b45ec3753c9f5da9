/**
 * Rows for the fidelity tests: CSV through writeRows, parsed into typed
 * columns without per-value objects, and the spec helpers the tests share.
 *
 * @module
 */
/**
 * Statistical fidelity of `quarry data`: each distribution is drawn 1,000,000
 * times through `writeRows` (CSV, one worker) and compared with its exact law
 * — Kolmogorov–Smirnov for continuous shapes, chi-square for discrete ones —
 * at a fixed significance level, with critical values computed here (no
 * tabulated constants). Rules that must hold on every row (lags, keys,
 * uniqueness, derived values) are checked on all of them, and one spec with
 * every column kind is checked for byte-identical output across worker counts
 * and slices.
 *
 * The seed is fixed, so a run is reproducible; ALPHA bounds the chance that a
 * correct kernel fails a test after a change of seed or draw order.
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";
import type { Seed } from "../seed.ts";
import { type CompiledSpec, compileTables, type PlannedTable } from "./compile.ts";
import { writeRows } from "./rows.ts";
import type { ColumnSpec } from "./spec.ts";

/** Significance level of every statistical test (stricter than 1e-3: ~20 tests share a seed). */
export const N = 1_000_000;
export const SEED: Seed = [0x9e3779b97f4a7c15n, 0x0123456789abcdefn, 42n, 7n];

// ---------------------------------------------------------------------------
// Distribution functions and critical values.

/** A table's CSV bytes (one worker unless told). */
export async function csvBytes(
  spec: CompiledSpec,
  name: string,
  options: { workers?: number; start?: bigint; count?: bigint; header?: boolean } = {},
): Promise<Uint8Array> {
  const table = spec.tables.find((t) => t.name === name)!;
  const chunks: Uint8Array[] = [];
  let length = 0;
  await writeRows(spec, table, {
    format: "csv",
    workers: options.workers ?? 1,
    ...(options.start !== undefined ? { start: options.start } : {}),
    ...(options.count !== undefined ? { count: options.count } : {}),
    ...(options.header !== undefined ? { header: options.header } : {}),
    write: (b) => {
      chunks.push(b.slice());
      length += b.length;
    },
  });
  const all = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

export const decoder = new TextDecoder();

/** A table's CSV as text (one worker unless told). */
export async function csvOf(spec: CompiledSpec, name: string, options: Parameters<typeof csvBytes>[2] = {}) {
  return decoder.decode(await csvBytes(spec, name, options));
}

/** Columns of a CSV without quoted fields: numbers (empty = NaN; times in seconds) or strings (empty = NULL). */
export interface Columns {
  rows: number;
  num: Record<string, Float64Array>;
  str: Record<string, string[]>;
}

/** A plain decimal (`-12.0345`) in bytes [from, to): digits / 10^decimals, as exact as Number(); NaN if empty. */
export function decimalAt(b: Uint8Array, from: number, to: number): number {
  if (from === to) return NaN;
  const negative = b[from] === 45;
  let v = 0, scale = 1, point = false;
  for (let i = negative ? from + 1 : from; i < to; i++) {
    const c = b[i]!;
    if (c === 46 && !point) point = true;
    else if (c >= 48 && c <= 57 && v < 2 ** 49) {
      v = v * 10 + (c - 48);
      if (point) scale *= 10;
    } else return Number(decoder.decode(b.subarray(from, to)));
  }
  return (negative ? -v : v) / scale;
}

/** Seconds since 1970 of `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` in bytes [from, to) (days from civil, Hinnant). */
export function timeAt(b: Uint8Array, from: number, to: number): number {
  const n = (at: number, digits: number) => {
    let v = 0;
    for (let i = from + at; i < from + at + digits; i++) v = v * 10 + b[i]! - 48;
    return v;
  };
  const m = n(5, 2), d = n(8, 2), y = n(0, 4) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400), yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const day = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  return day * 86400 + (to - from >= 19 ? n(11, 2) * 3600 + n(14, 2) * 60 + n(17, 2) : 0);
}

/** Reads the wanted columns of a table's CSV straight from its bytes. */
export async function readTable(
  spec: CompiledSpec,
  name: string,
  want: { num?: string[]; str?: string[]; time?: string[] },
): Promise<Columns> {
  const b = await csvBytes(spec, name);
  ok(!b.includes(34), `${name}: quoted fields are not read here`);
  const headerEnd = b.indexOf(10);
  const header = decoder.decode(b.subarray(0, headerEnd)).split(",");
  let rows = 0;
  for (let i = headerEnd + 1; i < b.length; i++) if (b[i] === 10) rows++;
  // All-ASCII text (checked) has a character per byte: fields are slices of it.
  const text = decoder.decode(b);
  const ascii = text.length === b.length;
  const textAt = (from: number, to: number) =>
    ascii ? text.slice(from, to) : decoder.decode(b.subarray(from, to));
  const num: Record<string, Float64Array> = {}, str: Record<string, string[]> = {};
  const sinks: (((from: number, to: number, row: number) => void) | undefined)[] = header.map(() =>
    undefined
  );
  const at = (c: string) => {
    const i = header.indexOf(c);
    ok(i >= 0, `no column ${c} in ${name}`);
    return i;
  };
  for (const c of want.num ?? []) {
    const out = num[c] = new Float64Array(rows);
    sinks[at(c)] = (from, to, row) => out[row] = decimalAt(b, from, to);
  }
  for (const c of want.time ?? []) {
    const out = num[c] = new Float64Array(rows);
    sinks[at(c)] = (from, to, row) => out[row] = timeAt(b, from, to);
  }
  for (const c of want.str ?? []) {
    const out = str[c] = new Array<string>(rows);
    sinks[at(c)] = (from, to, row) => out[row] = textAt(from, to);
  }
  let row = 0, field = 0, start = headerEnd + 1;
  for (let i = start; i < b.length; i++) {
    const c = b[i];
    if (c !== 44 && c !== 10) continue;
    sinks[field]?.(start, i, row);
    start = i + 1;
    if (c === 10) {
      strictEqual(field, header.length - 1, `${name}: row ${row} has ${field + 1} fields`);
      row++;
      field = 0;
    } else field++;
  }
  return { rows, num, str };
}

/** Compiles tables for the test seed (per_parent counts are drawn for it). */
export const compile = (tables: PlannedTable[]) => compileTables(tables, { seed: SEED });
export const col = (name: string, spec: ColumnSpec | { method: "reference" }) => ({ name, spec });
export const seq = (start = 1): ColumnSpec => ({ method: "unique_ids", kind: "sequential", start });
