/**
 * `update_workload`: the change-a-row part of a throughput test: each
 * statement sets one or two non-key, non-generated columns of one row found
 * by its primary key (literals within the seed rows' keys). A unique column
 * that can hold any value gets a fresh value, so updates do not collide.
 *
 * @module
 */
import { byColumn, grammar, literal, tableName, template, uniqueLiteral } from "../core/dsl/grammar.ts";
import { FRESH_UNIQUE } from "./parts/fresh_values.ts";
import { keyedTable, keyMatch } from "./parts/keys.ts";
import { assignmentList, withAssignableColumns } from "./parts/row_writes.ts";

const g = grammar("update_workload", {
  description: "Throughput updates: UPDATE of one or two non-key columns of one row by its primary key.",
  start: "update",
  maxDepth: 4,
  // Applications repeat these (the same hot row read, updated or deleted again): no filter.
  unique: "none",
});

/** A fresh value for a unique column that can hold one, else a literal. */
const value = (column: string) => byColumn(column, [[FRESH_UNIQUE, uniqueLiteral(column)]], literal(column));

const key = keyMatch("");

g.rule(
  "update",
  keyedTable(
    withAssignableColumns(
      2,
      template("UPDATE {t} SET {set} WHERE {key}", { t: tableName("t"), set: assignmentList(value), key }),
      // Every column is a key or generated: nothing to change, so read the row.
      template("SELECT * FROM {t} WHERE {key}", { t: tableName("t"), key }),
    ),
  ),
);

export default g;
