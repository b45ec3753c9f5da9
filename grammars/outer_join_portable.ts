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
 * The joins of a chain are built in `parts/outer_join_chains.ts`; this file
 * weighs the query shapes and says how a condition tests a column.
 *
 * @module
 */
import {
  choice,
  columnName,
  eachForeignKeyPair,
  type Element,
  grammar,
  maybe,
  number,
  pool,
  ref,
  tableName,
  template,
  withColumn,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";
import { nonNullLiteral } from "./parts/columns.ts";
import {
  childAndParent,
  fkColumnsAre,
  fkEquality,
  fkParentColumns,
  withForeignKeyChain,
} from "./parts/foreign_keys.ts";
import { maybeLimit } from "./parts/limits.ts";
import {
  childFirst,
  columnsOf,
  JOINABLE,
  onFilter,
  parentFirst,
  parenthesized,
  partnerJoin,
  selectList,
  whereOf,
  withJoinableColumn,
  withPartner,
} from "./parts/outer_join_chains.ts";
import {
  columnCondition,
  likePrefix,
  orderedCondition,
  plainTypeCases,
  predicateRules,
} from "./parts/predicates.ts";
import { withSameClass } from "./parts/type_classes.ts";

const g = grammar("outer_join_portable", {
  description: "LEFT/RIGHT/FULL joins of 2-4 tables along foreign keys and same-class columns, ON versus " +
    "WHERE filters, IS NULL anti joins and COALESCE over the nullable side; portable to PostgreSQL 11+ and " +
    "YugabyteDB.",
  start: "query",
  maxDepth: 10,
});

/** One typed test of a column of `table` seen as `alias`. */
function condition(alias: string, table: string): Element {
  return columnCondition(alias, table, 8, (l) => {
    const ordered = orderedCondition(l, "always", 3);
    return [
      [
        { type: ["integer", "numeric", "float", "date", "timestamp", "time", "interval", "enum", "inet"] },
        ordered,
      ],
      [{ type: "text" }, choice([4, ordered], [2, likePrefix(l)])],
      ...plainTypeCases(l),
    ];
  });
}

/** Rules `pred_<t>_<t>`: a condition, or two joined by AND/OR, on table `t` seen through the alias `t`. */
const predicates = predicateRules(g, condition);

const limit = maybeLimit(100, 0.7);

/** ` <kind> JOIN e ON a.x = e.y`: the partner joined through columns of one class. */
const partner = partnerJoin(predicates);

/** `SELECT <columns of a and b> FROM a LEFT JOIN b ON <foreign key>`, then `rest` filled from `parts`. */
const childLeftJoinParent = (rest: string, parts: Record<string, Element>) =>
  template(`SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on}${rest}`, {
    cols: selectList(["a", "b"]),
    ta: tableName("a"),
    tb: tableName("b"),
    on: fkEquality("fk", "a", "b"),
    ...parts,
  });

/** `a.c IS NULL AND …` or `b.p IS NULL AND …`: no row of the child, or of the parent, matched. */
const childMissing = fkColumnsAre("fk", "a", "c", "NULL");
const parentMissing = fkColumnsAre("fk", "b", "p", "NULL");

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
    g.rule(
      plain,
      choice(
        [4, childFirst(predicates, n)],
        [3, parentFirst(predicates, n)],
        [2, parenthesized(predicates, n)],
      ),
    );
    g.rule(
      name,
      choice(
        [3, ref(plain)],
        [
          2,
          withPartner(
            choice([4, childFirst(predicates, n, partner)], [3, parentFirst(predicates, n, partner)]),
            ref(plain),
          ),
        ],
      ),
    );
  }
  return ref(name);
}

g.rule("chain", withForeignKeyChain(chainOf, ref("same_class"), { third: [3, 2], fourth: [2, 1] }));

// ---------------------------------------------------------------------------
// Anti joins: rows of one side with no partner on the other.

g.rule(
  "anti_join",
  childAndParent(
    choice(
      // Parents without (matching) children.
      [
        3,
        template("SELECT {cols} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on}{f} WHERE {isnull}{more}{l}", {
          cols: columnsOf("b"),
          tb: tableName("b"),
          ta: tableName("a"),
          on: fkEquality("fk", "a", "b"),
          f: onFilter(predicates, "a"),
          isnull: childMissing,
          more: predicates.and("b", "b", 0.3),
          l: limit,
        }),
      ],
      // Children whose parent is missing or filtered out in ON.
      [
        2,
        template("SELECT {cols} FROM {ta} AS a LEFT JOIN {tb} AS b ON {on} AND {p} WHERE {isnull}{l}", {
          cols: columnsOf("a"),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkEquality("fk", "a", "b"),
          p: predicates.on("b", "b"),
          isnull: parentMissing,
          l: limit,
        }),
      ],
      // The same anti join written from the other side.
      [
        2,
        template("SELECT {cols} FROM {ta} AS a RIGHT JOIN {tb} AS b ON {on}{f} WHERE {isnull}{l}", {
          cols: columnsOf("b"),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkEquality("fk", "a", "b"),
          f: onFilter(predicates, "a"),
          isnull: childMissing,
          l: limit,
        }),
      ],
      // Both sides' orphans at once.
      [
        1,
        template("SELECT {cols} FROM {ta} AS a FULL JOIN {tb} AS b ON {on} WHERE {n1} OR {n2}{l}", {
          cols: selectList(["a", "b"]),
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkEquality("fk", "a", "b"),
          n1: childMissing,
          n2: parentMissing,
          l: limit,
        }),
      ],
    ),
    ref("same_class"),
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// One filter, placed in ON or in WHERE: the results differ for outer joins.

g.rule(
  "on_versus_where",
  childAndParent(
    choice(
      childLeftJoinParent(" AND {p}{l}", { p: predicates.on("b", "b"), l: limit }),
      childLeftJoinParent(" WHERE {p}{l}", { p: predicates.on("b", "b"), l: limit }),
      childLeftJoinParent(" AND {p}{l}", { p: predicates.on("a", "a"), l: limit }),
      template("SELECT {cols} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on} WHERE {p} OR {isnull}{l}", {
        cols: selectList(["b", "a"]),
        tb: tableName("b"),
        ta: tableName("a"),
        on: fkEquality("fk", "a", "b"),
        p: predicates.on("a", "a"),
        isnull: childMissing,
        l: limit,
      }),
      // COALESCE in WHERE: a NULL-extended row compares as the default.
      withColumn(
        "cw",
        "b",
        { type: ["integer", "numeric", "text", "date", "timestamp"] },
        childLeftJoinParent(" WHERE COALESCE(b.{c}, {v}) {op} {v2}{l}", {
          c: columnName("cw"),
          v: nonNullLiteral("cw"),
          op: pool(["=", "<>", "<", ">="]),
          v2: nonNullLiteral("cw"),
          l: limit,
        }),
        childLeftJoinParent(" WHERE {p}{l}", { p: predicates.on("a", "a"), l: limit }),
      ),
    ),
    ref("same_class"),
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// FULL JOIN on keys, with the keys merged by COALESCE.

g.rule(
  "full_keys",
  childAndParent(
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
      on: fkEquality("fk", "a", "b"),
      w: whereOf(predicates, ["a", "b"], [childMissing, parentMissing]),
      o: maybe(" ORDER BY 1", 0.5),
      l: limit,
    }),
    ref("same_class"),
  ),
);

// ---------------------------------------------------------------------------
// Outer joins under GROUP BY: counting partners, zero included.

/** True for a row with a child partner: its foreign-key columns are all set (no ctid: YugabyteDB lacks it). */
const matched = fkColumnsAre("fk", "a", "c", "NOT NULL");

g.rule(
  "grouped",
  childAndParent(
    choice(
      template(
        "SELECT {pk}, count(*) FILTER (WHERE {ck}) AS children{agg} FROM {tb} AS b LEFT JOIN {ta} AS a ON {on}{f} " +
          "GROUP BY {pk2}{having} ORDER BY children DESC{l}",
        {
          pk: fkParentColumns("fk", "b"),
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
          on: fkEquality("fk", "a", "b"),
          f: onFilter(predicates, "a"),
          pk2: fkParentColumns("fk", "b"),
          having: maybe(
            template(" HAVING count(*) FILTER (WHERE {ck}) {op} {n}", {
              ck: matched,
              op: pool(["=", ">", "<="]),
              n: number(0, 2),
            }),
            0.4,
          ),
          l: limit,
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
            on: fkEquality("fk", "a", "b"),
            g2: columnName("gg"),
            l: limit,
          },
        ),
        template("SELECT count(*) FROM {ta} AS a LEFT JOIN {tb} AS b ON {on}", {
          ta: tableName("a"),
          tb: tableName("b"),
          on: fkEquality("fk", "a", "b"),
        }),
      ),
    ),
    ref("same_class"),
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
      withJoinableColumn(ref("same_class_body"), ref("fallback")),
    ),
  ),
);

g.rule(
  "same_class_body",
  withSameClass(
    JOINABLE,
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
            on: fkEquality("fk", "a", "b"),
          }),
          "",
        ),
        0.3,
      ),
      w: maybe(template(" WHERE {p}", { p: choice(predicates.on("a", "a"), predicates.on("e", "e")) }), 0.5),
      l: maybeLimit(100, 0.8),
    }),
    ref("fallback"),
    { uniqueFirst: true },
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
        w: predicates.where("a", "a", 0.5),
        l: maybeLimit(100, 0.9),
      }),
      template("SELECT count(*) FROM {ta} AS a", { ta: tableName("a") }),
    ),
  ),
);

export default g;
