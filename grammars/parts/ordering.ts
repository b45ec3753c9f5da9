/**
 * `ORDER BY` over picked columns of a table.
 *
 * @example A sorted read
 * ```ts
 * import { tableName, template, withTable } from "../../core/dsl/grammar.ts";
 * import { orderByColumns } from "./ordering.ts";
 * const read = withTable("a", template("SELECT * FROM {t} AS a{o}", {
 *   t: tableName("a"),
 *   o: orderByColumns("a", "a"),
 * }));
 * if (typeof read === "string") throw new Error();
 * ```
 *
 * @module
 */
import { eachColumn, type Element, maybe, pool, template, withColumns } from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";

/**
 * ` ORDER BY` over 1–2 comparable columns of `table` seen as `alias`, each
 * ascending or descending and now and then with NULLS FIRST/LAST; nothing
 * when the table has no comparable column.
 */
export const orderByColumns = (alias: string, table: string): Element =>
  withColumns(
    "ord",
    table,
    { min: 1, max: 2, where: { comparable: true } },
    template(" ORDER BY {cols}", {
      cols: eachColumn(
        "ord",
        "ord_c",
        template("{c}{dir}{nulls}", {
          c: qualified(alias, "ord_c"),
          dir: pool(["", " ASC", " DESC"]),
          nulls: maybe(pool([" NULLS FIRST", " NULLS LAST"]), 0.2),
        }),
      ),
    }),
    "",
  );
