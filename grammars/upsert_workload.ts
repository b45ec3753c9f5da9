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

const g = grammar("upsert_workload", {
  description: "Throughput upserts: single-row INSERT … ON CONFLICT (primary key) DO UPDATE SET … = " +
    "EXCLUDED…, hitting existing keys three times in four.",
  start: "upsert",
  maxDepth: 4,
});

/**
 * A key column's value: mostly an existing key, sometimes a fresh one; other
 * unique columns that can hold any value always get a fresh one, so the row
 * conflicts on nothing but its key.
 */
const value = byColumn("ins_c", [
  [
    { primaryKey: true, foreignKey: false, uniqueCapable: true },
    choice([3, literal("ins_c")], [1, uniqueLiteral("ins_c")]),
  ],
  [{ primaryKey: true }, literal("ins_c")],
  [{ unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
], literal("ins_c"));

const names = (list: string) => eachColumn(list, `${list}_c`, columnName(`${list}_c`));

g.rule(
  "upsert",
  withTable(
    "t",
    withColumns(
      "ins",
      "t",
      { min: 1, max: 64, all: true, where: { generated: false } },
      withColumns(
        "key",
        "t",
        { min: 1, max: 64, all: true, where: { primaryKey: true } },
        template("INSERT INTO {t} ({cols}) VALUES ({vals}) ON CONFLICT ({k}) {action}", {
          t: tableName("t"),
          cols: names("ins"),
          vals: eachColumn("ins", "ins_c", value),
          k: names("key"),
          action: withColumns(
            "upd",
            "t",
            { min: 1, max: 3, where: { primaryKey: false, generated: false } },
            template("DO UPDATE SET {set}", {
              set: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
            }),
            // Every column is a key or generated: an existing key leaves the row as it is.
            "DO NOTHING",
          ),
        }),
      ),
      // Every column is generated: nothing to propose.
      template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") }),
    ),
    { hasPrimaryKey: true },
    "SELECT 1",
  ),
);

export default g;
