/**
 * Values for the columns a written row must keep unique: fresh ones
 * (`uniqueLiteral`, unique to the statement) where a column can hold them,
 * literals elsewhere. A foreign key never gets a fresh value: it has to
 * keep pointing at a parent row.
 *
 * @example An INSERT whose new row collides with no other
 * ```ts
 * import { eachColumn, tableName, template, withColumns, withTable } from "../../core/dsl/grammar.ts";
 * import { columnNames } from "./columns.ts";
 * import { freshOrLiteral } from "./fresh_values.ts";
 * const insert = withTable("t", withColumns("ins", "t", { min: 0, max: 2, required: true }, template(
 *   "INSERT INTO {t} ({cols}) VALUES ({vals})",
 *   { t: tableName("t"), cols: columnNames("ins"), vals: eachColumn("ins", "ins_c", freshOrLiteral("ins_c")) },
 * )));
 * if (typeof insert === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  byColumn,
  choice,
  type ColumnFilter,
  type Element,
  literal,
  uniqueLiteral,
  withColumn,
} from "../../core/dsl/grammar.ts";

/** A primary-key column that can take a fresh value. */
export const FRESH_KEY: ColumnFilter = { primaryKey: true, foreignKey: false, uniqueCapable: true };

/** A unique column that can take a fresh value. */
export const FRESH_UNIQUE: ColumnFilter = { unique: true, foreignKey: false, uniqueCapable: true };

/** A fresh value for the column bound to `column` where it is a key or unique and can hold one, else a literal. */
export const freshOrLiteral = (column: string): Element =>
  byColumn(column, [
    [FRESH_KEY, uniqueLiteral(column)],
    [FRESH_UNIQUE, uniqueLiteral(column)],
  ], literal(column));

/**
 * A value for an upsert: for a key column an existing row's key, or a fresh
 * one `1` time in `existing + 1` where the column can hold it; other columns
 * as {@link freshOrLiteral}.
 */
export const upsertValue = (column: string, existing: number): Element =>
  byColumn(column, [
    [FRESH_KEY, choice([existing, literal(column)], [1, uniqueLiteral(column)])],
    [{ primaryKey: true }, literal(column)],
  ], freshOrLiteral(column));

/**
 * `body` when the table in "t" has a key column that takes fresh values
 * (bound to "fresh"), so an inserted row is new; else `orElse`.
 */
export const withFreshKey = (body: Element, orElse: Element): Element =>
  withColumn("fresh", "t", FRESH_KEY, body, orElse);
