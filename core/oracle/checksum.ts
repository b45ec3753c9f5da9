/**
 * Per-table checksums: one query per table that reads its rows as text, in
 * a collation-independent order, into an md5. Equal tables give equal sums on
 * any two PostgreSQL versions (the text forms of their values are the same
 * where both sessions share TimeZone and DateStyle). Columns whose default
 * is volatile (`now()`, `random()`) are left out: each database fills them
 * itself. Pure; no host calls.
 *
 * @module
 */
import type { Schema, Table } from "../schema/model.ts";
import { quoteIdent } from "../dialect/quote.ts";
import type { UniqueKeys } from "./ordering.ts";

/** Defaults that each database evaluates for itself. */
const VOLATILE_DEFAULT =
  /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|random|gen_random_uuid|uuid_generate_v[14]|timeofday)\s*\(|\bcurrent_(timestamp|time|date)\b|\blocaltime(stamp)?\b/i;

/** The columns of `table` whose values both databases set alike (not a volatile default). */
export function comparableColumns(table: Table): string[] {
  return table.columns.filter((c) => !(c.default !== undefined && VOLATILE_DEFAULT.test(c.default))).map((
    c,
  ) => c.name);
}

/** Whether inserting into `table` may fill a column with a volatile default. */
export function hasVolatileDefault(table: Table): boolean {
  return comparableColumns(table).length !== table.columns.length;
}

/** The query that returns one row: the table's row count and md5 of its rows. */
export function checksumSql(table: Table): string {
  const cols = comparableColumns(table).map(quoteIdent);
  const row = cols.length === 0 ? "''" : `ROW(${cols.join(", ")})::text`;
  return `SELECT count(*)::text, md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), '')) FROM ` +
    `(SELECT ${row} AS r FROM ${quoteIdent(table.name)}) AS q`;
}

/** Each table's primary key and unique keys over non-null columns, for {@link orderIsTotal}. */
export function uniqueKeysOf(schema: Schema): UniqueKeys {
  const keys = new Map<string, string[][]>();
  for (const t of schema.tables) {
    const notNull = new Set(t.columns.filter((c) => c.nullable === false).map((c) => c.name));
    const sets: string[][] = [];
    if (t.primaryKey) sets.push(t.primaryKey);
    for (const u of t.unique ?? []) if (u.every((c) => notNull.has(c))) sets.push(u);
    keys.set(t.name, sets);
  }
  return keys;
}
