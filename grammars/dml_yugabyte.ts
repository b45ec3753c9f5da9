/**
 * `dml_yugabyte`: single DML statements that YugabyteDB 2.20+ (PostgreSQL
 * 11.2 based) runs as well as PostgreSQL: point, key-list and range reads by
 * primary key, joins along foreign keys (child to parent, parent to
 * children, children counted per parent), lookups by foreign key, multi-row
 * INSERT with ON CONFLICT, and UPDATE/DELETE by key.
 *
 * Nothing YugabyteDB lacks is emitted: no MERGE, no system columns (`xmin`,
 * `ctid`), no TABLESAMPLE, no LOCK TABLE, and no syntax newer than
 * PostgreSQL 11 (no `FETCH … WITH TIES`, `MATERIALIZED` CTEs, jsonb
 * subscripts or jsonpath).
 *
 * @module
 */
import {
  choice,
  columnName,
  eachColumn,
  eachForeignKeyPair,
  type Element,
  grammar,
  maybe,
  number,
  ref,
  repeat,
  tableName,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../core/dsl/grammar.ts";
import { columnList, columnNames, nonNullLiteral } from "./parts/columns.ts";
import { fkEquality, keyedChildAndParent } from "./parts/foreign_keys.ts";
import { freshOrLiteral, upsertValue, withFreshKey } from "./parts/fresh_values.ts";
import { keyListRead, pointSelect } from "./parts/key_reads.ts";
import { descending, keyedTable, keyMatch, rangeKey, withKeyColumns } from "./parts/keys.ts";
import { limitClause } from "./parts/limits.ts";
import {
  assignmentList,
  doUpdateSet,
  insertDefaultValues,
  withAllInsertColumns,
  withAssignableColumns,
  withInsertColumns,
} from "./parts/row_writes.ts";

const g = grammar("dml_yugabyte", {
  description:
    "DML portable to YugabyteDB 2.20+ and PostgreSQL: point, key-list and range reads by primary " +
    "key, joins along foreign keys, multi-row INSERT … ON CONFLICT, UPDATE and DELETE by key.",
  start: "statement",
  maxDepth: 8,
});

// ---------------------------------------------------------------------------
// Pieces over the table in slot "t" (alias "a") and its parent in "p" (alias "b").

/** `a.k1 = v1 AND …` over every primary-key column of the table in "t". */
const aliasedKeyMatch = keyMatch("a.");

/** `a.fk1 = b.pk1 AND …` for the foreign key in "fk". */
const joinOn = fkEquality("fk", "a", "b");

/** 1–`max` columns of `slot` into `list`, then `body`. */
const columnsOf = (list: string, slot: string, max: number, body: Element) =>
  withColumns(list, slot, { min: 1, max }, body);

const limit = limitClause(50);

g.rule(
  "statement",
  choice(
    [20, ref("point_read")],
    [8, ref("range_read")],
    [4, ref("key_list_read")],
    [8, ref("child_with_parent")],
    [4, ref("children_of_parent")],
    [3, ref("children_per_parent")],
    [4, ref("lookup_by_foreign_key")],
    [10, ref("insert_rows")],
    [7, ref("upsert_rows")],
    [12, ref("update_by_key")],
    [3, ref("update_key_range")],
    [6, ref("delete_by_key")],
  ),
);

// ---------------------------------------------------------------------------
// Reads.

g.rule(
  "point_read",
  keyedTable(
    choice(
      [5, pointSelect("", 5)],
      [1, template("SELECT * FROM {t} AS a WHERE {key}", { t: tableName("t"), key: aliasedKeyMatch })],
    ),
  ),
);

// On a range-sharded key this is a scan of one key range; on a hash-sharded one, of every tablet.
g.rule(
  "range_read",
  keyedTable(
    rangeKey(
      columnsOf(
        "sel",
        "t",
        4,
        template("SELECT {c} FROM {t} AS a WHERE {cond} ORDER BY a.{k}{dir}{limit}", {
          c: columnList("sel", "a"),
          t: tableName("t"),
          cond: choice(
            [
              3,
              template("a.{k} BETWEEN {lo} AND {hi}", {
                k: columnName("rk"),
                lo: nonNullLiteral("rk"),
                hi: nonNullLiteral("rk"),
              }),
            ],
            [2, template("a.{k} >= {v}", { k: columnName("rk"), v: nonNullLiteral("rk") })],
            [1, template("a.{k} < {v}", { k: columnName("rk"), v: nonNullLiteral("rk") })],
          ),
          k: columnName("rk"),
          dir: choice([3, ""], [1, " DESC"]),
          limit,
        }),
      ),
      ref("point_read"),
    ),
  ),
);

g.rule("key_list_read", keyListRead(8));

g.rule(
  "child_with_parent",
  keyedChildAndParent(
    columnsOf(
      "sel",
      "t",
      3,
      columnsOf(
        "selp",
        "p",
        3,
        template("SELECT {ca}, {cb} FROM {t} AS a {join} {p} AS b ON {on} WHERE {key}", {
          ca: columnList("sel", "a"),
          cb: columnList("selp", "b"),
          t: tableName("t"),
          join: choice([3, "JOIN"], [1, "LEFT JOIN"]),
          p: tableName("p"),
          on: joinOn,
          key: aliasedKeyMatch,
        }),
      ),
    ),
    ref("point_read"),
  ),
);

g.rule(
  "children_of_parent",
  keyedChildAndParent(
    columnsOf(
      "sel",
      "t",
      3,
      columnsOf(
        "selp",
        "p",
        2,
        template("SELECT {cb}, {ca} FROM {p} AS b {join} {t} AS a ON {on} WHERE {parent}{limit}", {
          cb: columnList("selp", "b"),
          ca: columnList("sel", "a"),
          p: tableName("p"),
          join: choice([3, "JOIN"], [1, "LEFT JOIN"]),
          t: tableName("t"),
          on: joinOn,
          parent: eachForeignKeyPair(
            "fk",
            "fk_c",
            "fk_p",
            template("b.{p} = {v}", { p: columnName("fk_p"), v: nonNullLiteral("fk_p") }),
          ),
          limit: maybe(limit, 0.5),
        }),
      ),
    ),
    ref("point_read"),
  ),
);

// Parents in a key range with how many children each has.
g.rule(
  "children_per_parent",
  keyedChildAndParent(
    withKeyColumns(
      "key_p",
      "p",
      withColumn(
        "prk",
        "p",
        { primaryKey: true, orderable: true },
        template(
          "SELECT {k}, count(a.*) AS children FROM {p} AS b LEFT JOIN {t} AS a ON {on} " +
            "WHERE b.{r} BETWEEN {lo} AND {hi} GROUP BY {k} ORDER BY {k}{limit}",
          {
            k: columnList("key_p", "b"),
            p: tableName("p"),
            t: tableName("t"),
            on: joinOn,
            r: columnName("prk"),
            lo: nonNullLiteral("prk"),
            hi: nonNullLiteral("prk"),
            limit,
          },
        ),
        ref("child_with_parent"),
      ),
      ref("child_with_parent"),
    ),
    ref("point_read"),
  ),
);

// A child table's rows that point at one parent row, found by the foreign key's columns.
g.rule(
  "lookup_by_foreign_key",
  keyedChildAndParent(
    columnsOf(
      "sel",
      "t",
      4,
      template("SELECT {c} FROM {t} AS a WHERE {fk}{limit}", {
        c: columnList("sel", "a"),
        t: tableName("t"),
        fk: eachForeignKeyPair(
          "fk",
          "fk_c",
          "fk_p",
          template("a.{c} = {v}", { c: columnName("fk_c"), v: nonNullLiteral("fk_c") }),
        ),
        limit: maybe(limit, 0.5),
      }),
    ),
    ref("point_read"),
  ),
);

// ---------------------------------------------------------------------------
// Writes.

const returning = maybe(
  withColumns("ret", "t", { min: 1, max: 3 }, template(" RETURNING {c}", { c: columnNames("ret") })),
  0.25,
);

/** `INSERT INTO t AS a (…) VALUES (…), …` over list "ins", each value from `value`, then `tail`. */
const insertRows = (value: Element, tail: Element) =>
  template("INSERT INTO {t} AS a ({cols}) VALUES {rows}{tail}{ret}", {
    t: tableName("t"),
    cols: columnNames("ins"),
    rows: repeat(template("({v})", { v: eachColumn("ins", "ins_c", value) }), 1, 5, ", "),
    tail,
    ret: returning,
  });

g.rule(
  "insert_rows",
  withTable(
    "t",
    withInsertColumns(
      4,
      // A key column that takes fresh values makes every row new; without one
      // a key may exist already, and ON CONFLICT DO NOTHING skips that row.
      withFreshKey(
        insertRows(freshOrLiteral("ins_c"), maybe(" ON CONFLICT DO NOTHING", 0.2)),
        insertRows(freshOrLiteral("ins_c"), " ON CONFLICT DO NOTHING"),
      ),
      insertDefaultValues,
    ),
  ),
);

// Every assignable column is inserted, so EXCLUDED holds a value for each.
// Two rows of one statement with the same key fail with 21000 (expected).
g.rule(
  "upsert_rows",
  keyedTable(
    withAllInsertColumns(
      withKeyColumns(
        "key",
        "t",
        insertRows(
          // A key value mostly an existing row's, half of the time a fresh one.
          upsertValue("ins_c", 1),
          template(" ON CONFLICT ({k}) {action}", {
            k: columnNames("key"),
            action: withAssignableColumns(3, choice([4, doUpdateSet], [1, "DO NOTHING"]), "DO NOTHING"),
          }),
        ),
      ),
      // Every column is generated: nothing to propose.
      insertDefaultValues,
    ),
  ),
);

/** `c = v, …` over list "upd", a fresh value for a unique column. */
const assignments = assignmentList(freshOrLiteral);

g.rule(
  "update_by_key",
  keyedTable(
    withAssignableColumns(
      3,
      template("UPDATE {t} AS a SET {s} WHERE {key}{ret}", {
        t: tableName("t"),
        s: assignments,
        key: aliasedKeyMatch,
        ret: returning,
      }),
      ref("point_read"),
    ),
  ),
);

// The first few rows from a key value on, in key order. Several rows get one
// value, so unique columns are left alone.
g.rule(
  "update_key_range",
  keyedTable(
    rangeKey(
      withAssignableColumns(
        2,
        template(
          "UPDATE {t} AS a SET {s} WHERE ({k}) IN (SELECT {k} FROM {t} WHERE {r} >= {v} ORDER BY {r} LIMIT {n}){ret}",
          {
            t: tableName("t"),
            s: assignments,
            k: withKeyColumns("key", "t", columnNames("key")),
            r: columnName("rk"),
            v: nonNullLiteral("rk"),
            n: number(2, 10),
            ret: returning,
          },
        ),
        ref("update_by_key"),
        true,
      ),
      ref("update_by_key"),
    ),
  ),
);

// Deleting seed rows by key soon leaves the foreign keys of new rows pointing
// at nothing, so most deletes take the row with the highest key instead: fresh
// keys sort above the seed rows', and nothing references a row inserted here
// (generated foreign keys point at seed rows).
g.rule(
  "delete_by_key",
  choice(
    [
      1,
      // Tables with a foreign key are more often leaves that nothing references.
      withTable(
        "t",
        template("DELETE FROM {t} AS a WHERE {key}{ret}", {
          t: tableName("t"),
          key: aliasedKeyMatch,
          ret: returning,
        }),
        { hasForeignKey: true, hasPrimaryKey: true },
        ref("point_read"),
      ),
    ],
    [
      3,
      keyedTable(
        withKeyColumns(
          "key",
          "t",
          template("DELETE FROM {t} AS a WHERE ({k}) = (SELECT {k} FROM {t} ORDER BY {desc} LIMIT 1){ret}", {
            t: tableName("t"),
            k: columnNames("key"),
            desc: descending("key"),
            ret: returning,
          }),
        ),
      ),
    ],
  ),
);

export default g;
