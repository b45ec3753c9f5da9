/**
 * `delete_workload`: the remove-a-row part of a throughput test: each
 * statement deletes one row by its primary key (literals within the seed
 * rows' keys). Four deletes in five go to tables that have a foreign key,
 * which are more often leaves that no other row references, so few deletes
 * fail on a referencing row (23503, expected). Once a row is gone, deleting
 * it again touches nothing and succeeds.
 *
 * @module
 */
import { choice, grammar, tableName, template, withTable } from "../core/dsl/grammar.ts";
import { keyedTable, keyMatch } from "./parts/keys.ts";

const g = grammar("delete_workload", {
  description: "Throughput deletes: DELETE of one row by its primary key, mostly from tables that have a " +
    "foreign key (likely leaves).",
  start: "delete",
  maxDepth: 4,
  // Applications repeat these (the same hot row read, updated or deleted again): no filter.
  unique: "none",
});

/** `DELETE FROM t WHERE k1 = v1 AND …` over every primary-key column of the table in "t". */
const deleteByKey = template("DELETE FROM {t} WHERE {key}", { t: tableName("t"), key: keyMatch("") });

/** Any table with a primary key; a constant query for a schema without one. */
const anyKeyed = keyedTable(deleteByKey);

g.rule(
  "delete",
  choice(
    [4, withTable("t", deleteByKey, { hasPrimaryKey: true, hasForeignKey: true }, anyKeyed)],
    [1, anyKeyed],
  ),
);

export default g;
