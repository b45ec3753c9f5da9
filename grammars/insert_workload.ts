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
import { eachColumn, type Element, grammar, tableName, template, withTable } from "../core/dsl/grammar.ts";
import { columnNames } from "./parts/columns.ts";
import { freshOrLiteral, withFreshKey } from "./parts/fresh_values.ts";
import { withInsertColumns } from "./parts/row_writes.ts";

const g = grammar("insert_workload", {
  description: "Throughput inserts: one row per statement with a fresh primary key and every required " +
    "column.",
  start: "insert",
  maxDepth: 4,
});

/** `INSERT INTO t (…) VALUES (…)` of the required columns and up to two more, then `tail`. */
const insert = (tail: string): Element =>
  withInsertColumns(
    2,
    template(`INSERT INTO {t} ({cols}) VALUES ({vals})${tail}`, {
      t: tableName("t"),
      cols: columnNames("ins"),
      vals: eachColumn("ins", "ins_c", freshOrLiteral("ins_c")),
    }),
    // Every column has a default and none was picked.
    template(`INSERT INTO {t} DEFAULT VALUES${tail}`, { t: tableName("t") }),
  );

g.rule(
  "insert",
  withTable("t", withFreshKey(insert(""), insert(" ON CONFLICT DO NOTHING"))),
);

export default g;
