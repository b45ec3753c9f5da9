/**
 * Aggregate queries over one table `a`: grouped by 1–2 of its comparable
 * columns (ordered by them and limited) where it has them, else over the
 * whole table. Each statement leads with a tag.
 *
 * @example Counting rows per group
 * ```ts
 * import { template, unique } from "../../core/dsl/grammar.ts";
 * import { groupedAggregates } from "./grouped_aggregates.ts";
 * const query = groupedAggregates(template("{u} AS q", { u: unique() }), "count(*)", 40);
 * if (typeof query === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  eachColumn,
  type Element,
  number,
  repeat,
  tableName,
  template,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";

/**
 * `SELECT <tag>, <group columns>, <1–3 aggregates> FROM a GROUP BY … ORDER
 * BY … LIMIT 1..maxLimit`, or without grouping where `a` has no comparable
 * column.
 */
export const groupedAggregates = (tag: Element, aggregate: Element, maxLimit: number): Element =>
  withTable(
    "a",
    withColumns(
      "grp",
      "a",
      { min: 1, max: 2, where: { comparable: true } },
      template("SELECT {tag}, {g}, {aggs} FROM {t} AS a GROUP BY {g2} ORDER BY {g3} LIMIT {n}", {
        tag,
        g: eachColumn("grp", "gc", qualified("a", "gc")),
        aggs: repeat(aggregate, 1, 3, ", "),
        t: tableName("a"),
        g2: eachColumn("grp", "gc", qualified("a", "gc")),
        g3: eachColumn("grp", "gc", qualified("a", "gc")),
        n: number(1, maxLimit),
      }),
      template("SELECT {tag}, {aggs} FROM {t} AS a", {
        tag,
        aggs: repeat(aggregate, 1, 3, ", "),
        t: tableName("a"),
      }),
    ),
  );
