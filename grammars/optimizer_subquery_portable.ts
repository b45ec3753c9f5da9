/**
 * `optimizer_subquery_portable`: SELECTs that exercise how the planner
 * handles subqueries, written only with features PostgreSQL 11 already has,
 * so they run unchanged on every PostgreSQL 12–18 and on YugabyteDB (whose
 * 2.x lines are based on PostgreSQL 11):
 *
 * - semi and anti joins spelled as `IN`, `= ANY`, `EXISTS`, `NOT IN` and
 *   `NOT EXISTS`, plain and in forms that block pull-up (`LIMIT`, `OFFSET 0`,
 *   `DISTINCT`, `GROUP BY`, an `OR` beside them);
 * - scalar and `EXISTS` subqueries in SELECT lists, `CASE` and `COALESCE`;
 * - derived tables: grouped, distinct, limited, windowed, `UNION ALL`,
 *   joined to tables and to each other, and nested in one another;
 * - subqueries nested two to five levels deep along chains of foreign keys,
 *   upward with `IN` and downward with `EXISTS`, often ending in one more
 *   uncorrelated level, and uncorrelated chains over columns of one type
 *   class;
 * - aggregates over derived tables and over scalar subqueries, and `HAVING`
 *   against subqueries.
 *
 * Table slots `a`, `b`, `c`, `d` form a chain: `a` has a foreign key `fk`
 * to `b`, `b` may have `fk2` to `c`, and `c` may have `fk3` to `d`.
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
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("optimizer_subquery_portable", {
  description: "Planner stress for subqueries, portable to PostgreSQL 11+ and YugabyteDB: semi/anti joins " +
    "as IN/EXISTS/NOT IN/NOT EXISTS, SELECT-list subqueries, derived tables, subqueries nested up to four " +
    "levels along foreign keys, and aggregates over subqueries.",
  start: "query",
  maxDepth: 10,
});

/** `alias.column` for the column bound to `col`. */
const qualified = (alias: string, col: string) => template(`${alias}.{c}`, { c: columnName(col) });

/** A literal for a comparison: never NULL. */
const value = (col: string) => literal(col, { nulls: 0 });

// ---------------------------------------------------------------------------
// Predicates over one table alias.

/** One typed comparison on a column of `table`; the column slot `pc` is read at once. */
function condition(alias: string, table: string): Element {
  const c = "pc";
  const l = qualified(alias, c);
  const ordered = choice(
    [6, template("{l} {op} {v}", { l, op: pool(["=", "<>", "<", "<=", ">", ">="]), v: value(c) })],
    [2, template("{l} BETWEEN SYMMETRIC {lo} AND {hi}", { l, lo: value(c), hi: value(c) })],
    [2, template("{l} IN ({vs})", { l, vs: repeat(value(c), 1, 4, ", ") })],
  );
  const typed = byColumn(c, [
    [
      { type: "integer" },
      choice([6, ordered], [1, template("{l} % {m} = {r}", { l, m: number(2, 5), r: number(0, 1) })]),
    ],
    [{ type: ["numeric", "float", "date", "timestamp", "time", "interval", "enum", "inet"] }, ordered],
    [
      { type: "text" },
      choice(
        [5, ordered],
        [2, template("{l} LIKE {v} || '%'", { l, v: value(c) })],
        [1, template("upper({l}) >= {v}", { l, v: value(c) })],
      ),
    ],
    [{ type: "bool" }, choice(template("{l}", { l }), template("NOT {l}", { l }))],
    [{ type: "json" }, template("{l} ? {k}", { l, k: pool(["'color'", "'size'", "'status'"]) })],
    [{ type: "bytea" }, template("length({l}) > {n}", { l, n: number(0, 16) })],
    [{ comparable: true }, template("{l} {op} {v}", { l, op: pool(["=", "<>"]), v: value(c) })],
  ], template("{l} IS NOT NULL", { l }));
  return withColumn(
    c,
    table,
    {},
    byColumn(c, [[
      { nullable: true },
      choice([8, typed], [1, template("{l} IS NULL", { l })], [1, template("{l} IS NOT NULL", { l })]),
    ]], typed),
  );
}

/** A rule reference: one or two conditions on `table` seen as `alias`. */
function pred(alias: string, table: string): Element {
  const name = `pred_${alias}_${table}`;
  if (!g.rules.has(name)) {
    const one = condition(alias, table);
    g.rule(
      name,
      choice(
        [6, one],
        [3, template("{x} AND {y}", { x: one, y: one })],
        [2, template("({x} OR {y})", { x: one, y: one })],
      ),
    );
  }
  return ref(name);
}

/** ` AND <pred>` with probability `p`. */
const andPred = (alias: string, table: string, p = 0.5) =>
  maybe(template(" AND {p}", { p: pred(alias, table) }), p);

/** ` WHERE <pred>` with probability `p`. */
const where = (alias: string, table: string, p = 0.5) =>
  maybe(template(" WHERE {p}", { p: pred(alias, table) }), p);

/** The columns of `list` as `alias.col, ...`. */
const columnList = (list: string, alias: string) =>
  eachColumn(list, `${list}_c`, qualified(alias, `${list}_c`));

/** 1–3 columns of `table` shown through `alias`. */
const someColumns = (table: string, alias: string, body: (cols: Element) => Element) =>
  withColumns(`sel_${table}`, table, { min: 1, max: 3 }, body(columnList(`sel_${table}`, alias)));

const limit = (p = 0.6) => maybe(template(" LIMIT {n}", { n: number(1, 100) }), p);

// ---------------------------------------------------------------------------
// Foreign-key chains. FK `fk` joins a (child) to b (parent), `fk2` b to c,
// `fk3` c to d; each pair's slots are `<fk>_c` and `<fk>_p`.

/** `child.col = parent.col` for every pair of `fk`. */
const fkJoin = (fk: string, child: string, parent: string) =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${child}.{c} = ${parent}.{p}`, { c: columnName(`${fk}_c`), p: columnName(`${fk}_p`) }),
  );

/** `(child cols)` of `fk` through `alias`. */
const childKey = (fk: string, alias: string) =>
  template("({k})", { k: eachForeignKeyPair(fk, `${fk}_c`, `${fk}_p`, qualified(alias, `${fk}_c`), ", ") });

/** `(parent cols)` of `fk` through `alias`, bare for a SELECT list. */
const parentCols = (fk: string, alias: string) =>
  eachForeignKeyPair(fk, `${fk}_c`, `${fk}_p`, qualified(alias, `${fk}_p`), ", ");

/** The child columns of `fk` through `alias`, bare. */
const childCols = (fk: string, alias: string) =>
  eachForeignKeyPair(fk, `${fk}_c`, `${fk}_p`, qualified(alias, `${fk}_c`), ", ");

/** Classes whose values from different tables compare with `=`. */
const MATCHING = ["integer", "numeric", "text", "date", "timestamp"] as const;

/** `body` with `y` bound to a column of `table` in the class of the column in `x`. */
const sameClass = (x: string, y: string, table: string, body: Element, orElse: Element) =>
  byColumn(
    x,
    MATCHING.map((t) => [{ type: t }, withColumn(y, table, { type: t }, body, orElse)] as const),
    orElse,
  );

/**
 * The innermost filter of a chain at table `t`: a predicate, or one more
 * (uncorrelated) level: a column of `t` IN the same-class column of any
 * table `e`.
 */
function innermost(t: string): Element {
  const name = `innermost_${t}`;
  if (!g.rules.has(name)) {
    const p = pred(t, t);
    g.rule(
      name,
      choice(
        [3, p],
        [
          2,
          withTable(
            "e",
            withColumn(
              "ex",
              t,
              { type: [...MATCHING] },
              sameClass(
                "ex",
                "ey",
                "e",
                template(`${t}.{x} {in} (SELECT e.{y} FROM {te} AS e{w})`, {
                  x: columnName("ex"),
                  in: pool(["IN", "NOT IN", "= ANY"]),
                  y: columnName("ey"),
                  te: tableName("e"),
                  w: where("e", "e", 0.6),
                }),
                p,
              ),
              p,
            ),
          ),
        ],
      ),
    );
  }
  return ref(name);
}

/** The chain's tables and foreign keys, child first. */
const CHAIN = [
  { t: "a", fk: "fk" },
  { t: "b", fk: "fk2" },
  { t: "c", fk: "fk3" },
  { t: "d", fk: "" },
] as const;

/**
 * Binds a foreign-key chain starting at a table with a foreign key and calls
 * `body(n)` with the number of tables bound (2–4), choosing a shorter chain
 * now and then even when a longer one exists. `orElse` when no table has a
 * foreign key.
 */
function withChain(body: (n: number) => Element, orElse: Element): Element {
  const three = withForeignKey("fk3", "c", "d", choice([3, body(4)], [1, body(3)]), body(3));
  const two = withForeignKey("fk2", "b", "c", choice([3, three], [1, body(2)]), body(2));
  return withTable("a", withForeignKey("fk", "a", "b", two), { hasForeignKey: true }, orElse);
}

/** How a child level filters by its parent level: a semi or anti join (a rule per level). */
function upward(level: number, n: number): Element {
  const name = `up_${level}_of_${n}`;
  if (!g.rules.has(name)) g.rule(name, upwardBody(level, n));
  return ref(name);
}

function upwardBody(level: number, n: number): Element {
  const child = CHAIN[level]!;
  const parent = CHAIN[level + 1]!;
  const inner = level + 2 < n ? upward(level + 1, n) : innermost(parent.t);
  const sub = template(`SELECT {pk} FROM {t} AS ${parent.t} WHERE {inner}`, {
    pk: parentCols(child.fk, parent.t),
    t: tableName(parent.t),
    inner,
  });
  return choice(
    [4, template("{k} IN ({sub})", { k: childKey(child.fk, child.t), sub })],
    [2, template("{k} = ANY ({sub})", { k: childKey(child.fk, child.t), sub })],
    [2, template("{k} NOT IN ({sub})", { k: childKey(child.fk, child.t), sub })],
    [
      3,
      template(`EXISTS (SELECT 1 FROM {t} AS ${parent.t} WHERE {on} AND {inner})`, {
        t: tableName(parent.t),
        on: fkJoin(child.fk, child.t, parent.t),
        inner,
      }),
    ],
    [
      1,
      template(`NOT EXISTS (SELECT 1 FROM {t} AS ${parent.t} WHERE {on} AND {inner})`, {
        t: tableName(parent.t),
        on: fkJoin(child.fk, child.t, parent.t),
        inner,
      }),
    ],
  );
}

/** How a parent level filters by its children (correlated), down to level 0 (a rule per level). */
function downward(level: number): Element {
  const name = `down_${level}`;
  if (!g.rules.has(name)) g.rule(name, downwardBody(level));
  return ref(name);
}

function downwardBody(level: number): Element {
  const parent = CHAIN[level]!;
  const child = CHAIN[level - 1]!;
  const inner = level > 1
    ? template(" AND {x}", { x: downward(level - 1) })
    : maybe(template(" AND {x}", { x: innermost(child.t) }), 0.7);
  return choice(
    [
      4,
      template(`EXISTS (SELECT 1 FROM {t} AS ${child.t} WHERE {on}{inner})`, {
        t: tableName(child.t),
        on: fkJoin(child.fk, child.t, parent.t),
        inner,
      }),
    ],
    [
      2,
      template(`NOT EXISTS (SELECT 1 FROM {t} AS ${child.t} WHERE {on}{inner})`, {
        t: tableName(child.t),
        on: fkJoin(child.fk, child.t, parent.t),
        inner,
      }),
    ],
    [
      2,
      template(`({pk}) IN (SELECT {ck} FROM {t} AS ${child.t} WHERE true{inner})`, {
        pk: parentCols(child.fk, parent.t),
        ck: childCols(child.fk, child.t),
        t: tableName(child.t),
        inner,
      }),
    ],
  );
}

/** Nested subqueries along the chain, `n` tables deep, read from the bottom or from the top. */
function nested(n: number): Element {
  const bottom = CHAIN[0]!;
  const top = CHAIN[n - 1]!;
  return choice(
    someColumns(
      bottom.t,
      bottom.t,
      (cols) =>
        template(`SELECT {cols} FROM {t} AS ${bottom.t} WHERE {cond}{more}{l}`, {
          cols,
          t: tableName(bottom.t),
          cond: upward(0, n),
          more: andPred(bottom.t, bottom.t, 0.3),
          l: limit(),
        }),
    ),
    someColumns(top.t, top.t, (cols) =>
      template(`SELECT {cols} FROM {t} AS ${top.t} WHERE {cond}{more}{l}`, {
        cols,
        t: tableName(top.t),
        cond: downward(n - 1),
        more: andPred(top.t, top.t, 0.3),
        l: limit(),
      })),
  );
}

g.rule(
  "query",
  choice(
    [22, ref("semi_anti")],
    [16, ref("select_list")],
    [18, ref("derived")],
    [18, ref("nested")],
    [16, ref("aggregate_over")],
    [10, ref("typed_nesting")],
  ),
);

g.rule("nested", withChain(nested, ref("typed_nesting")));

// ---------------------------------------------------------------------------
// Semi and anti joins between a child (a) and its parent (b).

/** A subquery body over the child, in a form that may block its pull-up. */
const childKeysFenced = template("SELECT {distinct}{ck} FROM {ta} AS a{w}{fence}", {
  distinct: maybe("DISTINCT ", 0.3),
  ck: childCols("fk", "a"),
  ta: tableName("a"),
  w: where("a", "a", 0.6),
  fence: choice([4, ""], [1, " OFFSET 0"], [1, template(" LIMIT {n}", { n: number(1, 50) })]),
});

const semiAnti = withTable(
  "a",
  withForeignKey(
    "fk",
    "a",
    "b",
    choice(
      // Parents with (or without) matching children.
      [
        5,
        someColumns("b", "b", (cols) =>
          template("SELECT {cols} FROM {tb} AS b WHERE {cond}{more}{l}", {
            cols,
            tb: tableName("b"),
            cond: choice(
              [3, template("({pk}) IN ({sub})", { pk: parentCols("fk", "b"), sub: childKeysFenced })],
              [2, template("({pk}) NOT IN ({sub})", { pk: parentCols("fk", "b"), sub: childKeysFenced })],
              [
                3,
                template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
                  ta: tableName("a"),
                  on: fkJoin("fk", "a", "b"),
                  p: andPred("a", "a", 0.6),
                }),
              ],
              [
                3,
                template("NOT EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
                  ta: tableName("a"),
                  on: fkJoin("fk", "a", "b"),
                  p: andPred("a", "a", 0.5),
                }),
              ],
              // An OR beside the sublink keeps it from becoming a join.
              [
                2,
                template("(EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p}) OR {q})", {
                  ta: tableName("a"),
                  on: fkJoin("fk", "a", "b"),
                  p: andPred("a", "a", 0.6),
                  q: pred("b", "b"),
                }),
              ],
              [
                1,
                template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on} OFFSET 0)", {
                  ta: tableName("a"),
                  on: fkJoin("fk", "a", "b"),
                }),
              ],
            ),
            more: andPred("b", "b", 0.3),
            l: limit(),
          })),
      ],
      // Children whose parent passes a filter.
      [
        4,
        someColumns(
          "a",
          "a",
          (cols) =>
            template(
              "SELECT {cols} FROM {ta} AS a WHERE {k} {op} (SELECT {pk} FROM {tb} AS b WHERE {p}{fence}){more}{l}",
              {
                cols,
                ta: tableName("a"),
                k: childKey("fk", "a"),
                op: pool(["IN", "IN", "= ANY", "NOT IN"]),
                pk: parentCols("fk", "b"),
                tb: tableName("b"),
                p: pred("b", "b"),
                fence: choice([5, ""], [1, " OFFSET 0"], [1, template(" LIMIT {n}", { n: number(1, 30) })]),
                more: andPred("a", "a", 0.3),
                l: limit(),
              },
            ),
        ),
      ],
      // Children having siblings (a correlated semi join of a table on itself).
      [
        2,
        someColumns("a", "a", (cols) =>
          template(
            "SELECT {cols} FROM {ta} AS a WHERE {neg}EXISTS (SELECT 1 FROM {ta2} AS a2 WHERE {same}{other}){l}",
            {
              cols,
              ta: tableName("a"),
              neg: maybe("NOT ", 0.4),
              ta2: tableName("a"),
              same: eachForeignKeyPair(
                "fk",
                "fk_c",
                "fk_p",
                template("a2.{c} = a.{c2}", {
                  c: columnName("fk_c"),
                  c2: columnName("fk_c"),
                }),
              ),
              // Another row: its primary key differs (no ctid, which YugabyteDB lacks).
              other: withColumns(
                "pk",
                "a",
                { min: 1, max: 64, all: true, where: { primaryKey: true } },
                template(" AND ({k2}) <> ({k})", {
                  k2: eachColumn("pk", "pk_c", qualified("a2", "pk_c")),
                  k: eachColumn("pk", "pk_c", qualified("a", "pk_c")),
                }),
                "",
              ),
              l: limit(),
            },
          )),
      ],
      // A semi join against a grouped subquery.
      [
        2,
        someColumns("b", "b", (cols) =>
          template(
            "SELECT {cols} FROM {tb} AS b WHERE ({pk}) IN (SELECT {ck} FROM {ta} AS a GROUP BY {ck2} HAVING count(*) {op} {n}){l}",
            {
              cols,
              tb: tableName("b"),
              pk: parentCols("fk", "b"),
              ck: childCols("fk", "a"),
              ta: tableName("a"),
              ck2: childCols("fk", "a"),
              op: pool([">", ">=", "="]),
              n: number(1, 3),
              l: limit(),
            },
          )),
      ],
    ),
    ref("typed_nesting"),
  ),
  { hasForeignKey: true },
  ref("typed_nesting"),
);

g.rule("semi_anti", semiAnti);

// ---------------------------------------------------------------------------
// Subqueries in SELECT lists.

/** One scalar or EXISTS subquery about the children of parent row `b`. */
const aboutChildren = choice(
  [
    3,
    template("(SELECT count(*) FROM {ta} AS a WHERE {on}{p})", {
      ta: tableName("a"),
      on: fkJoin("fk", "a", "b"),
      p: andPred("a", "a", 0.4),
    }),
  ],
  [
    2,
    withColumn(
      "sv",
      "a",
      { orderable: true },
      template("(SELECT {f}(a.{v}) FROM {ta} AS a WHERE {on})", {
        f: pool(["min", "max"]),
        v: columnName("sv"),
        ta: tableName("a"),
        on: fkJoin("fk", "a", "b"),
      }),
      "0",
    ),
  ],
  [
    2,
    template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
      ta: tableName("a"),
      on: fkJoin("fk", "a", "b"),
      p: andPred("a", "a", 0.5),
    }),
  ],
  [
    1,
    template(
      "CASE WHEN EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}) THEN 'has children' ELSE 'childless' END",
      {
        ta: tableName("a"),
        on: fkJoin("fk", "a", "b"),
      },
    ),
  ],
  [
    1,
    withColumn(
      "sv",
      "a",
      { type: "number" },
      template("COALESCE((SELECT sum(a.{v}) FROM {ta} AS a WHERE {on}), 0)", {
        v: columnName("sv"),
        ta: tableName("a"),
        on: fkJoin("fk", "a", "b"),
      }),
      "0",
    ),
  ],
);

/** One scalar subquery about child row `a`: its parent (at most one row) or its siblings. */
const aboutParent = choice(
  [
    3,
    withColumn(
      "sv",
      "b",
      {},
      template("(SELECT b.{v} FROM {tb} AS b WHERE {on})", {
        v: columnName("sv"),
        tb: tableName("b"),
        on: fkJoin("fk", "a", "b"),
      }),
      "NULL",
    ),
  ],
  [
    2,
    template("(SELECT count(*) FROM {ta} AS a2 WHERE {same})", {
      ta: tableName("a"),
      same: eachForeignKeyPair(
        "fk",
        "fk_c",
        "fk_p",
        template("a2.{c} = a.{c2}", {
          c: columnName("fk_c"),
          c2: columnName("fk_c"),
        }),
      ),
    }),
  ],
  [
    1,
    withColumn(
      "sv",
      "a",
      { orderable: true },
      template("(SELECT a2.{v} FROM {ta} AS a2 ORDER BY a2.{v2} DESC NULLS LAST LIMIT 1)", {
        v: columnName("sv"),
        ta: tableName("a"),
        v2: columnName("sv"),
      }),
      "NULL",
    ),
  ],
);

g.rule(
  "select_list",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      choice(
        someColumns("b", "b", (cols) =>
          template("SELECT {cols}, {subs} FROM {tb} AS b{w}{l}", {
            cols,
            subs: repeat(aboutChildren, 1, 3, ", "),
            tb: tableName("b"),
            w: where("b", "b", 0.5),
            l: limit(),
          })),
        someColumns("a", "a", (cols) =>
          template("SELECT {cols}, {subs} FROM {ta} AS a{w}{l}", {
            cols,
            subs: repeat(aboutParent, 1, 2, ", "),
            ta: tableName("a"),
            w: where("a", "a", 0.5),
            l: limit(),
          })),
      ),
      ref("typed_nesting"),
    ),
    { hasForeignKey: true },
    ref("derived_single"),
  ),
);

// ---------------------------------------------------------------------------
// Derived tables.

/** Derived tables over one table: fenced, windowed, unioned, nested. */
g.rule(
  "derived_single",
  withTable(
    "a",
    withColumns(
      "sel_a",
      "a",
      { min: 1, max: 3 },
      choice(
        [
          3,
          template("SELECT d.* FROM (SELECT {cols} FROM {ta} AS a{w}{fence}) AS d{l}", {
            cols: columnList("sel_a", "a"),
            ta: tableName("a"),
            w: where("a", "a", 0.6),
            fence: choice([3, ""], [1, " OFFSET 0"], [1, template(" LIMIT {n}", { n: number(1, 40) })]),
            l: limit(),
          }),
        ],
        [
          3,
          withColumn(
            "dg",
            "a",
            { comparable: true },
            template(
              "SELECT d.g, count(*) AS n FROM (SELECT a.{g} AS g FROM {ta} AS a{w1} UNION ALL " +
                "SELECT a.{g2} FROM {ta2} AS a{w2}) AS d GROUP BY d.g ORDER BY n DESC{l}",
              {
                g: columnName("dg"),
                ta: tableName("a"),
                w1: where("a", "a", 0.6),
                g2: columnName("dg"),
                ta2: tableName("a"),
                w2: where("a", "a", 0.6),
                l: limit(),
              },
            ),
          ),
        ],
        [
          3,
          withColumn(
            "dg",
            "a",
            { comparable: true },
            withColumn(
              "do",
              "a",
              { comparable: true },
              template(
                "SELECT d.* FROM (SELECT {cols}, row_number() OVER (PARTITION BY a.{g} ORDER BY a.{o}) AS rn_ " +
                  "FROM {ta} AS a) AS d WHERE d.rn_ {op} {n}{l}",
                {
                  cols: columnList("sel_a", "a"),
                  g: columnName("dg"),
                  o: columnName("do"),
                  ta: tableName("a"),
                  op: pool(["=", "<=", ">"]),
                  n: number(1, 3),
                  l: limit(),
                },
              ),
            ),
          ),
        ],
        [
          2,
          template(
            "SELECT d2.* FROM (SELECT d1.* FROM (SELECT {cols} FROM {ta} AS a{w}) AS d1{l1}) AS d2{l}",
            {
              cols: columnList("sel_a", "a"),
              ta: tableName("a"),
              w: where("a", "a", 0.6),
              l1: maybe(template(" LIMIT {n}", { n: number(1, 60) }), 0.4),
              l: limit(),
            },
          ),
        ],
        [
          2,
          withColumns(
            "dist",
            "a",
            { min: 1, max: 2, where: { comparable: true } },
            template("SELECT count(*) FROM (SELECT DISTINCT {cols} FROM {ta} AS a{w}) AS d", {
              cols: columnList("dist", "a"),
              ta: tableName("a"),
              w: where("a", "a", 0.6),
            }),
          ),
        ],
      ),
    ),
  ),
);

g.rule(
  "derived",
  choice(
    [3, ref("derived_single")],
    [
      4,
      withTable(
        "a",
        withForeignKey(
          "fk",
          "a",
          "b",
          choice(
            // A grouped derived table joined to the parent table.
            someColumns("b", "b", (cols) =>
              template(
                "SELECT {cols}, d.n FROM {tb} AS b {jt} (SELECT {ck}, count(*) AS n FROM {ta} AS a{w} GROUP BY {ck2}) AS d ON {on}{l}",
                {
                  cols,
                  tb: tableName("b"),
                  jt: pool(["JOIN", "LEFT JOIN"]),
                  ck: childCols("fk", "a"),
                  ta: tableName("a"),
                  w: where("a", "a", 0.5),
                  ck2: childCols("fk", "a"),
                  on: fkJoin("fk", "d", "b"),
                  l: limit(),
                },
              )),
            // Two derived tables joined to each other.
            someColumns("b", "pb", (cols) =>
              template(
                "SELECT {cols}, ca.n FROM (SELECT * FROM {tb} AS b{wb}) AS pb JOIN (SELECT {ck}, count(*) AS n " +
                  "FROM {ta} AS a{wa} GROUP BY {ck2}) AS ca ON {on}{l}",
                {
                  cols,
                  tb: tableName("b"),
                  wb: where("b", "b", 0.6),
                  ck: childCols("fk", "a"),
                  ta: tableName("a"),
                  wa: where("a", "a", 0.5),
                  ck2: childCols("fk", "a"),
                  on: fkJoin("fk", "ca", "pb"),
                  l: limit(),
                },
              )),
          ),
          ref("derived_single"),
        ),
        { hasForeignKey: true },
        ref("derived_single"),
      ),
    ],
  ),
);

// ---------------------------------------------------------------------------
// Aggregates over subqueries.

g.rule(
  "aggregate_over",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      choice(
        [
          3,
          template(
            "SELECT max(d.n), min(d.n), avg(d.n), count(*) FROM (SELECT {ck}, count(*) AS n FROM {ta} AS a{w} GROUP BY {ck2}) AS d",
            {
              ck: childCols("fk", "a"),
              ta: tableName("a"),
              w: where("a", "a", 0.5),
              ck2: childCols("fk", "a"),
            },
          ),
        ],
        [
          2,
          withColumn(
            "ag",
            "b",
            { comparable: true },
            template(
              "SELECT b.{g}, sum((SELECT count(*) FROM {ta} AS a WHERE {on})) AS children FROM {tb} AS b GROUP BY b.{g2} ORDER BY 2 DESC{l}",
              {
                g: columnName("ag"),
                ta: tableName("a"),
                on: fkJoin("fk", "a", "b"),
                tb: tableName("b"),
                g2: columnName("ag"),
                l: limit(),
              },
            ),
          ),
        ],
        [
          2,
          template(
            "SELECT {ck}, count(*) FROM {ta} AS a GROUP BY {ck2} HAVING count(*) > (SELECT avg(d.n) FROM (SELECT count(*) AS n " +
              "FROM {ta2} AS a2 GROUP BY {ck3}) AS d){l}",
            {
              ck: childCols("fk", "a"),
              ta: tableName("a"),
              ck2: childCols("fk", "a"),
              ta2: tableName("a"),
              ck3: eachForeignKeyPair("fk", "fk_c", "fk_p", qualified("a2", "fk_c"), ", "),
              l: limit(),
            },
          ),
        ],
        [
          2,
          withColumn(
            "av",
            "a",
            { type: "number" },
            template(
              "SELECT count(*), avg(d.v) FROM (SELECT a.{v} AS v FROM {ta} AS a WHERE a.{v2} > (SELECT avg(a2.{v3}) FROM {ta2} AS a2)) AS d",
              {
                v: columnName("av"),
                ta: tableName("a"),
                v2: columnName("av"),
                v3: columnName("av"),
                ta2: tableName("a"),
              },
            ),
            template("SELECT count(*) FROM (SELECT DISTINCT {ck} FROM {ta} AS a) AS d", {
              ck: childCols("fk", "a"),
              ta: tableName("a"),
            }),
          ),
        ],
        [
          2,
          template(
            "SELECT count(*) AS parents, sum(d.n) AS children, count(*) FILTER (WHERE d.n = 0) AS childless FROM " +
              "(SELECT (SELECT count(*) FROM {ta} AS a WHERE {on}) AS n FROM {tb} AS b{w}) AS d",
            { ta: tableName("a"), on: fkJoin("fk", "a", "b"), tb: tableName("b"), w: where("b", "b", 0.4) },
          ),
        ],
      ),
      ref("typed_nesting"),
    ),
    { hasForeignKey: true },
    withTable(
      "a",
      template("SELECT count(*), count(DISTINCT d.k) FROM (SELECT a.*, 1 AS k FROM {ta} AS a{w}) AS d", {
        ta: tableName("a"),
        w: where("a", "a", 0.6),
      }),
    ),
  ),
);

// ---------------------------------------------------------------------------
// Uncorrelated nesting over columns of one class from any tables.

g.rule(
  "typed_nesting",
  withTable(
    "a",
    withTable(
      "b",
      withTable(
        "c",
        withColumn(
          "x",
          "a",
          { type: [...MATCHING] },
          sameClass(
            "x",
            "y",
            "b",
            // `y` is read before `z` is bound, so `z` may reuse no slot of theirs.
            template(
              "SELECT a.{x} FROM {ta} AS a WHERE a.{x2} {in} (SELECT b.{y} FROM {tb} AS b WHERE {rest}){l}",
              {
                x: columnName("x"),
                ta: tableName("a"),
                x2: columnName("x"),
                in: pool(["IN", "IN", "NOT IN", "= ANY"]),
                y: columnName("y"),
                tb: tableName("b"),
                rest: withColumn(
                  "w",
                  "b",
                  { type: [...MATCHING] },
                  sameClass(
                    "w",
                    "z",
                    "c",
                    template("b.{w} IN (SELECT c.{z} FROM {tc} AS c{wc})", {
                      w: columnName("w"),
                      z: columnName("z"),
                      tc: tableName("c"),
                      wc: where("c", "c", 0.6),
                    }),
                    pred("b", "b"),
                  ),
                  pred("b", "b"),
                ),
                l: limit(),
              },
            ),
            template("SELECT a.{x} FROM {ta} AS a WHERE a.{x2} IN (SELECT a2.{x3} FROM {ta2} AS a2{w}){l}", {
              x: columnName("x"),
              ta: tableName("a"),
              x2: columnName("x"),
              x3: columnName("x"),
              ta2: tableName("a"),
              w: where("a2", "a", 0.7),
              l: limit(),
            }),
          ),
          ref("derived_single"),
        ),
      ),
    ),
  ),
);

export default g;
