/**
 * `insert_workload`: the write-new-rows part of a throughput test: each
 * statement inserts one row with a fresh primary key (`uniqueLiteral`, unique
 * to the statement), every required column and up to two optional ones.
 * Unique columns that can hold any value get fresh values too; foreign keys
 * get literals among the parent's seed keys. A table whose key cannot take a
 * fresh value (a small integer, or a foreign key) gets `ON CONFLICT DO
 * NOTHING`, so a key that exists already skips the row instead of failing.
 *
 * @module
 */
import {
  byColumn,
  columnName,
  eachColumn,
  type Element,
  grammar,
  literal,
  tableName,
  template,
  uniqueLiteral,
  withColumn,
  withColumns,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("insert_workload", {
  description: "Throughput inserts: one row per statement with a fresh primary key and every required " +
    "column.",
  start: "insert",
  maxDepth: 4,
});

/** A fresh value for a unique column that can hold one, else a literal. */
const value = byColumn("ins_c", [
  [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
  [{ unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
], literal("ins_c"));

/** `INSERT INTO t (…) VALUES (…)` of the required columns and up to two more, then `tail`. */
const insert = (tail: string): Element =>
  withColumns(
    "ins",
    "t",
    { min: 0, max: 2, required: true, where: { generated: false } },
    template(`INSERT INTO {t} ({cols}) VALUES ({vals})${tail}`, {
      t: tableName("t"),
      cols: eachColumn("ins", "ins_c", columnName("ins_c")),
      vals: eachColumn("ins", "ins_c", value),
    }),
    // Every column has a default and none was picked.
    template(`INSERT INTO {t} DEFAULT VALUES${tail}`, { t: tableName("t") }),
  );

g.rule(
  "insert",
  withTable(
    "t",
    withColumn(
      "fresh",
      "t",
      { primaryKey: true, foreignKey: false, uniqueCapable: true },
      insert(""),
      insert(" ON CONFLICT DO NOTHING"),
    ),
  ),
);

export default g;
