/**
 * Derived tables (subqueries in FROM) and aggregates over subqueries, in
 * forms that exercise how a planner pulls subqueries up or keeps them
 * apart: fenced by `LIMIT` or `OFFSET 0`, windowed, `UNION ALL`ed, nested,
 * grouped and joined to tables or to each other. Tables: `a` (with a
 * foreign key `fk` where a form needs one) and `b` the table it references.
 * Everything here runs on PostgreSQL 11.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { aggregateOverSubqueries, derivedOverOneTable, derivedQuery } from "./derived_tables.ts";
 * import { predicateRules } from "./predicates.ts";
 * const g = grammar("derived");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("derived_single", derivedOverOneTable(predicates));
 * g.rule("derived", derivedQuery(predicates));
 * g.rule("aggregate_over", aggregateOverSubqueries(predicates, "SELECT 1"));
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  maybe,
  number,
  pool,
  ref,
  tableName,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { columnList, withSomeColumns } from "./columns.ts";
import { childAndParent, fkChildColumns, fkEquality } from "./foreign_keys.ts";
import { limitClause, maybeLimit } from "./limits.ts";
import type { Predicates } from "./predicates.ts";

const limit = maybeLimit(100, 0.6);

/** Derived tables over one table (rule `derived_single`): fenced, windowed, unioned, nested. */
export const derivedOverOneTable = (predicates: Predicates): Element =>
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
            w: predicates.where("a", "a", 0.6),
            fence: choice([3, ""], [1, " OFFSET 0"], [1, limitClause(40)]),
            l: limit,
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
                w1: predicates.where("a", "a", 0.6),
                g2: columnName("dg"),
                ta2: tableName("a"),
                w2: predicates.where("a", "a", 0.6),
                l: limit,
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
                  l: limit,
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
              w: predicates.where("a", "a", 0.6),
              l1: maybe(limitClause(60), 0.4),
              l: limit,
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
              w: predicates.where("a", "a", 0.6),
            }),
          ),
        ],
      ),
    ),
  );

/** Derived tables over one table, or grouped ones joined to their parent table or to each other. */
export const derivedQuery = (predicates: Predicates): Element =>
  choice(
    [3, ref("derived_single")],
    [
      4,
      childAndParent(
        choice(
          // A grouped derived table joined to the parent table.
          withSomeColumns("b", "b", (cols) =>
            template(
              "SELECT {cols}, d.n FROM {tb} AS b {jt} (SELECT {ck}, count(*) AS n FROM {ta} AS a{w} GROUP BY {ck2}) AS d ON {on}{l}",
              {
                cols,
                tb: tableName("b"),
                jt: pool(["JOIN", "LEFT JOIN"]),
                ck: fkChildColumns("fk", "a"),
                ta: tableName("a"),
                w: predicates.where("a", "a", 0.5),
                ck2: fkChildColumns("fk", "a"),
                on: fkEquality("fk", "d", "b"),
                l: limit,
              },
            )),
          // Two derived tables joined to each other.
          withSomeColumns("b", "pb", (cols) =>
            template(
              "SELECT {cols}, ca.n FROM (SELECT * FROM {tb} AS b{wb}) AS pb JOIN (SELECT {ck}, count(*) AS n " +
                "FROM {ta} AS a{wa} GROUP BY {ck2}) AS ca ON {on}{l}",
              {
                cols,
                tb: tableName("b"),
                wb: predicates.where("b", "b", 0.6),
                ck: fkChildColumns("fk", "a"),
                ta: tableName("a"),
                wa: predicates.where("a", "a", 0.5),
                ck2: fkChildColumns("fk", "a"),
                on: fkEquality("fk", "ca", "pb"),
                l: limit,
              },
            )),
        ),
        ref("derived_single"),
        ref("derived_single"),
      ),
    ],
  );

/**
 * Aggregates over derived tables and scalar subqueries, and HAVING against a
 * subquery; without foreign keys, distinct rows counted. `noKey` is the
 * foreign-key pick's own fallback.
 */
export const aggregateOverSubqueries = (predicates: Predicates, noKey: Element): Element =>
  childAndParent(
    choice(
      [
        3,
        template(
          "SELECT max(d.n), min(d.n), avg(d.n), count(*) FROM (SELECT {ck}, count(*) AS n FROM {ta} AS a{w} GROUP BY {ck2}) AS d",
          {
            ck: fkChildColumns("fk", "a"),
            ta: tableName("a"),
            w: predicates.where("a", "a", 0.5),
            ck2: fkChildColumns("fk", "a"),
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
              on: fkEquality("fk", "a", "b"),
              tb: tableName("b"),
              g2: columnName("ag"),
              l: limit,
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
            ck: fkChildColumns("fk", "a"),
            ta: tableName("a"),
            ck2: fkChildColumns("fk", "a"),
            ta2: tableName("a"),
            ck3: fkChildColumns("fk", "a2"),
            l: limit,
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
            ck: fkChildColumns("fk", "a"),
            ta: tableName("a"),
          }),
        ),
      ],
      [
        2,
        template(
          "SELECT count(*) AS parents, sum(d.n) AS children, count(*) FILTER (WHERE d.n = 0) AS childless FROM " +
            "(SELECT (SELECT count(*) FROM {ta} AS a WHERE {on}) AS n FROM {tb} AS b{w}) AS d",
          {
            ta: tableName("a"),
            on: fkEquality("fk", "a", "b"),
            tb: tableName("b"),
            w: predicates.where("b", "b", 0.4),
          },
        ),
      ],
    ),
    withTable(
      "a",
      template("SELECT count(*), count(DISTINCT d.k) FROM (SELECT a.*, 1 AS k FROM {ta} AS a{w}) AS d", {
        ta: tableName("a"),
        w: predicates.where("a", "a", 0.6),
      }),
    ),
    noKey,
  );
