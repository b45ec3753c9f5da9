/**
 * Aggregate calls over one column of a table, typed so the function exists
 * for the column it is given.
 *
 * @example Counting and summing per group
 * ```ts
 * import { tableName, template, withTable } from "../../core/dsl/grammar.ts";
 * import { aggregateOf } from "./aggregates.ts";
 * const totals = withTable("a", template("SELECT {agg} FROM {t} AS a", {
 *   agg: aggregateOf("a", "a"),
 *   t: tableName("a"),
 * }));
 * if (typeof totals === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  choice,
  type ColumnFilter,
  type Element,
  pool,
  template,
  withColumn,
} from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";

/** `render(alias.col)` over a column of `table` matching `where`, bound to slot "agg"; `count(*)` without one. */
const overColumn = (alias: string, table: string, where: ColumnFilter, render: (c: Element) => Element) =>
  withColumn("agg", table, where, render(qualified(alias, "agg")), "count(*)");

/** An aggregate over `table` seen as `alias`: count(*), or a function of one column of a fitting type. */
export const aggregateOf = (alias: string, table: string): Element =>
  choice(
    [3, "count(*)"],
    [
      3,
      overColumn(alias, table, { type: "number" }, (c) =>
        template("{f}({c})", { f: pool(["sum", "avg", "min", "max"]), c })),
    ],
    [
      2,
      overColumn(
        alias,
        table,
        { orderable: true },
        (c) =>
          template("{f}({c})", { f: pool(["min", "max"]), c }),
      ),
    ],
    [
      2,
      overColumn(alias, table, { comparable: true }, (c) =>
        template("count(DISTINCT {c})", { c })),
    ],
    [
      1,
      overColumn(alias, table, { type: "bool" }, (c) =>
        template("{f}({c})", { f: pool(["bool_and", "bool_or"]), c })),
    ],
  );
