/**
 * Row locks: the lock strengths of `SELECT … FOR`, and read-modify-write
 * transactions that lock one row by key and change that same row.
 *
 * A read-modify-write carries the row it read to its write through a
 * transaction-local setting: the locking read stores the whole row with
 * `set_config('quarry.row', a::text, true)` and the UPDATE finds the row by
 * the key fields of that value, so both statements touch the same key
 * although a grammar cannot repeat a random value.
 *
 * @example Lock a row for update, then change it
 * ```ts
 * import { pool } from "../../core/dsl/grammar.ts";
 * import { readModifyWrite } from "./row_locks.ts";
 * const rmw = readModifyWrite(pool(["UPDATE", "NO KEY UPDATE"]));
 * if (typeof rmw === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  columnName,
  eachColumn,
  type Element,
  pool,
  tableName,
  template,
  withColumns,
} from "../../core/dsl/grammar.ts";
import { columnList } from "./columns.ts";
import { pointSelect } from "./key_reads.ts";
import { keyedTable, keyMatch, withKeyColumns } from "./keys.ts";
import { assignments } from "./row_writes.ts";

/** Row lock strengths, weakest last. */
export const lockStrength: Element = pool(["UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE"]);

/**
 * `k = (NULLIF(current_setting('quarry.row', true), '')::t).k AND …`: the key
 * of the row a locking read stored. When it found none the setting is unset
 * (NULL) or, after an earlier transaction, '' (made NULL): nothing matches.
 */
const storedKeyMatch = withKeyColumns(
  "key",
  "t",
  eachColumn(
    "key",
    "key_c",
    template("{c} = (NULLIF(current_setting('quarry.row', true), '')::{t}).{c}", {
      c: columnName("key_c"),
      t: tableName("t"),
    }),
    " AND ",
  ),
);

/**
 * Read one row by key under `FOR <lock>`, keep it in the transaction-local
 * setting `quarry.row`, and change that row (see the module comment).
 */
export const readModifyWrite = (lock: Element): Element =>
  keyedTable(
    assignments(
      (set) =>
        withColumns(
          "sel",
          "t",
          { min: 1, max: 3 },
          template(
            "SELECT set_config('quarry.row', a::text, true), {cols} FROM {t} AS a WHERE {key} FOR {lock}; " +
              "UPDATE {t} SET {set} WHERE {stored}",
            {
              cols: columnList("sel", "a"),
              t: tableName("t"),
              key: keyMatch("a."),
              lock,
              set,
              stored: storedKeyMatch,
            },
          ),
        ),
      pointSelect(template(" FOR {lock}", { lock })),
    ),
  );
