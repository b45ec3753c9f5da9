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
 * Nested subqueries and derived tables are built in their modules under
 * `parts/`; this file weighs them, says how a condition tests a column, and
 * holds the semi and anti joins and the SELECT-list subqueries.
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
  repeat,
  tableName,
  template,
  withColumn,
} from "../core/dsl/grammar.ts";
import { columnList, nonNullLiteral, withSomeColumns } from "./parts/columns.ts";
import { aggregateOverSubqueries, derivedOverOneTable, derivedQuery } from "./parts/derived_tables.ts";
import {
  childAndParent,
  fkChildColumns,
  fkChildKey,
  fkEquality,
  fkParentColumns,
  withForeignKeyChain,
} from "./parts/foreign_keys.ts";
import { withKeyColumns } from "./parts/keys.ts";
import { limitClause, maybeLimit } from "./parts/limits.ts";
import { chainNesting, typedNesting } from "./parts/nested_subqueries.ts";
import {
  columnCondition,
  CONDITION_COLUMN,
  likePrefix,
  orderedCondition,
  plainTypeCases,
  predicateRules,
} from "./parts/predicates.ts";

const g = grammar("optimizer_subquery_portable", {
  description: "Planner stress for subqueries, portable to PostgreSQL 11+ and YugabyteDB: semi/anti joins " +
    "as IN/EXISTS/NOT IN/NOT EXISTS, SELECT-list subqueries, derived tables, subqueries nested up to four " +
    "levels along foreign keys, and aggregates over subqueries.",
  start: "query",
  maxDepth: 10,
});

/** One typed test of a column of `table` seen as `alias`. */
function condition(alias: string, table: string): Element {
  return columnCondition(alias, table, 8, (l) => {
    const ordered = orderedCondition(l, "always", 4);
    return [
      [
        { type: "integer" },
        choice([6, ordered], [1, template("{l} % {m} = {r}", { l, m: number(2, 5), r: number(0, 1) })]),
      ],
      [{ type: ["numeric", "float", "date", "timestamp", "time", "interval", "enum", "inet"] }, ordered],
      [
        { type: "text" },
        choice(
          [5, ordered],
          [2, likePrefix(l)],
          [1, template("upper({l}) >= {v}", { l, v: nonNullLiteral(CONDITION_COLUMN) })],
        ),
      ],
      ...plainTypeCases(l),
    ];
  });
}

/** Rules `pred_<alias>_<table>`: a condition, or two joined by AND/OR. */
const predicates = predicateRules(g, condition);

const limit = maybeLimit(100, 0.6);

/** `a2.c = a.c AND …` over the child columns of `fk`: a row of `a2` with the same parent as `a`. */
const sameParent = eachForeignKeyPair(
  "fk",
  "fk_c",
  "fk_p",
  template("a2.{c} = a.{c2}", {
    c: columnName("fk_c"),
    c2: columnName("fk_c"),
  }),
);

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

g.rule(
  "nested",
  withForeignKeyChain(chainNesting(g, predicates), ref("typed_nesting"), { third: [3, 1], fourth: [3, 1] }),
);

// ---------------------------------------------------------------------------
// Semi and anti joins between a child (a) and its parent (b).

/** A subquery body over the child, in a form that may block its pull-up. */
const childKeysFenced = template("SELECT {distinct}{ck} FROM {ta} AS a{w}{fence}", {
  distinct: maybe("DISTINCT ", 0.3),
  ck: fkChildColumns("fk", "a"),
  ta: tableName("a"),
  w: predicates.where("a", "a", 0.6),
  fence: choice([4, ""], [1, " OFFSET 0"], [1, limitClause(50)]),
});

g.rule(
  "semi_anti",
  childAndParent(
    choice(
      // Parents with (or without) matching children.
      [
        5,
        withSomeColumns("b", "b", (cols) =>
          template("SELECT {cols} FROM {tb} AS b WHERE {cond}{more}{l}", {
            cols,
            tb: tableName("b"),
            cond: choice(
              [3, template("({pk}) IN ({sub})", { pk: fkParentColumns("fk", "b"), sub: childKeysFenced })],
              [
                2,
                template("({pk}) NOT IN ({sub})", { pk: fkParentColumns("fk", "b"), sub: childKeysFenced }),
              ],
              [
                3,
                template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
                  ta: tableName("a"),
                  on: fkEquality("fk", "a", "b"),
                  p: predicates.and("a", "a", 0.6),
                }),
              ],
              [
                3,
                template("NOT EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
                  ta: tableName("a"),
                  on: fkEquality("fk", "a", "b"),
                  p: predicates.and("a", "a", 0.5),
                }),
              ],
              // An OR beside the sublink keeps it from becoming a join.
              [
                2,
                template("(EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p}) OR {q})", {
                  ta: tableName("a"),
                  on: fkEquality("fk", "a", "b"),
                  p: predicates.and("a", "a", 0.6),
                  q: predicates.on("b", "b"),
                }),
              ],
              [
                1,
                template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on} OFFSET 0)", {
                  ta: tableName("a"),
                  on: fkEquality("fk", "a", "b"),
                }),
              ],
            ),
            more: predicates.and("b", "b", 0.3),
            l: limit,
          })),
      ],
      // Children whose parent passes a filter.
      [
        4,
        withSomeColumns(
          "a",
          "a",
          (cols) =>
            template(
              "SELECT {cols} FROM {ta} AS a WHERE {k} {op} (SELECT {pk} FROM {tb} AS b WHERE {p}{fence}){more}{l}",
              {
                cols,
                ta: tableName("a"),
                k: fkChildKey("fk", "a"),
                op: pool(["IN", "IN", "= ANY", "NOT IN"]),
                pk: fkParentColumns("fk", "b"),
                tb: tableName("b"),
                p: predicates.on("b", "b"),
                fence: choice([5, ""], [1, " OFFSET 0"], [1, limitClause(30)]),
                more: predicates.and("a", "a", 0.3),
                l: limit,
              },
            ),
        ),
      ],
      // Children having siblings (a correlated semi join of a table on itself).
      [
        2,
        withSomeColumns("a", "a", (cols) =>
          template(
            "SELECT {cols} FROM {ta} AS a WHERE {neg}EXISTS (SELECT 1 FROM {ta2} AS a2 WHERE {same}{other}){l}",
            {
              cols,
              ta: tableName("a"),
              neg: maybe("NOT ", 0.4),
              ta2: tableName("a"),
              same: sameParent,
              // Another row: its primary key differs (no ctid, which YugabyteDB lacks).
              other: withKeyColumns(
                "pk",
                "a",
                template(" AND ({k2}) <> ({k})", { k2: columnList("pk", "a2"), k: columnList("pk", "a") }),
                "",
              ),
              l: limit,
            },
          )),
      ],
      // A semi join against a grouped subquery.
      [
        2,
        withSomeColumns("b", "b", (cols) =>
          template(
            "SELECT {cols} FROM {tb} AS b WHERE ({pk}) IN (SELECT {ck} FROM {ta} AS a GROUP BY {ck2} HAVING count(*) {op} {n}){l}",
            {
              cols,
              tb: tableName("b"),
              pk: fkParentColumns("fk", "b"),
              ck: fkChildColumns("fk", "a"),
              ta: tableName("a"),
              ck2: fkChildColumns("fk", "a"),
              op: pool([">", ">=", "="]),
              n: number(1, 3),
              l: limit,
            },
          )),
      ],
    ),
    ref("typed_nesting"),
    ref("typed_nesting"),
  ),
);

// ---------------------------------------------------------------------------
// Subqueries in SELECT lists.

/** One scalar or EXISTS subquery about the children of parent row `b`. */
const aboutChildren = choice(
  [
    3,
    template("(SELECT count(*) FROM {ta} AS a WHERE {on}{p})", {
      ta: tableName("a"),
      on: fkEquality("fk", "a", "b"),
      p: predicates.and("a", "a", 0.4),
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
        on: fkEquality("fk", "a", "b"),
      }),
      "0",
    ),
  ],
  [
    2,
    template("EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{p})", {
      ta: tableName("a"),
      on: fkEquality("fk", "a", "b"),
      p: predicates.and("a", "a", 0.5),
    }),
  ],
  [
    1,
    template(
      "CASE WHEN EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}) THEN 'has children' ELSE 'childless' END",
      {
        ta: tableName("a"),
        on: fkEquality("fk", "a", "b"),
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
        on: fkEquality("fk", "a", "b"),
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
        on: fkEquality("fk", "a", "b"),
      }),
      "NULL",
    ),
  ],
  [
    2,
    template("(SELECT count(*) FROM {ta} AS a2 WHERE {same})", {
      ta: tableName("a"),
      same: sameParent,
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
  childAndParent(
    choice(
      withSomeColumns("b", "b", (cols) =>
        template("SELECT {cols}, {subs} FROM {tb} AS b{w}{l}", {
          cols,
          subs: repeat(aboutChildren, 1, 3, ", "),
          tb: tableName("b"),
          w: predicates.where("b", "b", 0.5),
          l: limit,
        })),
      withSomeColumns("a", "a", (cols) =>
        template("SELECT {cols}, {subs} FROM {ta} AS a{w}{l}", {
          cols,
          subs: repeat(aboutParent, 1, 2, ", "),
          ta: tableName("a"),
          w: predicates.where("a", "a", 0.5),
          l: limit,
        })),
    ),
    ref("derived_single"),
    ref("typed_nesting"),
  ),
);

g.rule("derived_single", derivedOverOneTable(predicates));
g.rule("derived", derivedQuery(predicates));
g.rule("aggregate_over", aggregateOverSubqueries(predicates, ref("typed_nesting")));
g.rule("typed_nesting", typedNesting(predicates, ref("derived_single")));

export default g;
