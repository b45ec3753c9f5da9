/**
 * `outer_join_portable`: SELECTs built around outer joins, written only with
 * features PostgreSQL 11 already has, so they run on every PostgreSQL
 * 12–18 and on YugabyteDB:
 *
 * - `LEFT`, `RIGHT` and `FULL` joins of 2–5 tables along chains of foreign
 *   keys (child to parent, parent to child, and parenthesized joins), and
 *   through columns of one type class (a "partner" table);
 * - filters in `ON` (which keep the preserved side's rows) next to the same
 *   filters in `WHERE` (which turn the join inner);
 * - anti joins written as `LEFT JOIN … WHERE key IS NULL`;
 * - `COALESCE` over the nullable side, typed by its column, and outer joins
 *   under `GROUP BY`.
 *
 * A `FULL JOIN` only ever has equalities in its `ON` (foreign-key pairs or
 * two keys of one class), the only conditions PostgreSQL can run a full
 * join on (merge- or hash-joinable ones).
 *
 * Table slots `a`, `b`, `c`, `d` form a chain: `a` has a foreign key `fk`
 * to `b`, `b` may have `fk2` to `c`, and `c` may have `fk3` to `d`; `e` is
 * any table joined through a column of one class.
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

const g = grammar("outer_join_portable", {
  description: "LEFT/RIGHT/FULL joins of 2-4 tables along foreign keys and same-class columns, ON versus " +
    "WHERE filters, IS NULL anti joins and COALESCE over the nullable side; portable to PostgreSQL 11+ and " +
    "YugabyteDB.",
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
    [2, template("{l} IN ({vs})", { l, vs: repeat(value(c), 1, 3, ", ") })],
  );
  const typed = byColumn(c, [
    [
      { type: ["integer", "numeric", "float", "date", "timestamp", "time", "interval", "enum", "inet"] },
      ordered,
    ],
    [
      { type: "text" },
      choice([4, ordered], [2, template("{l} LIKE {v} || '%'", { l, v: value(c) })]),
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

/** A rule reference: one or two conditions on `table` seen through the alias of the same name. */
function pred(t: string): Element {
  const name = `pred_${t}`;
  if (!g.rules.has(name)) {
    const one = condition(t, t);
    g.rule(
      name,
      choice([6, one], [3, template("{x} AND {y}", { x: one, y: one })], [
        2,
        template("({x} OR {y})", { x: one, y: one }),
      ]),
    );
  }
  return ref(name);
}

const limit = (p = 0.7) => maybe(template(" LIMIT {n}", { n: number(1, 100) }), p);

// ---------------------------------------------------------------------------
// Joins. A step joins table slot `t` (aliased `t`) with `on` (equalities
// only); `filter` is a table of the join whose condition may join `on`.

/** `child.col = parent.col` for every pair of `fk`. */
const fkOn = (fk: string, child: string, parent: string) =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${child}.{c} = ${parent}.{p}`, { c: columnName(`${fk}_c`), p: columnName(`${fk}_p`) }),
  );

/** `alias.col IS NULL` for the first column `fk` joins on in `alias` (`side` "c" or "p"). */
const keyIsNull = (fk: string, alias: string, side: "c" | "p") =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${alias}.{k} IS NULL`, { k: columnName(`${fk}_${side}`) }),
  );

/**
 * ` <kind> JOIN <t> AS t ON <on>`: LEFT and RIGHT joins may add a filter on
 * their nullable side to `ON` (LEFT: the new table, RIGHT: `previous`); a
 * FULL join keeps its equalities alone.
 */
function join(t: string, previous: string, on: Element): Element {
  const table = tableName(t);
  return choice(
    [5, template(` LEFT JOIN {table} AS ${t} ON {on}{f}`, { table, on, f: onFilter(t) })],
    [2, template(` RIGHT JOIN {table} AS ${t} ON {on}{f}`, { table, on, f: onFilter(previous) })],
    [2, template(` FULL JOIN {table} AS ${t} ON {on}`, { table, on })],
    [1, template(` JOIN {table} AS ${t} ON {on}`, { table, on })],
  );
}

/** ` AND <pred>` on `t` now and then: a filter in ON. */
const onFilter = (t: string) => maybe(template(" AND {p}", { p: pred(t) }), 0.35);

// ---------------------------------------------------------------------------
// Select lists: plain columns and COALESCE over what may be NULL.

/** 1–3 columns of `t` as `t.col, ...`. */
const columnsOf = (t: string) =>
  withColumns(
    `sel_${t}`,
    t,
    { min: 1, max: 3 },
    eachColumn(`sel_${t}`, `sel_${t}_c`, qualified(t, `sel_${t}_c`)),
  );

/** A COALESCE over a column of `t`, typed by the column. */
const coalesceOf = (t: string) =>
  withColumn(
    "co",
    t,
    {},
    byColumn(
      "co",
      [
        [
          { type: ["integer", "numeric", "float", "text", "date", "timestamp", "time", "interval", "bool"] },
          choice(
            [3, template(`COALESCE(${t}.{c}, {v})`, { c: columnName("co"), v: value("co") })],
            [1, template(`COALESCE(${t}.{c}::text, 'none')`, { c: columnName("co") })],
          ),
        ],
      ],
      template(`COALESCE(${t}.{c}::text, 'none')`, { c: columnName("co") }),
    ),
  );

/** What a query over tables `ts` selects: columns and COALESCEs of each, in order. */
const selectList = (ts: readonly string[]) =>
  template(
    ts.map((_, i) => `{s${i}}`).join(", "),
    Object.fromEntries(
      ts.map((t, i) => [
        `s${i}`,
        choice([3, columnsOf(t)], [1, coalesceOf(t)], [
          1,
          template("{x}, {y}", {
            x: columnsOf(t),
            y: coalesceOf(t),
          }),
        ]),
      ]),
    ),
  );

/** ` WHERE` over tables `ts`: filters that keep or discard NULL-extended rows. */
const whereOf = (ts: readonly string[], nullChecks: readonly Element[]) =>
  maybe(
    template(" WHERE {w}", {
      w: choice(
        ...ts.map((t) => [3, pred(t)] as const),
        ...nullChecks.map((n) => [2, n] as const),
        ...nullChecks.map((n) => [1, template("NOT ({n})", { n })] as const),
      ),
    }),
    0.6,
  );

// ---------------------------------------------------------------------------
// Chains along foreign keys.

/** Binds a chain a→b(→c(→d)) and calls `body(n)` with its length; `orElse` without foreign keys. */
function withChain(body: (n: number) => Element, orElse: Element): Element {
  const three = withForeignKey("fk3", "c", "d", choice([2, body(4)], [1, body(3)]), body(3));
  const two = withForeignKey("fk2", "b", "c", choice([3, three], [2, body(2)]), body(2));
  return withTable("a", withForeignKey("fk", "a", "b", two), { hasForeignKey: true }, orElse);
}

/** Classes whose values from different tables compare with a hash- and merge-joinable `=`. */
const JOINABLE = ["integer", "numeric", "text", "date", "uuid"] as const;

/** `body` with `y` bound to a column of `t` in the class of the column in `x`, unique ones first. */
const sameClass = (x: string, y: string, t: string, body: Element, orElse: Element) =>
  byColumn(
    x,
    JOINABLE.map((k) =>
      [
        { type: k },
        withColumn(y, t, { type: k, unique: true }, body, withColumn(y, t, { type: k }, body, orElse)),
      ] as const
    ),
    orElse,
  );

const CHAIN = ["a", "b", "c", "d"] as const;
const FKS = ["fk", "fk2", "fk3"] as const;

/** ` <kind> JOIN e ON a.x = e.y`: the partner joined through columns of one class. */
const partnerJoin = join("e", "a", template("a.{x} = e.{y}", { x: columnName("x"), y: columnName("y") }));

/**
 * `body` with table `e` bound and columns `x` (of a, a foreign key if it has
 * one) and `y` (of e) of one class, or `plain` when no such pair exists.
 */
const withPartner = (body: Element, plain: Element) =>
  withTable(
    "e",
    withColumn(
      "x",
      "a",
      { type: [...JOINABLE], foreignKey: true },
      sameClass("x", "y", "e", body, plain),
      withColumn("x", "a", { type: [...JOINABLE] }, sameClass("x", "y", "e", body, plain), plain),
    ),
  );

/** Child first: a, then each parent joined to the table before it; then partner `e` if `partner`. */
function childFirst(n: number, partner = false): Element {
  const ts = [...CHAIN.slice(0, n), ...(partner ? ["e"] : [])];
  const joins = FKS.slice(0, n - 1).map((fk, i) =>
    join(CHAIN[i + 1]!, CHAIN[i]!, fkOn(fk, CHAIN[i]!, CHAIN[i + 1]!))
  );
  if (partner) joins.push(partnerJoin);
  const nulls = FKS.slice(0, n - 1).map((fk, i) => keyIsNull(fk, CHAIN[i + 1]!, "p"));
  return template(`SELECT {cols} FROM {ta} AS a${joins.map((_, i) => `{j${i}}`).join("")}{w}{l}`, {
    cols: selectList(ts),
    ta: tableName("a"),
    ...Object.fromEntries(joins.map((j, i) => [`j${i}`, j])),
    w: whereOf(ts, nulls),
    l: limit(),
  });
}

/** Parent first: the top table, then each child joined to the table before it; then partner `e` if `partner`. */
function parentFirst(n: number, partner = false): Element {
  const top = CHAIN[n - 1]!;
  const ts = [...CHAIN.slice(0, n).reverse(), ...(partner ? ["e"] : [])];
  const joins = FKS.slice(0, n - 1).reverse().map((fk) => {
    const i = FKS.indexOf(fk);
    return join(CHAIN[i]!, CHAIN[i + 1]!, fkOn(fk, CHAIN[i]!, CHAIN[i + 1]!));
  });
  if (partner) joins.push(partnerJoin);
  const nulls = FKS.slice(0, n - 1).map((fk, i) => keyIsNull(fk, CHAIN[i]!, "c"));
  return template(`SELECT {cols} FROM {tt} AS ${top}${joins.map((_, i) => `{j${i}}`).join("")}{w}{l}`, {
    cols: selectList(ts),
    tt: tableName(top),
    ...Object.fromEntries(joins.map((j, i) => [`j${i}`, j])),
    w: whereOf(ts, nulls),
    l: limit(),
  });
}

/** A child outer-joined to a parenthesized inner or outer join of its parent and grandparent. */
function parenthesized(n: number): Element {
  if (n < 3) return childFirst(n);
  return template(
    "SELECT {cols} FROM {ta} AS a {jt} ({tb} AS b {jt2} {tc} AS c ON {on2}) ON {on}{w}{l}",
    {
      cols: selectList(["a", "b", "c"]),
      ta: tableName("a"),
      jt: pool(["LEFT JOIN", "LEFT JOIN", "FULL JOIN", "RIGHT JOIN"]),
      tb: tableName("b"),
      jt2: pool(["JOIN", "LEFT JOIN", "FULL JOIN"]),
      tc: tableName("c"),
      on2: fkOn("fk2", "b", "c"),
      on: fkOn("fk", "a", "b"),
      w: whereOf(["a", "b", "c"], [keyIsNull("fk", "b", "p"), keyIsNull("fk2", "c", "p")]),
      l: limit(),
    },
  );
}

g.rule(
  "query",
  choice(
    [24, ref("chain")],
    [14, ref("anti_join")],
    [12, ref("on_versus_where")],
    [12, ref("full_keys")],
    [12, ref("grouped")],
    [14, ref("same_class")],
  ),
);

/** Rule `chain_<n>`: a chain of `n` tables, with or without a partner table joined through one class. */
function chainOf(n: number): Element {
  const name = `chain_${n}`;
  if (!g.rules.has(name)) {
    const plain = `chain_${n}_plain`;
    g.rule(plain, choice([4, childFirst(n)], [3, parentFirst(n)], [2, parenthesized(n)]));
    g.rule(
      name,
      choice(
        [3, ref(plain)],
        [2, withPartner(choice([4, childFirst(n, true)], [3, parentFirst(n, true)]), ref(plain))],
      ),
    );
  }
  return ref(name);
}

g.rule("chain", withChain(chainOf, ref("same_class")));

// ---------------------------------------------------------------------------
// Anti joins: rows of one side with no partner on the other.

g.rule(
  "anti_join",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      choice(
        // Parents without (matching) children.
        [
          3,
          template("SELECT {cols} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on}{f} WHERE {isnull}{more}{l}", {
            cols: columnsOf("b"),
            tb: tableName("b"),
            ta: tableName("a"),
            on: fkOn("fk", "a", "b"),
            f: onFilter("a"),
            isnull: keyIsNull("fk", "a", "c"),
            more: maybe(template(" AND {p}", { p: pred("b") }), 0.3),
            l: limit(),
          }),
        ],
        // Children whose parent is missing or filtered out in ON.
        [
          2,
          template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} AND {p} WHERE {isnull}{l}", {
            cols: columnsOf("a"),
            ta: tableName("a"),
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
            p: pred("b"),
            isnull: keyIsNull("fk", "b", "p"),
            l: limit(),
          }),
        ],
        // The same anti join written from the other side.
        [
          2,
          template("SELECT {cols} FROM {ta} AS a RIGHT JOIN {tb} AS b ON {on}{f} WHERE {isnull}{l}", {
            cols: columnsOf("b"),
            ta: tableName("a"),
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
            f: onFilter("a"),
            isnull: keyIsNull("fk", "a", "c"),
            l: limit(),
          }),
        ],
        // Both sides' orphans at once.
        [
          1,
          template("SELECT {cols} FROM {ta} AS a FULL JOIN {tb} AS b ON {on} WHERE {n1} OR {n2}{l}", {
            cols: selectList(["a", "b"]),
            ta: tableName("a"),
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
            n1: keyIsNull("fk", "a", "c"),
            n2: keyIsNull("fk", "b", "p"),
            l: limit(),
          }),
        ],
      ),
      ref("same_class"),
    ),
    { hasForeignKey: true },
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// One filter, placed in ON or in WHERE: the results differ for outer joins.

g.rule(
  "on_versus_where",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      choice(
        template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} AND {p}{l}", {
          cols: selectList(["a", "b"]),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkOn("fk", "a", "b"),
          p: pred("b"),
          l: limit(),
        }),
        template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} WHERE {p}{l}", {
          cols: selectList(["a", "b"]),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkOn("fk", "a", "b"),
          p: pred("b"),
          l: limit(),
        }),
        template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} AND {p}{l}", {
          cols: selectList(["a", "b"]),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkOn("fk", "a", "b"),
          p: pred("a"),
          l: limit(),
        }),
        template("SELECT {cols} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on} WHERE {p} OR {isnull}{l}", {
          cols: selectList(["b", "a"]),
          tb: tableName("b"),
          ta: tableName("a"),
          on: fkOn("fk", "a", "b"),
          p: pred("a"),
          isnull: keyIsNull("fk", "a", "c"),
          l: limit(),
        }),
        // COALESCE in WHERE: a NULL-extended row compares as the default.
        withColumn(
          "cw",
          "b",
          { type: ["integer", "numeric", "text", "date", "timestamp"] },
          template(
            "SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} WHERE COALESCE(b.{c}, {v}) {op} {v2}{l}",
            {
              cols: selectList(["a", "b"]),
              ta: tableName("a"),
              tb: tableName("b"),
              on: fkOn("fk", "a", "b"),
              c: columnName("cw"),
              v: value("cw"),
              op: pool(["=", "<>", "<", ">="]),
              v2: value("cw"),
              l: limit(),
            },
          ),
          template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} WHERE {p}{l}", {
            cols: selectList(["a", "b"]),
            ta: tableName("a"),
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
            p: pred("a"),
            l: limit(),
          }),
        ),
      ),
      ref("same_class"),
    ),
    { hasForeignKey: true },
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// FULL JOIN on keys, with the keys merged by COALESCE.

g.rule(
  "full_keys",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      template("SELECT {keys}, {cols} FROM {ta} AS a FULL JOIN {tb} AS b ON {on}{w}{o}{l}", {
        keys: eachForeignKeyPair(
          "fk",
          "fk_c",
          "fk_p",
          template("COALESCE(a.{c}, b.{p})", { c: columnName("fk_c"), p: columnName("fk_p") }),
          ", ",
        ),
        cols: selectList(["a", "b"]),
        ta: tableName("a"),
        tb: tableName("b"),
        on: fkOn("fk", "a", "b"),
        w: whereOf(["a", "b"], [keyIsNull("fk", "a", "c"), keyIsNull("fk", "b", "p")]),
        o: maybe(" ORDER BY 1", 0.5),
        l: limit(),
      }),
    ),
    { hasForeignKey: true },
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// Outer joins under GROUP BY: counting partners, zero included.

/** True for a row with a child partner: its foreign-key columns are all set (no ctid: YugabyteDB lacks it). */
const matched = eachForeignKeyPair(
  "fk",
  "fk_c",
  "fk_p",
  template("a.{c} IS NOT NULL", { c: columnName("fk_c") }),
);

g.rule(
  "grouped",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      choice(
        template(
          "SELECT {pk}, count(*) FILTER (WHERE {ck}) AS children{agg} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on}{f} " +
            "GROUP BY {pk2}{having} ORDER BY children DESC{l}",
          {
            pk: eachForeignKeyPair("fk", "fk_c", "fk_p", qualified("b", "fk_p"), ", "),
            ck: matched,
            agg: maybe(
              withColumn(
                "ga",
                "a",
                { type: "number" },
                template(", COALESCE(sum(a.{c}), 0) AS total", { c: columnName("ga") }),
                "",
              ),
              0.6,
            ),
            tb: tableName("b"),
            ta: tableName("a"),
            on: fkOn("fk", "a", "b"),
            f: onFilter("a"),
            pk2: eachForeignKeyPair("fk", "fk_c", "fk_p", qualified("b", "fk_p"), ", "),
            having: maybe(
              template(" HAVING count(*) FILTER (WHERE {ck}) {op} {n}", {
                ck: matched,
                op: pool(["=", ">", "<="]),
                n: number(0, 2),
              }),
              0.4,
            ),
            l: limit(),
          },
        ),
        withColumn(
          "gg",
          "b",
          { comparable: true },
          template(
            "SELECT b.{g}, count(*) AS all_rows, count(*) FILTER (WHERE {k}) AS matched FROM {ta} AS a {jt} JOIN {tb} " +
              "AS b ON {on} GROUP BY b.{g2} ORDER BY 1{l}",
            {
              g: columnName("gg"),
              k: matched,
              ta: tableName("a"),
              jt: pool(["RIGHT", "FULL", "LEFT"]),
              tb: tableName("b"),
              on: fkOn("fk", "a", "b"),
              g2: columnName("gg"),
              l: limit(),
            },
          ),
          template("SELECT count(*) FROM {ta} AS a LEFT JOIN {tb} AS b ON {on}", {
            ta: tableName("a"),
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
          }),
        ),
      ),
      ref("same_class"),
    ),
    { hasForeignKey: true },
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// Joins through two columns of one class, of any tables (a table may meet
// itself). Keys are preferred, so joins stay near one partner per row.

g.rule(
  "same_class",
  withTable(
    "a",
    withTable(
      "e",
      withColumn(
        "x",
        "a",
        { type: [...JOINABLE], foreignKey: true },
        ref("same_class_body"),
        withColumn("x", "a", { type: [...JOINABLE] }, ref("same_class_body"), ref("fallback")),
      ),
    ),
  ),
);

g.rule(
  "same_class_body",
  sameClass(
    "x",
    "y",
    "e",
    template("SELECT {cols} FROM {ta} AS a {jt} JOIN {te} AS e ON a.{x} = e.{y}{more}{w}{l}", {
      cols: selectList(["a", "e"]),
      ta: tableName("a"),
      jt: pool(["LEFT", "LEFT", "RIGHT", "FULL"]),
      te: tableName("e"),
      x: columnName("x"),
      y: columnName("y"),
      // A third table joined to the first through its own foreign key.
      more: maybe(
        withForeignKey(
          "fk",
          "a",
          "b",
          template(" LEFT JOIN {tb} AS b ON {on}", {
            tb: tableName("b"),
            on: fkOn("fk", "a", "b"),
          }),
          "",
        ),
        0.3,
      ),
      w: maybe(template(" WHERE {p}", { p: choice(pred("a"), pred("e")) }), 0.5),
      l: limit(0.8),
    }),
    ref("fallback"),
  ),
);

// A self outer join on a table's own columns, for schemas with little to join.
g.rule(
  "fallback",
  withTable(
    "a",
    withColumn(
      "x",
      "a",
      { comparable: true },
      template("SELECT {cols} FROM {ta} AS a LEFT JOIN {ta2} AS e ON e.{x} = a.{x2}{w}{l}", {
        cols: columnsOf("a"),
        ta: tableName("a"),
        ta2: tableName("a"),
        x: columnName("x"),
        x2: columnName("x"),
        w: maybe(template(" WHERE {p}", { p: pred("a") }), 0.5),
        l: limit(0.9),
      }),
      template("SELECT count(*) FROM {ta} AS a", { ta: tableName("a") }),
    ),
  ),
);

export default g;
