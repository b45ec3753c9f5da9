/**
 * `advanced_query_patterns`: read-only SELECTs built from the richer parts of
 * the language, over whatever schema the grammar is compiled against:
 *
 * - common table expressions, one or several, plain or chained, with the
 *   PostgreSQL 12+ `[NOT] MATERIALIZED` hint now and then;
 * - `WITH RECURSIVE` queries that always terminate: a counter up to a small
 *   bound, consecutive days or hours from a column's minimum, a walk over a
 *   column's distinct values, and a walk from a row along an integer pointer
 *   (a foreign key when there is one) with a depth limit, sometimes with the
 *   PostgreSQL 14+ `SEARCH`/`CYCLE` clauses;
 * - window functions (ranking, offsets, running aggregates) over partitions,
 *   with `ROWS`, `GROUPS` and typed `RANGE` frames and named windows;
 * - `LATERAL` subqueries and set-returning functions;
 * - `UNION [ALL]`, `INTERSECT [ALL]` and `EXCEPT [ALL]` whose branches have
 *   matching column counts and types;
 * - correlated and uncorrelated subqueries: `IN`, `EXISTS`, `NOT EXISTS`,
 *   `= ANY`, `ALL`, and scalar subqueries whose cardinality is guarded by an
 *   aggregate, `LIMIT 1` or a foreign key.
 *
 * Table slots: `a` is a table (with a foreign key when a pattern needs one)
 * and `b` the table it references. Column slots are read right after they
 * are bound, so nested picks never disturb an outer one.
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  columnType,
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

const g = grammar("advanced_query_patterns", {
  description: "Read-only SELECTs with CTEs (several, chained, and terminating WITH RECURSIVE ones), " +
    "window functions with frames, LATERAL, set operations, and correlated, scalar, IN/EXISTS/ANY/ALL " +
    "subqueries.",
  start: "query",
  maxDepth: 10,
});

/** `alias.column` for the column bound to `col`. */
const qualified = (alias: string, col: string) => template(`${alias}.{c}`, { c: columnName(col) });

/** A literal for a comparison: never NULL. */
const value = (col: string) => literal(col, { nulls: 0 });

/** A literal typed by a cast, for places where an untyped one would be ambiguous. */
const typedValue = (col: string) => template("CAST({v} AS {t})", { v: value(col), t: columnType(col) });

// ---------------------------------------------------------------------------
// Predicates: `pred(alias, table)` is a rule giving a boolean condition on the
// columns of `table` as seen through `alias` (a CTE or a second alias of the
// same table shows the same columns).

/** One typed comparison on a column of `table`; the column slot `pc` is read at once. */
function condition(alias: string, table: string): Element {
  const c = "pc";
  const l = qualified(alias, c);
  const ordered = choice(
    [6, template("{l} {op} {v}", { l, op: pool(["=", "<>", "<", "<=", ">", ">="]), v: value(c) })],
    [
      2,
      template("{l} BETWEEN {s}{lo} AND {hi}", {
        l,
        s: maybe("SYMMETRIC ", 0.5),
        lo: value(c),
        hi: value(c),
      }),
    ],
    [2, template("{l} IN ({vs})", { l, vs: repeat(value(c), 1, 4, ", ") })],
  );
  const typed = byColumn(c, [
    [
      { type: "integer" },
      choice([8, ordered], [1, template("{l} % {m} = 0", { l, m: number(2, 7) })]),
    ],
    [{ type: "number" }, choice([8, ordered], [1, template("abs({l}) > {v}", { l, v: value(c) })])],
    [
      { type: "text" },
      choice(
        [5, ordered],
        [2, template("{l} LIKE {v} || '%'", { l, v: value(c) })],
        [1, template("lower({l}) <> upper({l})", { l })],
        [1, template("length({l}) > {n}", { l, n: number(0, 20) })],
      ),
    ],
    [{ type: "bool" }, template("{l} IS {t}", { l, t: pool(["TRUE", "FALSE", "NOT TRUE", "NOT FALSE"]) })],
    [{ type: ["date", "timestamp", "time", "interval", "enum", "inet"] }, ordered],
    [{ type: "uuid" }, template("{l} {op} {v}", { l, op: pool(["=", "<>"]), v: value(c) })],
    [
      { type: "json" },
      choice(
        template("{l} @> {v}", { l, v: value(c) }),
        template("jsonb_typeof({l}) = 'object'", { l }),
        template("{l} ? {k}", { l, k: pool(["'color'", "'size'", "'status'"]) }),
      ),
    ],
    [{ type: "bytea" }, template("length({l}) > {n}", { l, n: number(0, 16) })],
    [{ comparable: true }, template("{l} {op} {v}", { l, op: pool(["=", "<>"]), v: value(c) })],
  ], template("{l} IS NOT NULL", { l }));
  return withColumn(
    c,
    table,
    {},
    byColumn(c, [[
      { nullable: true },
      choice([10, typed], [1, template("{l} IS NULL", { l })], [1, template("{l} IS NOT NULL", { l })]),
    ]], typed),
  );
}

/** A rule reference: a condition, or two joined by AND/OR, on `table` seen as `alias`. */
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
        [1, template("NOT ({x})", { x: one })],
      ),
    );
  }
  return ref(name);
}

/** ` WHERE <pred>` with probability `p`. */
const where = (alias: string, table: string, p = 0.7) =>
  maybe(template(" WHERE {p}", { p: pred(alias, table) }), p);

/** The columns of `list` as `alias.col, ...`. */
const columnList = (list: string, alias: string) =>
  eachColumn(list, `${list}_c`, qualified(alias, `${list}_c`));

/** ` ORDER BY` over 1–2 comparable columns of `table` seen as `alias`, or nothing. */
const orderBy = (alias: string, table: string) =>
  withColumns(
    "ord",
    table,
    { min: 1, max: 2, where: { comparable: true } },
    template(" ORDER BY {cols}", {
      cols: eachColumn(
        "ord",
        "ord_c",
        template("{c}{dir}{nulls}", {
          c: qualified(alias, "ord_c"),
          dir: pool(["", " ASC", " DESC"]),
          nulls: maybe(pool([" NULLS FIRST", " NULLS LAST"]), 0.2),
        }),
      ),
    }),
    "",
  );

const limit = (p = 0.7) =>
  maybe(
    template(" LIMIT {n}{offset}", {
      n: number(1, 100),
      offset: maybe(template(" OFFSET {o}", { o: number(0, 20) }), 0.2),
    }),
    p,
  );

/** Child-to-parent join condition of foreign key `fk` between aliases. */
const fkJoin = (child: string, parent: string) =>
  eachForeignKeyPair(
    "fk",
    "fk_c",
    "fk_p",
    template(`${child}.{c} = ${parent}.{p}`, { c: columnName("fk_c"), p: columnName("fk_p") }),
  );

/** The child columns of `fk` as `alias.col, ...`. */
const fkChildColumns = (alias: string) =>
  eachForeignKeyPair("fk", "fk_c", "fk_p", qualified(alias, "fk_c"), ", ");

/** The parent columns of `fk` as `alias.col, ...`. */
const fkParentColumns = (alias: string) =>
  eachForeignKeyPair("fk", "fk_c", "fk_p", qualified(alias, "fk_p"), ", ");

/**
 * `body` with a table that has a foreign key in "a" and the table it
 * references in "b"; `orElse` for a schema without foreign keys.
 */
const childAndParent = (body: Element, orElse: Element) =>
  withTable("a", withForeignKey("fk", "a", "b", body), { hasForeignKey: true }, orElse);

/** An aggregate over one column of `table` seen as `alias`, typed so it exists. */
const aggregate = (alias: string, table: string) =>
  choice(
    [3, "count(*)"],
    [
      3,
      withColumn(
        "agg",
        table,
        { type: "number" },
        template("{f}({c})", { f: pool(["sum", "avg", "min", "max"]), c: qualified(alias, "agg") }),
        "count(*)",
      ),
    ],
    [
      2,
      withColumn(
        "agg",
        table,
        { orderable: true },
        template("{f}({c})", { f: pool(["min", "max"]), c: qualified(alias, "agg") }),
        "count(*)",
      ),
    ],
    [
      2,
      withColumn(
        "agg",
        table,
        { comparable: true },
        template("count(DISTINCT {c})", { c: qualified(alias, "agg") }),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "agg",
        table,
        { type: "bool" },
        template("{f}({c})", { f: pool(["bool_and", "bool_or"]), c: qualified(alias, "agg") }),
        "count(*)",
      ),
    ],
  );

g.rule(
  "query",
  choice(
    [16, ref("cte_query")],
    [12, ref("recursive_query")],
    [18, ref("window_query")],
    [12, ref("lateral_query")],
    [16, ref("setop_query")],
    [26, ref("subquery_query")],
  ),
);

// ---------------------------------------------------------------------------
// Common table expressions.

const materialized = maybe(pool(["MATERIALIZED ", "NOT MATERIALIZED "]), 0.15);

g.rule(
  "cte_query",
  choice(
    // One CTE filtering a table, filtered again outside.
    [
      4,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 4 },
          template("WITH w AS {m}(SELECT * FROM {t} AS a{w1}) SELECT {cols} FROM w{w2}{o}{l}", {
            m: materialized,
            t: tableName("a"),
            w1: where("a", "a", 0.8),
            cols: columnList("sel", "w"),
            w2: where("w", "a", 0.5),
            o: maybe(orderBy("w", "a"), 0.5),
            l: limit(),
          }),
        ),
      ),
    ],
    // An aggregating CTE queried like a table.
    [
      3,
      withTable(
        "a",
        withColumn(
          "grp",
          "a",
          { comparable: true },
          template(
            "WITH w AS {m}(SELECT a.{g} AS grp, count(*) AS n, {agg} AS v FROM {t} AS a{w1} GROUP BY a.{g}) " +
              "SELECT grp, n, v FROM w WHERE n {op} {k} ORDER BY n DESC, grp{l}",
            {
              m: materialized,
              g: columnName("grp"),
              agg: aggregate("a", "a"),
              t: tableName("a"),
              w1: where("a", "a", 0.5),
              op: pool([">", ">=", "<"]),
              k: number(0, 3),
              l: limit(0.5),
            },
          ),
        ),
      ),
    ],
    // Two CTEs, a child and its parent, joined through the foreign key.
    [
      4,
      childAndParent(
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3 },
          withColumns(
            "selb",
            "b",
            { min: 1, max: 3 },
            template(
              "WITH child AS {m}(SELECT * FROM {ta} AS a{wa}), parent AS (SELECT * FROM {tb} AS b{wb}) " +
                "SELECT {ca}, {cb} FROM child {jt} parent ON {on}{o}{l}",
              {
                m: materialized,
                ta: tableName("a"),
                wa: where("a", "a", 0.6),
                tb: tableName("b"),
                wb: where("b", "b", 0.6),
                ca: columnList("sel", "child"),
                cb: columnList("selb", "parent"),
                jt: choice([4, "JOIN"], [2, "LEFT JOIN"], [1, "RIGHT JOIN"]),
                on: fkJoin("child", "parent"),
                o: maybe(orderBy("parent", "b"), 0.4),
                l: limit(),
              },
            ),
          ),
        ),
        ref("cte_chain"),
      ),
    ],
    [3, ref("cte_chain")],
    // Children counted per parent in a CTE, left-joined back to every parent.
    [
      3,
      childAndParent(
        withColumns(
          "selb",
          "b",
          { min: 1, max: 3 },
          template(
            "WITH counts AS (SELECT {cc}, count(*) AS n FROM {ta} AS a{wa} GROUP BY {cc2}) " +
              "SELECT {cb}, COALESCE(counts.n, 0) AS children FROM {tb} AS b LEFT JOIN counts ON {on} " +
              "ORDER BY children DESC{l}",
            {
              cc: fkChildColumns("a"),
              ta: tableName("a"),
              wa: where("a", "a", 0.5),
              cc2: fkChildColumns("a"),
              cb: columnList("selb", "b"),
              tb: tableName("b"),
              on: fkJoin("counts", "b"),
              l: limit(),
            },
          ),
        ),
        ref("cte_chain"),
      ),
    ],
  ),
);

// A CTE built on another, and one referenced twice.
g.rule(
  "cte_chain",
  withTable(
    "a",
    withColumns(
      "sel",
      "a",
      { min: 1, max: 3, where: { comparable: true } },
      choice(
        template(
          "WITH w1 AS (SELECT * FROM {t} AS a{wa}), w2 AS (SELECT * FROM w1{w1}) SELECT {cols} FROM w2{o}{l}",
          {
            t: tableName("a"),
            wa: where("a", "a", 0.6),
            w1: where("w1", "a", 0.6),
            cols: columnList("sel", "w2"),
            o: maybe(orderBy("w2", "a"), 0.5),
            l: limit(),
          },
        ),
        template(
          "WITH w AS (SELECT * FROM {t} AS a{wa}) SELECT {cols} FROM w WHERE {p} " +
            "UNION SELECT {cols2} FROM w WHERE {p2}{l}",
          {
            t: tableName("a"),
            wa: where("a", "a", 0.5),
            cols: columnList("sel", "w"),
            p: pred("w", "a"),
            cols2: columnList("sel", "w"),
            p2: pred("w", "a"),
            l: limit(0.5),
          },
        ),
        template(
          "WITH w AS (SELECT * FROM {t} AS a{wa}) SELECT (SELECT count(*) FROM w) AS total, " +
            "(SELECT count(*) FROM w WHERE {p}) AS matching",
          { t: tableName("a"), wa: where("a", "a", 0.5), p: pred("w", "a") },
        ),
      ),
    ),
  ),
);

// ---------------------------------------------------------------------------
// WITH RECURSIVE: every form has a bound that stops the recursion.

/** A counter 1..k joined to a table on an integer column, or alone. */
const counter = withTable(
  "a",
  template("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < {k}) {body}", {
    k: number(2, 60),
    body: withColumn(
      "rc",
      "a",
      { type: "integer" },
      choice(
        template(
          "SELECT r.n, count(a.{c}) AS hits FROM r LEFT JOIN {t} AS a ON a.{c2} = r.n GROUP BY r.n ORDER BY r.n",
          {
            c: columnName("rc"),
            t: tableName("a"),
            c2: columnName("rc"),
          },
        ),
        template(
          "SELECT r.n FROM r WHERE NOT EXISTS (SELECT 1 FROM {t} AS a WHERE a.{c} = r.n) ORDER BY r.n",
          { t: tableName("a"), c: columnName("rc") },
        ),
      ),
      template("SELECT r.n, r.n * r.n AS square, (SELECT count(*) FROM {t}) AS rows FROM r", {
        t: tableName("a"),
      }),
    ),
  }),
);

/** Walks the distinct values of an orderable column in order, a bounded number of steps. */
const valueWalk = withTable(
  "a",
  withColumn(
    "rc",
    "a",
    { orderable: true },
    template(
      "WITH RECURSIVE walk(v, depth) AS (SELECT min(a.{c}), 1 FROM {t} AS a UNION ALL " +
        "SELECT (SELECT min(a.{c2}) FROM {t2} AS a WHERE a.{c3} > w.v), w.depth + 1 FROM walk AS w " +
        "WHERE w.v IS NOT NULL AND w.depth < {k}) SELECT v, depth FROM walk WHERE v IS NOT NULL ORDER BY depth",
      {
        c: columnName("rc"),
        t: tableName("a"),
        c2: columnName("rc"),
        t2: tableName("a"),
        c3: columnName("rc"),
        k: number(2, 25),
      },
    ),
    counter,
  ),
);

/**
 * From one row, follows an integer pointer column (a foreign key when the
 * table has one) to the row whose unique integer key equals it, at most
 * `k` steps: the textbook ancestor walk on a self-referencing table.
 */
const keyWalk = withTable(
  "a",
  withColumn(
    "wk",
    "a",
    { type: "integer", unique: true },
    withColumn(
      "wf",
      "a",
      { type: "integer", foreignKey: true },
      ref("key_walk_body"),
      withColumn(
        "wf",
        "a",
        { type: "integer", unique: false },
        ref("key_walk_body"),
        withColumn("wf", "a", { type: "integer" }, ref("key_walk_body"), counter),
      ),
    ),
    counter,
  ),
);

g.rule(
  "key_walk_body",
  withColumns(
    "sel",
    "a",
    { min: 1, max: 3 },
    template(
      "WITH RECURSIVE walk AS (SELECT a.*, 1 AS walk_depth FROM {t} AS a WHERE a.{k} = {start} UNION ALL " +
        "SELECT a.*, w.walk_depth + 1 FROM {t2} AS a JOIN walk AS w ON a.{k2} = w.{f} WHERE w.walk_depth < {n})" +
        "{search} SELECT {cols}, w.walk_depth FROM walk AS w ORDER BY w.walk_depth{l}",
      {
        t: tableName("a"),
        k: columnName("wk"),
        start: value("wk"),
        t2: tableName("a"),
        k2: columnName("wk"),
        f: columnName("wf"),
        n: number(2, 6),
        // PostgreSQL 14+: SEARCH orders the walk, CYCLE stops it at a repeated key.
        search: maybe(
          template(" SEARCH {how} FIRST BY {k} SET walk_order CYCLE {k2} SET walk_cycle USING walk_path", {
            how: pool(["DEPTH", "BREADTH"]),
            k: columnName("wk"),
            k2: columnName("wk"),
          }),
          0.2,
        ),
        cols: columnList("sel", "w"),
        l: limit(0.5),
      },
    ),
  ),
);

/** Consecutive days from a date column's minimum, with rows counted per day. */
const dayWalk = withTable(
  "a",
  withColumn(
    "rc",
    "a",
    { type: "date" },
    template(
      "WITH RECURSIVE days(day, n) AS (SELECT min(a.{c}), 1 FROM {t} AS a UNION ALL " +
        "SELECT day + 1, n + 1 FROM days WHERE n < {k}) SELECT d.day, count(a.{c2}) AS hits FROM days AS d " +
        "LEFT JOIN {t2} AS a ON a.{c3} = d.day GROUP BY d.day ORDER BY d.day",
      {
        c: columnName("rc"),
        t: tableName("a"),
        k: number(2, 40),
        c2: columnName("rc"),
        t2: tableName("a"),
        c3: columnName("rc"),
      },
    ),
    withColumn(
      "rc",
      "a",
      { type: "timestamp" },
      template(
        "WITH RECURSIVE hours(h, n) AS (SELECT date_trunc('hour', min(a.{c})), 1 FROM {t} AS a UNION ALL " +
          "SELECT h + interval '{step}', n + 1 FROM hours WHERE n < {k}) SELECT h, n FROM hours ORDER BY h",
        {
          c: columnName("rc"),
          t: tableName("a"),
          step: pool(["1 hour", "1 day", "7 days", "1 month"]),
          k: number(2, 40),
        },
      ),
      counter,
    ),
  ),
);

g.rule("recursive_query", choice([3, counter], [3, valueWalk], [4, keyWalk], [2, dayWalk]));

// ---------------------------------------------------------------------------
// Window functions.

/** A frame clause fitting the ORDER BY column bound to `wo` (RANGE offsets are typed). */
const frame = choice(
  [3, ""],
  [
    3,
    template("ROWS BETWEEN {a} AND {b}", {
      a: pool(["UNBOUNDED PRECEDING", "1 PRECEDING", "2 PRECEDING", "CURRENT ROW"]),
      b: pool(["CURRENT ROW", "1 FOLLOWING", "3 FOLLOWING", "UNBOUNDED FOLLOWING"]),
    }),
  ],
  [1, template("ROWS {n} PRECEDING", { n: number(0, 5) })],
  [
    1,
    template("GROUPS BETWEEN {n} PRECEDING AND {m} FOLLOWING{ex}", {
      n: number(0, 2),
      m: number(0, 2),
      ex: maybe(pool([" EXCLUDE CURRENT ROW", " EXCLUDE GROUP", " EXCLUDE TIES"]), 0.4),
    }),
  ],
  [1, "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"],
  [
    2,
    byColumn("wo", [
      [
        { type: "integer" },
        template("RANGE BETWEEN {n} PRECEDING AND {m} FOLLOWING", {
          n: number(0, 10),
          m: number(0, 10),
        }),
      ],
      [
        { type: ["numeric", "float"] },
        template("RANGE BETWEEN {n}.5 PRECEDING AND CURRENT ROW", {
          n: number(0, 100),
        }),
      ],
      [
        { type: ["date", "timestamp"] },
        template("RANGE BETWEEN interval '{n} days' PRECEDING AND CURRENT ROW", { n: number(1, 60) }),
      ],
      [
        { type: ["time", "interval"] },
        template("RANGE BETWEEN interval '{n} hours' PRECEDING AND CURRENT ROW", { n: number(1, 12) }),
      ],
    ], "ROWS UNBOUNDED PRECEDING"),
  ],
);

/** `(PARTITION BY … ORDER BY … frame)`; binds `wp` and `wo` and reads them at once. */
const windowSpec = (ordered: boolean) =>
  withColumn(
    "wp",
    "a",
    { comparable: true },
    withColumn(
      "wo",
      "a",
      { comparable: true },
      template("({part}{order})", {
        part: maybe(template("PARTITION BY a.{p} ", { p: columnName("wp") }), 0.7),
        order: ordered
          ? template("ORDER BY a.{o}{dir} {f}", {
            o: columnName("wo"),
            dir: pool(["", " DESC", " NULLS FIRST", " DESC NULLS LAST"]),
            f: frame,
          })
          : maybe(template("ORDER BY a.{o}", { o: columnName("wo") }), 0.5),
      }),
      "()",
    ),
    "()",
  );

g.rule(
  "window_function",
  choice(
    [4, template("{f}() OVER {w}", { f: pool(["row_number", "rank", "dense_rank"]), w: windowSpec(true) })],
    [1, template("{f}() OVER {w}", { f: pool(["percent_rank", "cume_dist"]), w: windowSpec(true) })],
    [1, template("ntile({n}) OVER {w}", { n: number(1, 6), w: windowSpec(true) })],
    [
      3,
      withColumn(
        "wv",
        "a",
        {},
        template("{f}(a.{v}{more}) OVER {w}", {
          f: pool(["lag", "lead"]),
          v: columnName("wv"),
          more: maybe(
            template(", {n}{d}", {
              n: number(1, 3),
              d: maybe(template(", {v}", { v: typedValue("wv") }), 0.5),
            }),
            0.6,
          ),
          w: windowSpec(true),
        }),
      ),
    ],
    [
      2,
      withColumn(
        "wv",
        "a",
        {},
        choice(
          template("{f}(a.{v}) OVER {w}", {
            f: pool(["first_value", "last_value"]),
            v: columnName("wv"),
            w: windowSpec(true),
          }),
          template("nth_value(a.{v}, {n}) OVER {w}", {
            v: columnName("wv"),
            n: number(1, 3),
            w: windowSpec(true),
          }),
        ),
      ),
    ],
    [
      4,
      withColumn(
        "wv",
        "a",
        { type: "number" },
        template("{f}(a.{v}) OVER {w}", {
          f: pool(["sum", "avg", "min", "max", "count"]),
          v: columnName("wv"),
          w: windowSpec(true),
        }),
        template("count(*) OVER {w}", { w: windowSpec(true) }),
      ),
    ],
    [2, template("count(*) OVER {w}", { w: windowSpec(false) })],
  ),
);

g.rule(
  "window_query",
  withTable(
    "a",
    withColumns(
      "sel",
      "a",
      { min: 1, max: 3 },
      choice(
        [
          5,
          template("SELECT {cols}, {wfs} FROM {t} AS a{w}{o}{l}", {
            cols: columnList("sel", "a"),
            wfs: repeat(ref("window_function"), 1, 3, ", "),
            t: tableName("a"),
            w: where("a", "a", 0.5),
            o: maybe(orderBy("a", "a"), 0.5),
            l: limit(),
          }),
        ],
        // Top rows per partition: the window's result filtered outside.
        [
          2,
          withColumn(
            "wp",
            "a",
            { comparable: true },
            withColumn(
              "wo",
              "a",
              { comparable: true },
              template(
                "SELECT * FROM (SELECT {cols}, {f}() OVER (PARTITION BY a.{p} ORDER BY a.{o}{dir}) AS rn_ " +
                  "FROM {t} AS a{w}) AS ranked WHERE rn_ <= {n}{l}",
                {
                  cols: columnList("sel", "a"),
                  f: pool(["row_number", "rank", "dense_rank"]),
                  p: columnName("wp"),
                  o: columnName("wo"),
                  dir: pool(["", " DESC"]),
                  t: tableName("a"),
                  w: where("a", "a", 0.4),
                  n: number(1, 3),
                  l: limit(0.4),
                },
              ),
            ),
          ),
        ],
        // A named window shared by several functions.
        [
          2,
          withColumn(
            "wp",
            "a",
            { comparable: true },
            withColumn(
              "wo",
              "a",
              { comparable: true },
              template(
                "SELECT {cols}, row_number() OVER win, {f}() OVER win, count(*) OVER (win ROWS BETWEEN 1 PRECEDING " +
                  "AND 1 FOLLOWING) FROM {t} AS a{w} WINDOW win AS (PARTITION BY a.{p} ORDER BY a.{o}){l}",
                {
                  cols: columnList("sel", "a"),
                  f: pool(["rank", "dense_rank", "percent_rank", "cume_dist"]),
                  t: tableName("a"),
                  w: where("a", "a", 0.4),
                  p: columnName("wp"),
                  o: columnName("wo"),
                  l: limit(0.6),
                },
              ),
            ),
          ),
        ],
        // Windows over grouped rows: running totals and ranks of aggregates.
        [
          2,
          withColumn(
            "grp",
            "a",
            { comparable: true },
            template(
              "SELECT a.{g}, count(*) AS n, sum(count(*)) OVER (ORDER BY a.{g2}) AS running, " +
                "rank() OVER (ORDER BY count(*) DESC) AS by_size FROM {t} AS a{w} GROUP BY a.{g3} ORDER BY a.{g4}{l}",
              {
                g: columnName("grp"),
                g2: columnName("grp"),
                t: tableName("a"),
                w: where("a", "a", 0.4),
                g3: columnName("grp"),
                g4: columnName("grp"),
                l: limit(0.5),
              },
            ),
          ),
        ],
      ),
    ),
  ),
);

// ---------------------------------------------------------------------------
// LATERAL.

/** `sub` joined laterally as `l`: CROSS JOIN, or an outer or inner join ON true. */
const lateralJoin = (sub: Element) =>
  choice(
    [2, template("CROSS JOIN LATERAL {s} AS l", { s: sub })],
    [2, template("LEFT JOIN LATERAL {s} AS l ON true", { s: sub })],
    [1, template("JOIN LATERAL {s} AS l ON true", { s: sub })],
  );

g.rule(
  "lateral_query",
  choice(
    // The newest few children of every parent.
    [
      4,
      childAndParent(
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3 },
          withColumns(
            "selb",
            "b",
            { min: 1, max: 2 },
            template("SELECT {cb}, l.* FROM {tb} AS b {lat}{wb}{l}", {
              cb: columnList("selb", "b"),
              tb: tableName("b"),
              lat: lateralJoin(
                template("(SELECT {ca} FROM {ta} AS a WHERE {on}{wa}{o} LIMIT {k})", {
                  ca: columnList("sel", "a"),
                  ta: tableName("a"),
                  on: fkJoin("a", "b"),
                  wa: maybe(template(" AND {p}", { p: pred("a", "a") }), 0.4),
                  o: orderBy("a", "a"),
                  k: number(1, 3),
                }),
              ),
              wb: where("b", "b", 0.4),
              l: limit(),
            }),
          ),
        ),
        ref("lateral_series"),
      ),
    ],
    // Per-parent aggregates computed laterally.
    [
      3,
      childAndParent(
        withColumns(
          "selb",
          "b",
          { min: 1, max: 2 },
          template(
            "SELECT {cb}, l.n, l.m FROM {tb} AS b LEFT JOIN LATERAL (SELECT count(*) AS n, {agg} AS m FROM {ta} AS a " +
              "WHERE {on}) AS l ON true{wb} ORDER BY l.n DESC{l}",
            {
              cb: columnList("selb", "b"),
              tb: tableName("b"),
              agg: aggregate("a", "a"),
              ta: tableName("a"),
              on: fkJoin("a", "b"),
              wb: where("b", "b", 0.3),
              l: limit(),
            },
          ),
        ),
        ref("lateral_series"),
      ),
    ],
    [2, ref("lateral_series")],
    // Values derived from the row, unpivoted with a lateral VALUES list.
    [
      2,
      withTable(
        "a",
        withColumn(
          "lv",
          "a",
          { type: "number" },
          template(
            "SELECT v.k, v.x FROM {t} AS a CROSS JOIN LATERAL (VALUES (1, a.{c}), (2, a.{c2} * 2), (3, -a.{c3})) " +
              "AS v(k, x){w} ORDER BY v.k{l}",
            {
              t: tableName("a"),
              c: columnName("lv"),
              c2: columnName("lv"),
              c3: columnName("lv"),
              w: where("a", "a", 0.5),
              l: limit(),
            },
          ),
          ref("lateral_series"),
        ),
      ),
    ],
  ),
);

g.rule(
  "lateral_series",
  withTable(
    "a",
    withColumns(
      "sel",
      "a",
      { min: 1, max: 2 },
      template(
        "SELECT {cols}, s.i FROM {t} AS a CROSS JOIN LATERAL generate_series(1, {k}) AS s(i){w}{l}",
        {
          cols: columnList("sel", "a"),
          t: tableName("a"),
          k: number(1, 4),
          w: where("a", "a", 0.6),
          l: limit(0.8),
        },
      ),
    ),
  ),
);

// ---------------------------------------------------------------------------
// Set operations.

const setOp = choice(
  [4, "UNION"],
  [4, "UNION ALL"],
  [2, "INTERSECT"],
  [1, "INTERSECT ALL"],
  [2, "EXCEPT"],
  [1, "EXCEPT ALL"],
);

/** Classes whose values of different tables compare: same class, equality and order. */
const MATCHING: readonly ("integer" | "numeric" | "float" | "text" | "date" | "timestamp" | "time")[] = [
  "integer",
  "numeric",
  "float",
  "text",
  "date",
  "timestamp",
  "time",
];

/** `body` with `y` bound to a column of `table` in the same class as the column in `x`. */
const sameClass = (x: string, y: string, table: string, body: Element, orElse: Element) =>
  byColumn(
    x,
    MATCHING.map((t) => [{ type: t }, withColumn(y, table, { type: t }, body, orElse)] as const),
    orElse,
  );

g.rule(
  "setop_query",
  choice(
    // Two filtered halves of one table.
    [
      4,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3, where: { comparable: true } },
          template("SELECT {c1} FROM {t} AS a WHERE {p1} {op} SELECT {c2} FROM {t2} AS a WHERE {p2}{o}{l}", {
            c1: columnList("sel", "a"),
            t: tableName("a"),
            p1: pred("a", "a"),
            op: setOp,
            c2: columnList("sel", "a"),
            t2: tableName("a"),
            p2: pred("a", "a"),
            o: maybe(" ORDER BY 1", 0.5),
            l: limit(0.5),
          }),
        ),
      ),
    ],
    // Three branches, the last two grouped, each branch limited.
    [
      2,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 2, where: { comparable: true } },
          template(
            "(SELECT {c1} FROM {t} AS a WHERE {p1}) {op1} ((SELECT {c2} FROM {t2} AS a WHERE {p2} LIMIT {n}) " +
              "{op2} (SELECT {c3} FROM {t3} AS a WHERE {p3})) ORDER BY 1{l}",
            {
              c1: columnList("sel", "a"),
              t: tableName("a"),
              p1: pred("a", "a"),
              op1: setOp,
              c2: columnList("sel", "a"),
              t2: tableName("a"),
              p2: pred("a", "a"),
              n: number(1, 50),
              op2: setOp,
              c3: columnList("sel", "a"),
              t3: tableName("a"),
              p3: pred("a", "a"),
              l: limit(0.5),
            },
          ),
        ),
      ),
    ],
    // Parent keys against the keys children reference: with and without children.
    [
      3,
      childAndParent(
        template("SELECT {pk} FROM {tb} AS b{wb} {op} SELECT {ck} FROM {ta} AS a{wa} ORDER BY 1{l}", {
          pk: fkParentColumns("b"),
          tb: tableName("b"),
          wb: where("b", "b", 0.4),
          op: pool(["EXCEPT", "INTERSECT", "UNION", "EXCEPT ALL"]),
          ck: fkChildColumns("a"),
          ta: tableName("a"),
          wa: where("a", "a", 0.4),
          l: limit(0.5),
        }),
        ref("setop_typed"),
      ),
    ],
    [3, ref("setop_typed")],
    // A tagged UNION ALL of any columns (no equality needed).
    [
      2,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3 },
          template(
            "SELECT 'low' AS part, {c1} FROM {t} AS a WHERE {p1} UNION ALL SELECT 'high', {c2} FROM {t2} AS a " +
              "WHERE {p2}{l}",
            {
              c1: columnList("sel", "a"),
              t: tableName("a"),
              p1: pred("a", "a"),
              c2: columnList("sel", "a"),
              t2: tableName("a"),
              p2: pred("a", "a"),
              l: limit(0.5),
            },
          ),
        ),
      ),
    ],
  ),
);

// Columns of one class from two tables (possibly the same one).
g.rule(
  "setop_typed",
  withTable(
    "a",
    withTable(
      "b",
      withColumn(
        "sx",
        "a",
        { type: [...MATCHING] },
        sameClass(
          "sx",
          "sy",
          "b",
          template("SELECT a.{x} FROM {ta} AS a{wa} {op} SELECT b.{y} FROM {tb} AS b{wb} ORDER BY 1{l}", {
            x: columnName("sx"),
            ta: tableName("a"),
            wa: where("a", "a", 0.5),
            op: setOp,
            y: columnName("sy"),
            tb: tableName("b"),
            wb: where("b", "b", 0.5),
            l: limit(0.6),
          }),
          template("SELECT a.{x} FROM {ta} AS a {op} SELECT a.{x2} FROM {ta2} AS a ORDER BY 1{l}", {
            x: columnName("sx"),
            ta: tableName("a"),
            op: setOp,
            x2: columnName("sx"),
            ta2: tableName("a"),
            l: limit(0.6),
          }),
        ),
        template("SELECT count(*) FROM {ta} AS a UNION ALL SELECT count(*) FROM {tb} AS b", {
          ta: tableName("a"),
          tb: tableName("b"),
        }),
      ),
    ),
  ),
);

// ---------------------------------------------------------------------------
// Subqueries.

/** Parent rows filtered by their children. */
const parentFiltered = withColumns(
  "selb",
  "b",
  { min: 1, max: 3 },
  template("SELECT {cb} FROM {tb} AS b WHERE {cond}{wb}{o}{l}", {
    cb: columnList("selb", "b"),
    tb: tableName("b"),
    cond: choice(
      [
        3,
        template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{wa})", {
          ta: tableName("a"),
          on: fkJoin("a", "b"),
          wa: maybe(template(" AND {p}", { p: pred("a", "a") }), 0.6),
        }),
      ],
      [
        3,
        template("NOT EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{wa})", {
          ta: tableName("a"),
          on: fkJoin("a", "b"),
          wa: maybe(template(" AND {p}", { p: pred("a", "a") }), 0.5),
        }),
      ],
      [
        2,
        template("({pk}) IN (SELECT {ck} FROM {ta} AS a{wa})", {
          pk: fkParentColumns("b"),
          ck: fkChildColumns("a"),
          ta: tableName("a"),
          wa: where("a", "a", 0.6),
        }),
      ],
      [
        1,
        template("({pk}) NOT IN (SELECT {ck} FROM {ta} AS a WHERE {nn}{wa})", {
          pk: fkParentColumns("b"),
          ck: fkChildColumns("a"),
          ta: tableName("a"),
          nn: eachForeignKeyPair(
            "fk",
            "fk_c",
            "fk_p",
            template("a.{c} IS NOT NULL", { c: columnName("fk_c") }),
          ),
          wa: maybe(template(" AND {p}", { p: pred("a", "a") }), 0.5),
        }),
      ],
      [
        2,
        template("(SELECT count(*) FROM {ta} AS a WHERE {on}) {op} {n}", {
          ta: tableName("a"),
          on: fkJoin("a", "b"),
          op: pool([">", ">=", "=", "<"]),
          n: number(0, 3),
        }),
      ],
    ),
    wb: maybe(template(" AND {p}", { p: pred("b", "b") }), 0.4),
    o: maybe(orderBy("b", "b"), 0.4),
    l: limit(),
  }),
);

/** Child rows filtered through their parent, or carrying a parent's value. */
const childFiltered = withColumns(
  "sel",
  "a",
  { min: 1, max: 3 },
  choice(
    [
      3,
      template(
        "SELECT {ca} FROM {ta} AS a WHERE ({ck}) {op} (SELECT {pk} FROM {tb} AS b WHERE {pb}){wa}{l}",
        {
          ca: columnList("sel", "a"),
          ta: tableName("a"),
          ck: fkChildColumns("a"),
          op: pool(["IN", "= ANY", "NOT IN"]),
          pk: fkParentColumns("b"),
          tb: tableName("b"),
          pb: pred("b", "b"),
          wa: maybe(template(" AND {p}", { p: pred("a", "a") }), 0.3),
          l: limit(),
        },
      ),
    ],
    [
      3,
      withColumn(
        "sv",
        "b",
        {},
        // The foreign key references a key: at most one parent row.
        template(
          "SELECT {ca}, (SELECT b.{v} FROM {tb} AS b WHERE {on}) AS parent_value FROM {ta} AS a{wa}{l}",
          {
            ca: columnList("sel", "a"),
            v: columnName("sv"),
            tb: tableName("b"),
            on: fkJoin("a", "b"),
            ta: tableName("a"),
            wa: where("a", "a", 0.5),
            l: limit(),
          },
        ),
      ),
    ],
  ),
);

/** Comparisons of a column with the same column elsewhere in its table. */
const selfCompared = withTable(
  "a",
  withColumns(
    "sel",
    "a",
    { min: 1, max: 3 },
    withColumn(
      "sv",
      "a",
      { orderable: true },
      choice(
        [
          3,
          template(
            "SELECT {ca} FROM {ta} AS a WHERE a.{v} {op} {q} (SELECT a2.{v2} FROM {ta2} AS a2 WHERE {p}){l}",
            {
              ca: columnList("sel", "a"),
              ta: tableName("a"),
              v: columnName("sv"),
              op: pool(["=", "<", "<=", ">", ">=", "<>"]),
              q: pool(["ANY", "ALL", "SOME"]),
              v2: columnName("sv"),
              ta2: tableName("a"),
              p: pred("a2", "a"),
              l: limit(),
            },
          ),
        ],
        [
          2,
          // An aggregate or LIMIT 1 keeps the scalar subquery to one row.
          template("SELECT {ca} FROM {ta} AS a WHERE a.{v} {op} (SELECT {sub}){l}", {
            ca: columnList("sel", "a"),
            ta: tableName("a"),
            v: columnName("sv"),
            op: pool(["<", "<=", ">", ">=", "=", "<>"]),
            sub: choice(
              template("{f}(a2.{v}) FROM {ta} AS a2 WHERE {p}", {
                f: pool(["min", "max"]),
                v: columnName("sv"),
                ta: tableName("a"),
                p: pred("a2", "a"),
              }),
              template("a2.{v} FROM {ta} AS a2 WHERE a2.{v2} IS NOT NULL ORDER BY a2.{v3} {d} LIMIT 1", {
                v: columnName("sv"),
                ta: tableName("a"),
                v2: columnName("sv"),
                v3: columnName("sv"),
                d: pool(["ASC", "DESC"]),
              }),
            ),
            l: limit(),
          }),
        ],
        [
          2,
          withColumn(
            "sg",
            "a",
            { comparable: true },
            // Correlated: compared with the extreme of its own group.
            template(
              "SELECT {ca} FROM {ta} AS a WHERE a.{v} = (SELECT {f}(a2.{v2}) FROM {ta2} AS a2 WHERE a2.{g} = a.{g2}){l}",
              {
                ca: columnList("sel", "a"),
                ta: tableName("a"),
                v: columnName("sv"),
                f: pool(["min", "max"]),
                v2: columnName("sv"),
                ta2: tableName("a"),
                g: columnName("sg"),
                g2: columnName("sg"),
                l: limit(),
              },
            ),
          ),
        ],
        [
          2,
          template("SELECT {ca} FROM {ta} AS a WHERE a.{v} {in} ({vs}){l}", {
            ca: columnList("sel", "a"),
            ta: tableName("a"),
            v: columnName("sv"),
            in: pool(["IN", "NOT IN"]),
            vs: repeat(value("sv"), 1, 5, ", "),
            l: limit(),
          }),
        ],
        [
          1,
          template("SELECT {ca} FROM {ta} AS a WHERE a.{v} = ANY (ARRAY[{vs}]){l}", {
            ca: columnList("sel", "a"),
            ta: tableName("a"),
            v: columnName("sv"),
            vs: repeat(typedValue("sv"), 1, 4, ", "),
            l: limit(),
          }),
        ],
      ),
      template("SELECT {ca} FROM {ta} AS a WHERE EXISTS (SELECT 1 FROM {ta2} AS a2 WHERE {p}){l}", {
        ca: columnList("sel", "a"),
        ta: tableName("a"),
        ta2: tableName("a"),
        p: pred("a2", "a"),
        l: limit(),
      }),
    ),
  ),
);

/** Numeric columns against a correlated or uncorrelated average. */
const versusAverage = withTable(
  "a",
  withColumn(
    "sv",
    "a",
    { type: "number" },
    withColumns(
      "sel",
      "a",
      { min: 1, max: 3 },
      template(
        "SELECT {ca}, a.{v} - (SELECT avg(a2.{v2}) FROM {ta2} AS a2{corr}) AS diff FROM {ta} AS a{w}{l}",
        {
          ca: columnList("sel", "a"),
          v: columnName("sv"),
          v2: columnName("sv"),
          ta2: tableName("a"),
          corr: maybe(
            withColumn(
              "sg",
              "a",
              { comparable: true },
              template(" WHERE a2.{g} = a.{g2}", { g: columnName("sg"), g2: columnName("sg") }),
              "",
            ),
            0.6,
          ),
          ta: tableName("a"),
          w: where("a", "a", 0.5),
          l: limit(),
        },
      ),
    ),
    selfCompared,
  ),
);

/** Groups whose size passes a threshold computed by a subquery. */
const havingSubquery = childAndParent(
  template(
    "SELECT {ck}, count(*) AS n FROM {ta} AS a GROUP BY {ck2} HAVING count(*) >= (SELECT count(*) FROM {ta2} AS a2) / " +
      "NULLIF((SELECT count(*) FROM {tb} AS b), 0) ORDER BY n DESC{l}",
    {
      ck: fkChildColumns("a"),
      ta: tableName("a"),
      ck2: fkChildColumns("a"),
      ta2: tableName("a"),
      tb: tableName("b"),
      l: limit(),
    },
  ),
  versusAverage,
);

g.rule(
  "subquery_query",
  choice(
    [5, childAndParent(parentFiltered, selfCompared)],
    [4, childAndParent(childFiltered, selfCompared)],
    [5, selfCompared],
    [2, versusAverage],
    [2, havingSubquery],
  ),
);

export default g;
