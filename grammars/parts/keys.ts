/**
 * Primary keys: a table that has one, its key columns, and rows found by
 * key. The table is in slot "t"; statements that alias it call it `a`.
 *
 * @example An UPDATE of one row by key
 * ```ts
 * import { tableName, template } from "../../core/dsl/grammar.ts";
 * import { keyedTable, keyMatch } from "./keys.ts";
 * const touch = keyedTable(template("UPDATE {t} SET n = n + 1 WHERE {key}", {
 *   t: tableName("t"),
 *   key: keyMatch(""),
 * }));
 * if (typeof touch === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  columnName,
  eachColumn,
  type Element,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { nonNullLiteral } from "./columns.ts";

/** Every primary-key column of `table` into `list`, then `body`; `orElse` for a table without a key. */
export const withKeyColumns = (list: string, table: string, body: Element, orElse?: Element): Element =>
  withColumns(list, table, { min: 1, max: 64, all: true, where: { primaryKey: true } }, body, orElse);

/** `<prefix>k1 = v1 AND …` over every primary-key column of the table in "t" (list "key"). */
export const keyMatch = (prefix: string): Element =>
  withKeyColumns(
    "key",
    "t",
    eachColumn(
      "key",
      "key_c",
      template(`${prefix}{c} = {v}`, { c: columnName("key_c"), v: nonNullLiteral("key_c") }),
      " AND ",
    ),
  );

/** `k1 DESC, …` over the key columns in `list`. */
export const descending = (list: string): Element =>
  eachColumn(list, `${list}_c`, template("{c} DESC", { c: columnName(`${list}_c`) }));

/** A table with a primary key in "t", then `body`; a constant query for a schema without one. */
export const keyedTable = (body: Element): Element =>
  withTable("t", body, { hasPrimaryKey: true }, "SELECT 1");

/** A primary-key column of "t" with an order in "rk", then `body`; else `orElse`. */
export const rangeKey = (body: Element, orElse: Element): Element =>
  withColumn("rk", "t", { primaryKey: true, orderable: true }, body, orElse);
