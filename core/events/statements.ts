/**
 * The SQL around the values of an event. The kernel writes every value (an
 * INSERT's rows, an UPDATE's SET list); this module only frames them: which
 * rows an UPDATE or DELETE samples and how it names them, and which key
 * columns come back so the pools stay in step.
 *
 * How rows are sampled:
 * - `system_rows`: `TABLESAMPLE SYSTEM_ROWS(n)` (extension tsm_system_rows):
 *   n rows from random pages, reading only those pages.
 * - `system`, when that extension is missing and cannot be created: the
 *   built-in `TABLESAMPLE SYSTEM (p)` with p set from the table's size so
 *   that about max(8n, 1000) rows are read (whole pages are picked: aiming
 *   lower often picks none); tables of up to 2,000 rows are ordered by
 *   `random()` instead, so small tables are not always cut at the same rows.
 * - `repeatable`, for seeded runs on one connection: `TABLESAMPLE SYSTEM (p)
 *   REPEATABLE (r)` with r from the run's seed, and tables of up to 20,000
 *   rows ordered by a hash of each row's key (or whole row) and r, so the same
 *   database gives the same rows (SYSTEM_ROWS cannot repeat a sample). A page
 *   sample repeats only where the pages hold the same rows, which the
 *   server's cleanup of old row versions decides.
 *
 * @module
 */
import { quoteIdent } from "../dialect/quote.ts";
import type { EventTable } from "./tables.ts";

/** How UPDATE and DELETE sample rows (see the module doc). */
export type Sampling = "system_rows" | "system" | "repeatable";

/** Tables up to this many rows are ordered instead of page-sampled (system). */
export const SMALL_TABLE_ROWS = 2000;
/** In a repeatable run, tables up to this many rows are ordered by their contents instead of page-sampled. */
export const REPEATABLE_ORDER_ROWS = 20000;
/** Rows a page sample aims to read at least: fewer would often land on no page at all. */
const PAGE_SAMPLE_ROWS = 1000;

/** What a sample needs besides the table. */
export interface SampleOptions {
  sampling: Sampling;
  /** Rows to choose. */
  rows: number;
  /** The table's estimated rows (pages sampled by percentage need it). */
  estimatedRows: number;
  /** `repeatable`: the sample's seed, a whole number. */
  token: number;
  /** DELETE: leave out rows other rows still reference. */
  guarded: boolean;
}

function percent(rows: number, estimated: number): string {
  const p = Math.min(
    100,
    Math.max(0.0001, (100 * Math.max(8 * rows, PAGE_SAMPLE_ROWS)) / Math.max(1, estimated)),
  );
  return String(Number(p.toPrecision(3)));
}

/** Whether a sample orders the whole table instead of sampling pages (see the module doc). */
export function ordered(o: Pick<SampleOptions, "sampling" | "estimatedRows">): boolean {
  return o.estimatedRows <= (o.sampling === "repeatable" ? REPEATABLE_ORDER_ROWS : SMALL_TABLE_ROWS);
}

/** Rows a sample reads: guards drop candidates, so more of them. */
function candidates(t: EventTable, o: SampleOptions): number {
  return o.guarded && t.deleteGuards.length > 0 ? 4 * o.rows : o.rows;
}

/**
 * The parts of a sample of `t` that change from event to event (its seed,
 * its percentage), in the order {@link sampledRows} numbers them as
 * parameters: none for `system_rows`.
 */
export function sampleValues(t: EventTable, o: SampleOptions): string[] {
  if (o.sampling === "system_rows") return [];
  if (ordered(o)) return o.sampling === "repeatable" ? [String(o.token)] : [];
  const p = percent(candidates(t, o), o.estimatedRows);
  return o.sampling === "repeatable" ? [p, String(o.token)] : [p];
}

/**
 * `WHERE …` naming the sampled rows of `t`. With `param`, the parts that
 * change from event to event ({@link sampleValues}) are parameters numbered
 * from `param`, returned in `values`, so the statement's text stays the same
 * and can be prepared once.
 */
export function sampledRows(
  t: EventTable,
  o: SampleOptions,
  param?: number,
): { where: string; values: string[] } {
  const values = sampleValues(t, o);
  let next = 0;
  const value = () => param === undefined ? values[next++]! : `$${param + next++}`;
  const guards = o.guarded ? t.deleteGuards : [];
  let from = `${t.sql} AS s`;
  let order = "";
  if (o.sampling === "system_rows") from += ` TABLESAMPLE SYSTEM_ROWS(${candidates(t, o)})`;
  else if (ordered(o)) {
    // Ordered by the rows' contents (their key, else the whole row), not their addresses: an
    // UPDATE moves a row, and where to depends on the server's cleanup, not on the run.
    const content = t.rowKey
      ? t.rowKey.map((k) => `s.${quoteIdent(k)}::text`).join(" || ',' || ")
      : "s::text";
    order = o.sampling === "repeatable"
      ? ` ORDER BY md5(${content} || ${param === undefined ? `'${value()}'` : `${value()}::text`})`
      : " ORDER BY random()";
  } else {
    from += ` TABLESAMPLE SYSTEM (${value()})`;
    if (o.sampling === "repeatable") from += ` REPEATABLE (${value()})`;
  }
  const where = guards.length > 0 ? ` WHERE ${guards.join(" AND ")}` : "";
  const names = t.rowKey ?? ["tableoid", "ctid"];
  const inner = names.map((k) => `s.${quoteIdent(k)}`).join(", ");
  const outer = names.map(quoteIdent).join(", ");
  const select = `SELECT ${inner} FROM ${from}${where}${order} LIMIT ${o.rows}`;
  return {
    where: names.length === 1 ? `${outer} IN (${select})` : `(${outer}) IN (${select})`,
    values: param === undefined ? [] : values,
  };
}

/** ` RETURNING a::text, b::text` for the key columns of the pools whose keys are rows of `t`. */
export function returning(columns: readonly string[]): string {
  return columns.length === 0 ? "" : ` RETURNING ${columns.map((c) => `${quoteIdent(c)}::text`).join(", ")}`;
}

/** An INSERT from the kernel's multi-row INSERT (ending in ";\n"), returning pooled keys. */
export function insertStatement(kernelText: string, returned: readonly string[]): string {
  const end = kernelText.endsWith(";\n") ? kernelText.length - 2 : kernelText.length;
  return kernelText.slice(0, end) + returning(returned);
}

/** An INSERT's text with parameters: `rows` rows of `columns`, $1 onwards row by row. */
export function insertTemplate(
  t: EventTable,
  columns: readonly string[],
  rows: number,
  returned: readonly string[],
) {
  const tuples: string[] = [];
  for (let r = 0, p = 1; r < rows; r++) tuples.push(`(${columns.map(() => `$${p++}`).join(", ")})`);
  return `INSERT INTO ${t.sql} (${columns.map(quoteIdent).join(", ")}) VALUES ${tuples.join(", ")}${
    returning(returned)
  }`;
}

/** An UPDATE's SET list with parameters $1 onwards, in the order of `columns`. */
export function setTemplate(columns: readonly string[]): string {
  return columns.map((c, i) => `${quoteIdent(c)} = $${i + 1}`).join(", ");
}

/** An INSERT of `rows` rows for a table whose every column the database fills. */
export function defaultsInsert(t: EventTable, rows: number, returned: readonly string[]): string {
  return `INSERT INTO ${t.sql} SELECT FROM generate_series(1, ${rows})${returning(returned)}`;
}

/**
 * An UPDATE of sampled rows from the kernel's SET list (ending in ";\n").
 * `null` (no column may be assigned): a column is set to itself, the key
 * first, so the rows are still written. Where every column is the
 * database's: a stored generated column is set to DEFAULT (recomputed, the
 * same value), else an identity ALWAYS column (the only UPDATE such a table
 * takes: it gives the row a new identity).
 */
export function updateStatement(t: EventTable, setList: string | null, where: string): string {
  let set: string;
  if (setList !== null) set = setList.endsWith(";\n") ? setList.slice(0, -2) : setList;
  else {
    const key = t.table.columns.filter((c) => t.rowKey?.includes(c.name));
    const own = [...key, ...t.table.columns].find((c) =>
      c.generated === undefined && c.identity !== "always"
    );
    const computed = t.table.columns.find((c) => c.generated !== undefined) ?? t.table.columns[0]!;
    set = own
      ? `${quoteIdent(own.name)} = ${quoteIdent(own.name)}`
      : `${quoteIdent(computed.name)} = DEFAULT`;
  }
  return `UPDATE ${t.sql} SET ${set} WHERE ${where}`;
}

/** A DELETE of sampled rows, returning pooled keys. */
export function deleteStatement(t: EventTable, where: string, returned: readonly string[]): string {
  return `DELETE FROM ${t.sql} WHERE ${where}${returning(returned)}`;
}
