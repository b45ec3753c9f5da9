/**
 * `dml_unique`: SELECT (joins, typed WHERE predicates, GROUP BY with
 * aggregates, ORDER BY, LIMIT), INSERT (multi-row, ON CONFLICT, RETURNING),
 * UPDATE and DELETE over whatever schema it is compiled against. Every
 * statement carries a `unique()` tag (`<n> AS q` first in a SELECT list, or
 * in RETURNING), so no two statements of a run are equal.
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
  pool,
  ref,
  repeat,
  tableName,
  template,
  unique,
  uniqueLiteral,
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("dml_unique", {
  description: "Schema-aware SELECT/INSERT/UPDATE/DELETE with joins, typed predicates, aggregates, " +
    "ON CONFLICT and RETURNING; unique by construction through a unique() tag in every statement.",
  start: "query",
  maxDepth: 10,
});

const tag = template("{u} AS q", { u: unique() });

/** `alias.column` for the column bound to `col`. */
const qualified = (alias: string, col: string) => template(`${alias}.{c}`, { c: columnName(col) });

/** A literal for a comparison: never NULL (`= NULL` is legal but says nothing). */
const value = (col: string) => literal(col, { nulls: 0 });

/**
 * A comparison on one column of the table in `slot`, typed by the column:
 * every operator and function used here exists for that type.
 */
function comparison(alias: string, slot: string): Element {
  const c = `${alias}_p`;
  const lhs = qualified(alias, c);
  const ordered = choice(
    [6, template("{l} {op} {v}", { l: lhs, op: pool(["=", "<>", "<", "<=", ">", ">="]), v: value(c) })],
    [2, template("{l} BETWEEN {lo} AND {hi}", { l: lhs, lo: value(c), hi: value(c) })],
    [2, template("{l} IN ({vs})", { l: lhs, vs: repeat(value(c), 1, 4, ", ") })],
  );
  const typed = byColumn(c, [
    [{ type: "number" }, choice([8, ordered], [1, template("abs({l}) > {v}", { l: lhs, v: value(c) })])],
    [
      { type: "text" },
      choice(
        [5, ordered],
        [2, template("{l} LIKE {v} || '%'", { l: lhs, v: value(c) })],
        [1, template("lower({l}) = lower({v})", { l: lhs, v: value(c) })],
        [1, template("length({l}) > {n}", { l: lhs, n: number(0, 40) })],
      ),
    ],
    [
      { type: "bool" },
      template("{l} IS {t}", { l: lhs, t: pool(["TRUE", "FALSE", "NOT TRUE", "NOT FALSE"]) }),
    ],
    [{ type: "temporal" }, ordered],
    [{ type: "enum" }, ordered],
    [{ type: "uuid" }, template("{l} {op} {v}", { l: lhs, op: pool(["=", "<>"]), v: value(c) })],
    [
      { type: "json" },
      choice(
        template("{l} @> {v}", { l: lhs, v: value(c) }),
        template("{l} <@ {v}", { l: lhs, v: value(c) }),
        template("jsonb_typeof({l}) = 'object'", { l: lhs }),
        template("{l} ? {k}", { l: lhs, k: pool(["'color'", "'size'", "'version'", "'status'"]) }),
      ),
    ],
    [
      { type: "bytea" },
      choice(
        template("length({l}) > {n}", { l: lhs, n: number(0, 16) }),
        template("{l} = {v}", { l: lhs, v: value(c) }),
      ),
    ],
    [
      { type: "other", comparable: true },
      template("{l} {op} {v}", { l: lhs, op: pool(["=", "<>"]), v: value(c) }),
    ],
    [
      { type: "inet" },
      choice(template("{l} << '10.0.0.0/8'", { l: lhs }), template("{l} = {v}", { l: lhs, v: value(c) })),
    ],
  ], template("{l} IS NOT NULL", { l: lhs }));
  return withColumn(
    c,
    slot,
    {},
    byColumn(c, [[
      { nullable: true },
      choice([12, typed], [1, template("{l} IS NULL", { l: lhs })], [
        1,
        template("{l} IS NOT NULL", { l: lhs }),
      ]),
    ]], typed),
  );
}

/** Rules `pred_<alias>` and `cmp_<alias>`: boolean conditions over one table alias. */
function predicateRules(alias: string, slot: string): [string, Element][] {
  const p = ref(`pred_${alias}`);
  const cmp = ref(`cmp_${alias}`);
  return [
    [
      `pred_${alias}`,
      choice(
        [10, cmp],
        [4, template("{a} AND {b}", { a: cmp, b: p })],
        [2, template("({a} OR {b})", { a: cmp, b: p })],
        [1, template("NOT ({a})", { a: cmp })],
      ),
    ],
    [`cmp_${alias}`, comparison(alias, slot)],
  ];
}

for (const [name, body] of [...predicateRules("a", "a"), ...predicateRules("b", "b")]) g.rule(name, body);

/** ` ORDER BY` over 1–2 orderable columns of `alias`, or nothing when it has none. */
const orderBy = (alias: string, slot: string) =>
  withColumns(
    `${alias}_ord`,
    slot,
    { min: 1, max: 2, where: { orderable: true } },
    template(" ORDER BY {cols}", {
      cols: eachColumn(
        `${alias}_ord`,
        `${alias}_o`,
        template("{c}{dir}{nulls}", {
          c: qualified(alias, `${alias}_o`),
          dir: pool(["", " ASC", " DESC"]),
          nulls: maybe(pool([" NULLS FIRST", " NULLS LAST"]), 0.2),
        }),
      ),
    }),
    "",
  );

const limit = maybe(
  template(" LIMIT {n}{offset}", {
    n: number(1, 500),
    offset: maybe(template(" OFFSET {o}", { o: number(0, 200) }), 0.3),
  }),
  0.6,
);

/** The columns of `list` as `alias.col, ...`. */
const columnList = (list: string, alias: string) =>
  eachColumn(list, `${list}_c`, qualified(alias, `${list}_c`));

g.rule(
  "query",
  choice([40, ref("select")], [25, ref("insert")], [20, ref("update")], [15, ref("delete")]),
);

g.rule(
  "select",
  choice([40, ref("simple_select")], [25, ref("join_select")], [25, ref("aggregate_select")], [
    10,
    ref("join_aggregate"),
  ]),
);

g.rule(
  "simple_select",
  withTable(
    "a",
    withColumns(
      "sel",
      "a",
      // DISTINCT needs equality on every column it returns.
      { min: 1, max: 5, where: { comparable: true } },
      choice(
        [
          9,
          template("SELECT {tag}, {cols} FROM {t} AS a{where}{order}{limit}", {
            tag,
            cols: columnList("sel", "a"),
            t: tableName("a"),
            where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.85),
            order: maybe(orderBy("a", "a"), 0.5),
            limit,
          }),
        ],
        [
          // DISTINCT may only be ordered by what it selects.
          1,
          template("SELECT DISTINCT {tag}, {cols} FROM {t} AS a{where}{order}{limit}", {
            tag,
            cols: columnList("sel", "a"),
            t: tableName("a"),
            where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.85),
            order: maybe(
              template(" ORDER BY {o}", {
                o: eachColumn(
                  "sel",
                  "sel_o",
                  template("{c}{dir}", { c: qualified("a", "sel_o"), dir: pool(["", " DESC"]) }),
                ),
              }),
              0.5,
            ),
            limit,
          }),
        ],
      ),
    ),
  ),
);

const joinOn = eachForeignKeyPair(
  "fk",
  "fk_child",
  "fk_parent",
  template("a.{c} = b.{p}", { c: columnName("fk_child"), p: columnName("fk_parent") }),
);

const joinType = choice([5, "JOIN"], [3, "LEFT JOIN"], [1, "RIGHT JOIN"], [1, "FULL JOIN"]);

/**
 * `body` with a table that has a foreign key in "a" and the table it
 * references in "b"; `orElse` for a schema without foreign keys.
 */
const childAndParent = (body: Element, orElse: Element) =>
  withTable("a", withForeignKey("fk", "a", "b", body), { hasForeignKey: true }, orElse);

g.rule(
  "join_select",
  childAndParent(
    withColumns(
      "sel",
      "a",
      { min: 1, max: 3 },
      withColumns(
        "selb",
        "b",
        { min: 1, max: 3 },
        template("SELECT {tag}, {ca}, {cb} FROM {ta} AS a {jt} {tb} AS b ON {on}{where}{order}{limit}", {
          tag,
          ca: columnList("sel", "a"),
          cb: columnList("selb", "b"),
          ta: tableName("a"),
          jt: joinType,
          tb: tableName("b"),
          on: joinOn,
          where: maybe(
            template(" WHERE {p}", {
              p: choice(
                ref("pred_a"),
                ref("pred_b"),
                template("{x} AND {y}", { x: ref("cmp_a"), y: ref("cmp_b") }),
              ),
            }),
            0.8,
          ),
          order: maybe(orderBy("b", "b"), 0.4),
          limit,
        }),
      ),
    ),
    ref("simple_select"),
  ),
);

/** One aggregate over a column of `alias`, typed so the function exists for it. */
const aggregate = (alias: string, slot: string) =>
  choice(
    [3, "count(*)"],
    [
      2,
      withColumn(
        "agg_any",
        slot,
        { comparable: true },
        template("count({d}{c})", { d: maybe("DISTINCT ", 0.3), c: qualified(alias, "agg_any") }),
        "count(*)",
      ),
    ],
    [
      3,
      withColumn(
        "agg_num",
        slot,
        { type: "number" },
        template("{f}({c})", { f: pool(["sum", "avg", "min", "max"]), c: qualified(alias, "agg_num") }),
        "count(*)",
      ),
    ],
    [
      2,
      withColumn(
        "agg_ord",
        slot,
        { orderable: true },
        template("{f}({c})", { f: pool(["min", "max"]), c: qualified(alias, "agg_ord") }),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "agg_bool",
        slot,
        { type: "bool" },
        template("{f}({c})", { f: pool(["bool_and", "bool_or"]), c: qualified(alias, "agg_bool") }),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "agg_text",
        slot,
        { type: "text" },
        template("string_agg({c}, ', ')", { c: qualified(alias, "agg_text") }),
        "count(*)",
      ),
    ],
  );

const having = maybe(
  template(" HAVING count(*) {op} {n}", { op: pool([">", ">=", "<", "="]), n: number(0, 20) }),
  0.3,
);

g.rule(
  "aggregate_select",
  withTable(
    "a",
    withColumns(
      "grp",
      "a",
      { min: 1, max: 2, where: { comparable: true } },
      template("SELECT {tag}, {g}, {aggs} FROM {t} AS a{where} GROUP BY {g2}{having} ORDER BY {g3}{limit}", {
        tag,
        g: columnList("grp", "a"),
        aggs: repeat(aggregate("a", "a"), 1, 3, ", "),
        t: tableName("a"),
        where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.6),
        g2: columnList("grp", "a"),
        having,
        g3: columnList("grp", "a"),
        limit,
      }),
    ),
  ),
);

g.rule(
  "join_aggregate",
  childAndParent(
    withColumns(
      "grp",
      "b",
      { min: 1, max: 2, where: { comparable: true } },
      template(
        "SELECT {tag}, {g}, {aggs} FROM {ta} AS a JOIN {tb} AS b ON {on}{where} GROUP BY {g2}{having}{limit}",
        {
          tag,
          g: columnList("grp", "b"),
          aggs: repeat(aggregate("a", "a"), 1, 3, ", "),
          ta: tableName("a"),
          tb: tableName("b"),
          on: joinOn,
          where: maybe(template(" WHERE {p}", { p: ref("pred_b") }), 0.5),
          g2: columnList("grp", "b"),
          having,
          limit,
        },
      ),
    ),
    ref("aggregate_select"),
  ),
);

/** A value for an INSERT: primary keys that can hold it get the statement's unique value. */
const insertValue = byColumn(
  "ins_c",
  [
    [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
    // In a live table, a UNIQUE column meets the rows already there too.
    [{ live: true, unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
  ],
  literal("ins_c"),
);

const returning = template(" RETURNING {tag}{more}", {
  tag,
  more: maybe(
    choice(
      ", *",
      withColumns("ret", "a", { min: 1, max: 3 }, template(", {c}", { c: columnList("ret", "a") })),
    ),
    0.5,
  ),
});

const onConflict = choice(
  [2, " ON CONFLICT DO NOTHING"],
  [
    3,
    withColumns(
      "pk",
      "a",
      { min: 1, max: 64, all: true, where: { primaryKey: true } },
      withColumns(
        "upd",
        "a",
        { min: 1, max: 3, where: { primaryKey: false, generated: false } },
        template(" ON CONFLICT ({k}) DO UPDATE SET {s}", {
          k: eachColumn("pk", "pk_c", columnName("pk_c")),
          s: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
        }),
        " ON CONFLICT DO NOTHING",
      ),
      " ON CONFLICT DO NOTHING",
    ),
  ],
);

/** An INSERT into the table in "a", ending in `conflict`. */
const insertInto = (conflict: Element) =>
  withColumns(
    "ins",
    "a",
    { min: 0, max: 12, required: true, where: { generated: false } },
    template("INSERT INTO {t} AS a ({cols}) VALUES {rows}{conflict}{ret}", {
      t: tableName("a"),
      cols: eachColumn("ins", "ins_c", columnName("ins_c")),
      rows: repeat(template("({v})", { v: eachColumn("ins", "ins_c", insertValue) }), 1, 4, ", "),
      conflict,
      ret: returning,
    }),
    // No column is required and none was picked: every column has a default.
    template("INSERT INTO {t} AS a DEFAULT VALUES{ret}", { t: tableName("a"), ret: returning }),
  );

g.rule(
  "insert",
  withTable(
    "a",
    // A live table with a key whose new values may repeat the rows already there.
    withColumn(
      "repeats",
      "a",
      { liveRepeats: true },
      insertInto(" ON CONFLICT DO NOTHING"),
      insertInto(maybe(onConflict, 0.35)),
    ),
  ),
);

const assignments = eachColumn(
  "upd",
  "upd_c",
  template("{c} = {v}", { c: columnName("upd_c"), v: literal("upd_c") }),
);

const simpleUpdate = template("UPDATE {t} AS a SET {s} WHERE {p}{ret}", {
  t: tableName("a"),
  s: assignments,
  p: ref("pred_a"),
  ret: returning,
});

/**
 * Over a table read from a live database (`live` facts): only rows the traffic
 * itself inserted are changed or deleted — those whose key lies above the
 * maximum introspection saw (`liveKey`) — so the parent keys and values the
 * facts sampled stay; an UPDATE sets no key, unique or foreign-key column
 * (several rows cannot share a unique value, and a key of several columns
 * changes as a whole or not at all). A live table with no such key has its
 * rows updated but never deleted by predicate alone: its DELETE also names a
 * fresh key value, so it removes at most a row the traffic made, or it only
 * reads. An INSERT into a live table with a key its new rows may repeat
 * (`liveRepeats`) says ON CONFLICT DO NOTHING.
 */
const liveGuard = template("a.{k} >= {v} AND ", { k: columnName("live_k"), v: value("live_k") });

const liveUpdate = withColumns(
  "upd",
  "a",
  { min: 1, max: 3, where: { primaryKey: false, generated: false, inKey: false, foreignKey: false } },
  template("UPDATE {t} AS a SET {s} WHERE {g}{p}{ret}", {
    t: tableName("a"),
    s: assignments,
    g: withColumn("live_k", "a", { liveKey: true }, liveGuard, ""),
    p: ref("pred_a"),
    ret: returning,
  }),
  template("SELECT {tag} FROM {t} AS a LIMIT 0", { tag, t: tableName("a") }),
);

g.rule(
  "update",
  withTable(
    "a",
    withColumn(
      "live",
      "a",
      { live: true },
      liveUpdate,
      withColumns(
        "upd",
        "a",
        { min: 1, max: 3, where: { primaryKey: false, generated: false } },
        choice(
          [3, simpleUpdate],
          [
            1,
            withForeignKey(
              "fk",
              "a",
              "b",
              template("UPDATE {t} AS a SET {s} FROM {tb} AS b WHERE {on} AND {p}{ret}", {
                t: tableName("a"),
                s: assignments,
                tb: tableName("b"),
                on: joinOn,
                p: ref("pred_b"),
                ret: returning,
              }),
              simpleUpdate,
            ),
          ],
        ),
        // A table whose every column is a key: touch nothing, but stay unique.
        template("SELECT {tag} FROM {t} AS a LIMIT 0", { tag, t: tableName("a") }),
      ),
    ),
  ),
);

const simpleDelete = template("DELETE FROM {t} AS a WHERE {p}{ret}", {
  t: tableName("a"),
  p: ref("pred_a"),
  ret: returning,
});

const liveDelete = withColumn(
  "live_k",
  "a",
  { liveKey: true },
  choice(
    [
      3,
      template("DELETE FROM {t} AS a WHERE {g}{p}{ret}", {
        t: tableName("a"),
        g: liveGuard,
        p: ref("pred_a"),
        ret: returning,
      }),
    ],
    [
      1,
      withForeignKey(
        "fk",
        "a",
        "b",
        template("DELETE FROM {t} AS a USING {tb} AS b WHERE {on} AND {g}{p}{ret}", {
          t: tableName("a"),
          tb: tableName("b"),
          on: joinOn,
          g: liveGuard,
          p: ref("pred_b"),
          ret: returning,
        }),
        template("DELETE FROM {t} AS a WHERE {g}{p}{ret}", {
          t: tableName("a"),
          g: liveGuard,
          p: ref("pred_a"),
          ret: returning,
        }),
      ),
    ],
  ),
  // No key tells the traffic's rows: delete by a key value no existing row has, or only read.
  withColumn(
    "live_pk",
    "a",
    { primaryKey: true, foreignKey: false, uniqueCapable: true },
    template("DELETE FROM {t} AS a WHERE a.{k} = {v} AND {p}{ret}", {
      t: tableName("a"),
      k: columnName("live_pk"),
      v: uniqueLiteral("live_pk"),
      p: ref("pred_a"),
      ret: returning,
    }),
    template("SELECT {tag} FROM {t} AS a WHERE {p}", { tag, t: tableName("a"), p: ref("pred_a") }),
  ),
);

g.rule(
  "delete",
  withTable(
    "a",
    withColumn(
      "live",
      "a",
      { live: true },
      liveDelete,
      choice(
        [3, simpleDelete],
        [
          1,
          withForeignKey(
            "fk",
            "a",
            "b",
            template("DELETE FROM {t} AS a USING {tb} AS b WHERE {on} AND {p}{ret}", {
              t: tableName("a"),
              tb: tableName("b"),
              on: joinOn,
              p: ref("pred_b"),
              ret: returning,
            }),
            simpleDelete,
          ),
        ],
      ),
    ),
  ),
);

export default g;
