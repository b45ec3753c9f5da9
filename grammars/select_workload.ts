/**
 * `select_workload`: the read half of a throughput test, like `pgbench -S`:
 * each statement reads one row by its primary key, naming one to three of
 * its columns. Key literals stay within the seed rows' keys, so a point read
 * mostly finds its row.
 *
 * @module
 */
import { grammar, tableName, template, withColumns, withTable } from "../core/dsl/grammar.ts";
import { columnNames } from "./parts/columns.ts";
import { keyMatch } from "./parts/keys.ts";

const g = grammar("select_workload", {
  description: "Throughput reads like pgbench -S: SELECT of one to three columns of one row by its " +
    "primary key.",
  start: "select",
  maxDepth: 4,
  // Applications repeat these (the same hot row read, updated or deleted again): no filter.
  unique: "none",
});

/** 1–3 column names of the table in "t". */
const columns = withColumns("sel", "t", { min: 1, max: 3 }, columnNames("sel"));

g.rule(
  "select",
  withTable(
    "t",
    template("SELECT {cols} FROM {t} WHERE {key}", { cols: columns, t: tableName("t"), key: keyMatch("") }),
    { hasPrimaryKey: true },
    // A schema without primary keys: one row of any table.
    withTable("t", template("SELECT {cols} FROM {t} LIMIT 1", { cols: columns, t: tableName("t") })),
  ),
);

export default g;
