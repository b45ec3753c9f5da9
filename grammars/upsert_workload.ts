/**
 * `upsert_workload`: the insert-or-update part of a throughput test: each
 * statement inserts one row and, when its primary key exists, updates one to
 * three non-key columns from the proposed row instead: `INSERT … ON CONFLICT
 * (<primary key>) DO UPDATE SET c = EXCLUDED.c`. Three keys in four are
 * literals within the seed rows' keys (mostly updates), the rest fresh where
 * the key can hold one (inserts). Every assignable column is inserted, so
 * EXCLUDED holds a value for each column it sets.
 *
 * @module
 */
import {
  byColumn,
  choice,
  eachColumn,
  grammar,
  literal,
  tableName,
  template,
  uniqueLiteral,
} from "../core/dsl/grammar.ts";
import { columnNames } from "./parts/columns.ts";
import { FRESH_KEY, FRESH_UNIQUE } from "./parts/fresh_values.ts";
import { keyedTable, withKeyColumns } from "./parts/keys.ts";
import {
  doUpdateSet,
  insertDefaultValues,
  withAllInsertColumns,
  withAssignableColumns,
} from "./parts/row_writes.ts";

const g = grammar("upsert_workload", {
  description: "Throughput upserts: single-row INSERT … ON CONFLICT (primary key) DO UPDATE SET … = " +
    "EXCLUDED…, hitting existing keys three times in four.",
  start: "upsert",
  maxDepth: 4,
  // Applications repeat these (the same hot row read, updated or deleted again): no filter.
  unique: "none",
});

/**
 * A key column's value: mostly an existing key, sometimes a fresh one; other
 * unique columns that can hold any value always get a fresh one, so the row
 * conflicts on nothing but its key.
 */
const value = byColumn("ins_c", [
  [FRESH_KEY, choice([3, literal("ins_c")], [1, uniqueLiteral("ins_c")])],
  [{ primaryKey: true }, literal("ins_c")],
  [FRESH_UNIQUE, uniqueLiteral("ins_c")],
], literal("ins_c"));

g.rule(
  "upsert",
  keyedTable(
    withAllInsertColumns(
      withKeyColumns(
        "key",
        "t",
        template("INSERT INTO {t} ({cols}) VALUES ({vals}) ON CONFLICT ({k}) {action}", {
          t: tableName("t"),
          cols: columnNames("ins"),
          vals: eachColumn("ins", "ins_c", value),
          k: columnNames("key"),
          // Every column is a key or generated: an existing key leaves the row as it is.
          action: withAssignableColumns(3, doUpdateSet, "DO NOTHING"),
        }),
      ),
      // Every column is generated: nothing to propose.
      insertDefaultValues,
    ),
  ),
);

export default g;
