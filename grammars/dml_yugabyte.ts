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
  byColumn,
  choice,
  columnName,
  eachColumn,
  eachForeignKeyPair,
  type Element,
  grammar,
  literal,
  maybe,
  number,
  ref,
  repeat,
  tableName,
  template,
  uniqueLiteral,
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";
import { freshOrLiteral, keyedTable, names } from "./yugabyte_transactions.ts";

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
const keyMatch = withColumns(
  "key_t",
  "t",
  { min: 1, max: 64, all: true, where: { primaryKey: true } },
  eachColumn(
    "key_t",
    "key_t_c",
    template("a.{c} = {v}", { c: columnName("key_t_c"), v: literal("key_t_c", { nulls: 0 }) }),
    " AND ",
  ),
);

/** A table with a foreign key in "t" and its parent in "p", then `body`; `orElse` without one. */
const childAndParent = (body: Element, orElse: Element) =>
  withTable(
    "t",
    withForeignKey("fk", "t", "p", body),
    { hasForeignKey: true, hasPrimaryKey: true },
    orElse,
  );

/** `a.fk1 = b.pk1 AND …` for the foreign key in "fk". */
const joinOn = eachForeignKeyPair(
  "fk",
  "fk_child",
  "fk_parent",
  template("a.{c} = b.{p}", { c: columnName("fk_child"), p: columnName("fk_parent") }),
);

/** 1–`max` columns of `slot` into `list`, then `body`. */
const columnsOf = (list: string, slot: string, max: number, body: Element) =>
  withColumns(list, slot, { min: 1, max }, body);

const limit = template(" LIMIT {n}", { n: number(1, 50) });

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
      [
        5,
        columnsOf(
          "sel",
          "t",
          5,
          template("SELECT {c} FROM {t} AS a WHERE {key}", {
            c: names("sel", "a."),
            t: tableName("t"),
            key: keyMatch,
          }),
        ),
      ],
      [1, template("SELECT * FROM {t} AS a WHERE {key}", { t: tableName("t"), key: keyMatch })],
    ),
  ),
);

// On a range-sharded key this is a scan of one key range; on a hash-sharded one, of every tablet.
g.rule(
  "range_read",
  keyedTable(
    withColumn(
      "rk",
      "t",
      { primaryKey: true, orderable: true },
      columnsOf(
        "sel",
        "t",
        4,
        template("SELECT {c} FROM {t} AS a WHERE {cond} ORDER BY a.{k}{dir}{limit}", {
          c: names("sel", "a."),
          t: tableName("t"),
          cond: choice(
            [
              3,
              template("a.{k} BETWEEN {lo} AND {hi}", {
                k: columnName("rk"),
                lo: literal("rk", { nulls: 0 }),
                hi: literal("rk", { nulls: 0 }),
              }),
            ],
            [2, template("a.{k} >= {v}", { k: columnName("rk"), v: literal("rk", { nulls: 0 }) })],
            [1, template("a.{k} < {v}", { k: columnName("rk"), v: literal("rk", { nulls: 0 }) })],
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

g.rule(
  "key_list_read",
  keyedTable(
    withColumns(
      "key_t",
      "t",
      { min: 1, max: 64, all: true, where: { primaryKey: true } },
      columnsOf(
        "sel",
        "t",
        4,
        template("SELECT {c} FROM {t} WHERE ({k}) IN ({rows})", {
          c: names("sel"),
          t: tableName("t"),
          k: names("key_t"),
          rows: repeat(
            template("({v})", { v: eachColumn("key_t", "key_t_c", literal("key_t_c", { nulls: 0 })) }),
            2,
            8,
            ", ",
          ),
        }),
      ),
    ),
  ),
);

g.rule(
  "child_with_parent",
  childAndParent(
    columnsOf(
      "sel",
      "t",
      3,
      columnsOf(
        "selp",
        "p",
        3,
        template("SELECT {ca}, {cb} FROM {t} AS a {join} {p} AS b ON {on} WHERE {key}", {
          ca: names("sel", "a."),
          cb: names("selp", "b."),
          t: tableName("t"),
          join: choice([3, "JOIN"], [1, "LEFT JOIN"]),
          p: tableName("p"),
          on: joinOn,
          key: keyMatch,
        }),
      ),
    ),
    ref("point_read"),
  ),
);

g.rule(
  "children_of_parent",
  childAndParent(
    columnsOf(
      "sel",
      "t",
      3,
      columnsOf(
        "selp",
        "p",
        2,
        template("SELECT {cb}, {ca} FROM {p} AS b {join} {t} AS a ON {on} WHERE {parent}{limit}", {
          cb: names("selp", "b."),
          ca: names("sel", "a."),
          p: tableName("p"),
          join: choice([3, "JOIN"], [1, "LEFT JOIN"]),
          t: tableName("t"),
          on: joinOn,
          parent: eachForeignKeyPair(
            "fk",
            "fk_child",
            "fk_parent",
            template("b.{p} = {v}", { p: columnName("fk_parent"), v: literal("fk_parent", { nulls: 0 }) }),
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
  childAndParent(
    withColumns(
      "key_p",
      "p",
      { min: 1, max: 64, all: true, where: { primaryKey: true } },
      withColumn(
        "prk",
        "p",
        { primaryKey: true, orderable: true },
        template(
          "SELECT {k}, count(a.*) AS children FROM {p} AS b LEFT JOIN {t} AS a ON {on} " +
            "WHERE b.{r} BETWEEN {lo} AND {hi} GROUP BY {k} ORDER BY {k}{limit}",
          {
            k: names("key_p", "b."),
            p: tableName("p"),
            t: tableName("t"),
            on: joinOn,
            r: columnName("prk"),
            lo: literal("prk", { nulls: 0 }),
            hi: literal("prk", { nulls: 0 }),
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
  childAndParent(
    columnsOf(
      "sel",
      "t",
      4,
      template("SELECT {c} FROM {t} AS a WHERE {fk}{limit}", {
        c: names("sel", "a."),
        t: tableName("t"),
        fk: eachForeignKeyPair(
          "fk",
          "fk_child",
          "fk_parent",
          template("a.{c} = {v}", { c: columnName("fk_child"), v: literal("fk_child", { nulls: 0 }) }),
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
  withColumns("ret", "t", { min: 1, max: 3 }, template(" RETURNING {c}", { c: names("ret") })),
  0.25,
);

/** `INSERT INTO t AS a (…) VALUES (…), …` over list "ins", each value from `value`, then `tail`. */
const insertRows = (value: Element, tail: Element) =>
  template("INSERT INTO {t} AS a ({cols}) VALUES {rows}{tail}{ret}", {
    t: tableName("t"),
    cols: names("ins"),
    rows: repeat(template("({v})", { v: eachColumn("ins", "ins_c", value) }), 1, 5, ", "),
    tail,
    ret: returning,
  });

g.rule(
  "insert_rows",
  withTable(
    "t",
    withColumns(
      "ins",
      "t",
      { min: 0, max: 4, required: true, where: { generated: false } },
      // A key column that takes fresh values makes every row new; without one
      // a key may exist already, and ON CONFLICT DO NOTHING skips that row.
      withColumn(
        "fresh",
        "t",
        { primaryKey: true, foreignKey: false, uniqueCapable: true },
        insertRows(freshOrLiteral("ins_c"), maybe(" ON CONFLICT DO NOTHING", 0.2)),
        insertRows(freshOrLiteral("ins_c"), " ON CONFLICT DO NOTHING"),
      ),
      template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") }),
    ),
  ),
);

/** A key value for an upsert: an existing row's or a fresh one. */
const upsertValue = byColumn("ins_c", [
  [
    { primaryKey: true, foreignKey: false, uniqueCapable: true },
    choice([1, literal("ins_c")], [1, uniqueLiteral("ins_c")]),
  ],
  [{ primaryKey: true }, literal("ins_c")],
], freshOrLiteral("ins_c"));

// Every assignable column is inserted, so EXCLUDED holds a value for each.
// Two rows of one statement with the same key fail with 21000 (expected).
g.rule(
  "upsert_rows",
  keyedTable(
    withColumns(
      "ins",
      "t",
      { min: 1, max: 64, all: true, where: { generated: false } },
      withColumns(
        "key_t",
        "t",
        { min: 1, max: 64, all: true, where: { primaryKey: true } },
        insertRows(
          upsertValue,
          template(" ON CONFLICT ({k}) {action}", {
            k: names("key_t"),
            action: withColumns(
              "upd",
              "t",
              { min: 1, max: 3, where: { primaryKey: false, generated: false } },
              choice(
                [
                  4,
                  template("DO UPDATE SET {s}", {
                    s: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
                  }),
                ],
                [1, "DO NOTHING"],
              ),
              "DO NOTHING",
            ),
          }),
        ),
      ),
      // Every column is generated: nothing to propose.
      template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") }),
    ),
  ),
);

/** `c = v, …` over list "upd", a fresh value for a unique column. */
const assignments = eachColumn(
  "upd",
  "upd_c",
  template("{c} = {v}", { c: columnName("upd_c"), v: freshOrLiteral("upd_c") }),
);

g.rule(
  "update_by_key",
  keyedTable(
    withColumns(
      "upd",
      "t",
      { min: 1, max: 3, where: { primaryKey: false, generated: false } },
      template("UPDATE {t} AS a SET {s} WHERE {key}{ret}", {
        t: tableName("t"),
        s: assignments,
        key: keyMatch,
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
    withColumn(
      "rk",
      "t",
      { primaryKey: true, orderable: true },
      withColumns(
        "upd",
        "t",
        { min: 1, max: 2, where: { primaryKey: false, generated: false, unique: false } },
        template(
          "UPDATE {t} AS a SET {s} WHERE ({k}) IN (SELECT {k} FROM {t} WHERE {r} >= {v} ORDER BY {r} LIMIT {n}){ret}",
          {
            t: tableName("t"),
            s: assignments,
            k: withColumns(
              "key_t",
              "t",
              { min: 1, max: 64, all: true, where: { primaryKey: true } },
              names("key_t"),
            ),
            r: columnName("rk"),
            v: literal("rk", { nulls: 0 }),
            n: number(2, 10),
            ret: returning,
          },
        ),
        ref("update_by_key"),
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
          key: keyMatch,
          ret: returning,
        }),
        { hasForeignKey: true, hasPrimaryKey: true },
        ref("point_read"),
      ),
    ],
    [
      3,
      keyedTable(
        withColumns(
          "key_t",
          "t",
          { min: 1, max: 64, all: true, where: { primaryKey: true } },
          template("DELETE FROM {t} AS a WHERE ({k}) = (SELECT {k} FROM {t} ORDER BY {desc} LIMIT 1){ret}", {
            t: tableName("t"),
            k: names("key_t"),
            desc: eachColumn("key_t", "key_t_c", template("{c} DESC", { c: columnName("key_t_c") })),
            ret: returning,
          }),
        ),
      ),
    ],
  ),
);

export default g;
