/**
 * `update_workload`: the change-a-row part of a throughput test: each
 * statement sets one or two non-key, non-generated columns of one row found
 * by its primary key (literals within the seed rows' keys). A unique column
 * that can hold any value gets a fresh value, so updates do not collide.
 *
 * @module
 */
import {
  byColumn,
  columnName,
  eachColumn,
  grammar,
  literal,
  tableName,
  template,
  uniqueLiteral,
  withColumns,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("update_workload", {
  description: "Throughput updates: UPDATE of one or two non-key columns of one row by its primary key.",
  start: "update",
  maxDepth: 4,
});

/** `k1 = v1 AND …` over every primary-key column of the table in "t". */
const keyMatch = withColumns(
  "key",
  "t",
  { min: 1, max: 64, all: true, where: { primaryKey: true } },
  eachColumn(
    "key",
    "key_c",
    template("{c} = {v}", { c: columnName("key_c"), v: literal("key_c", { nulls: 0 }) }),
    " AND ",
  ),
);

const value = byColumn("upd_c", [
  [{ unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("upd_c")],
], literal("upd_c"));

g.rule(
  "update",
  withTable(
    "t",
    withColumns(
      "upd",
      "t",
      { min: 1, max: 2, where: { primaryKey: false, generated: false } },
      template("UPDATE {t} SET {set} WHERE {key}", {
        t: tableName("t"),
        set: eachColumn("upd", "upd_c", template("{c} = {v}", { c: columnName("upd_c"), v: value })),
        key: keyMatch,
      }),
      // Every column is a key or generated: nothing to change, so read the row.
      template("SELECT * FROM {t} WHERE {key}", { t: tableName("t"), key: keyMatch }),
    ),
    { hasPrimaryKey: true },
    "SELECT 1",
  ),
);

export default g;
