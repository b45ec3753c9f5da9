/**
 * Columns of one type class in two tables, for comparisons, joins and set
 * operations between tables that no foreign key relates.
 *
 * @example Two columns that compare, of any two tables
 * ```ts
 * import { columnName, tableName, template, withColumn, withTable } from "../../core/dsl/grammar.ts";
 * import { withSameClass } from "./type_classes.ts";
 * const classes = ["integer", "text", "date"] as const;
 * const join = withTable("a", withTable("b", withColumn(
 *   "x",
 *   "a",
 *   { type: classes },
 *   withSameClass(classes, "x", "y", "b", template("SELECT * FROM {ta} AS a JOIN {tb} AS b ON a.{x} = b.{y}", {
 *     ta: tableName("a"),
 *     tb: tableName("b"),
 *     x: columnName("x"),
 *     y: columnName("y"),
 *   }), "SELECT 1"),
 *   "SELECT 1",
 * )));
 * if (typeof join === "string") throw new Error();
 * ```
 *
 * @module
 */
import { byColumn, type Element, type TypeClass, withColumn } from "../../core/dsl/grammar.ts";

/**
 * `body` with column slot `y` bound to a column of `table` in the class (one
 * of `classes`) of the column bound to `x`; `orElse` when there is none.
 * With `uniqueFirst`, a unique column of the class is preferred.
 */
export const withSameClass = (
  classes: readonly TypeClass[],
  x: string,
  y: string,
  table: string,
  body: Element,
  orElse: Element,
  { uniqueFirst = false }: { uniqueFirst?: boolean } = {},
): Element =>
  byColumn(
    x,
    classes.map((type) =>
      [
        { type },
        uniqueFirst
          ? withColumn(y, table, { type, unique: true }, body, withColumn(y, table, { type }, body, orElse))
          : withColumn(y, table, { type }, body, orElse),
      ] as const
    ),
    orElse,
  );
