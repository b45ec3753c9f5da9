/**
 * Bound columns as SQL text: qualified names, comma-separated lists of a
 * picked column list, and literals for comparisons.
 *
 * A list picked by `withColumns(list, …)` is walked with the column slot
 * `<list>_c`, so a list and its walk never need two names.
 *
 * @example Selecting a list of columns through an alias
 * ```ts
 * import { tableName, template, withColumns, withTable } from "../../core/dsl/grammar.ts";
 * import { columnList } from "./columns.ts";
 * const select = withTable(
 *   "a",
 *   withColumns("sel", "a", { min: 1, max: 3 }, template("SELECT {cols} FROM {t} AS a", {
 *     cols: columnList("sel", "a"),
 *     t: tableName("a"),
 *   })),
 * );
 * if (typeof select === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  columnName,
  columnType,
  eachColumn,
  type Element,
  literal,
  template,
  withColumns,
} from "../../core/dsl/grammar.ts";

/** `alias.column` for the column bound to `column`. */
export const qualified = (alias: string, column: string): Element =>
  template(`${alias}.{c}`, { c: columnName(column) });

/** A literal for the column bound to `column` that is never NULL: for comparisons and keys. */
export const nonNullLiteral = (column: string): Element => literal(column, { nulls: 0 });

/** A non-NULL literal cast to its column's type, where an untyped literal would be ambiguous. */
export const castLiteral = (column: string): Element =>
  template("CAST({v} AS {t})", { v: nonNullLiteral(column), t: columnType(column) });

/** A non-NULL literal cast to its column's type with `::`, so it has exactly that type. */
export const typedLiteral = (column: string): Element =>
  template("{v}::{ty}", { v: nonNullLiteral(column), ty: columnType(column) });

/** The columns of `list` as `alias.col, …`. */
export const columnList = (list: string, alias: string): Element =>
  eachColumn(list, `${list}_c`, qualified(alias, `${list}_c`));

/** The bare names of the columns of `list`, comma-separated. */
export const columnNames = (list: string): Element => eachColumn(list, `${list}_c`, columnName(`${list}_c`));

/** 1–3 columns of `table` picked into list `sel_<table>`, then `body` of them as `alias.col, …`. */
export const withSomeColumns = (table: string, alias: string, body: (columns: Element) => Element): Element =>
  withColumns(`sel_${table}`, table, { min: 1, max: 3 }, body(columnList(`sel_${table}`, alias)));
