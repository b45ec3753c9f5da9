/**
 * SELECTs built on common table expressions (one, several, chained, or
 * referenced twice) over the table in slot `a` and, where a foreign key
 * relates them, the table it references in slot `b`; now and then with
 * PostgreSQL 12's `[NOT] MATERIALIZED` hint.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { cteChain, cteQuery } from "./common_table_expressions.ts";
 * import { predicateRules } from "./predicates.ts";
 * const g = grammar("ctes");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("cte_query", cteQuery(predicates)).rule("cte_chain", cteChain(predicates));
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
import { aggregateOf } from "./aggregates.ts";
import { columnList } from "./columns.ts";
import { childAndParent, fkChildColumns, fkEquality } from "./foreign_keys.ts";
import { pagedLimit } from "./limits.ts";
import { orderByColumns } from "./ordering.ts";
import type { Predicates } from "./predicates.ts";

const materialized = maybe(pool(["MATERIALIZED ", "NOT MATERIALIZED "]), 0.15);

/**
 * One CTE filtering a table, an aggregating CTE, a child and its parent CTE
 * joined through the foreign key, children counted per parent, or (rule
 * `cte_chain`) CTEs built on one another.
 */
export const cteQuery = (predicates: Predicates): Element =>
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
            w1: predicates.where("a", "a", 0.8),
            cols: columnList("sel", "w"),
            w2: predicates.where("w", "a", 0.5),
            o: maybe(orderByColumns("w", "a"), 0.5),
            l: pagedLimit(0.7),
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
              agg: aggregateOf("a", "a"),
              t: tableName("a"),
              w1: predicates.where("a", "a", 0.5),
              op: pool([">", ">=", "<"]),
              k: number(0, 3),
              l: pagedLimit(0.5),
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
                wa: predicates.where("a", "a", 0.6),
                tb: tableName("b"),
                wb: predicates.where("b", "b", 0.6),
                ca: columnList("sel", "child"),
                cb: columnList("selb", "parent"),
                jt: choice([4, "JOIN"], [2, "LEFT JOIN"], [1, "RIGHT JOIN"]),
                on: fkEquality("fk", "child", "parent"),
                o: maybe(orderByColumns("parent", "b"), 0.4),
                l: pagedLimit(0.7),
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
              cc: fkChildColumns("fk", "a"),
              ta: tableName("a"),
              wa: predicates.where("a", "a", 0.5),
              cc2: fkChildColumns("fk", "a"),
              cb: columnList("selb", "b"),
              tb: tableName("b"),
              on: fkEquality("fk", "counts", "b"),
              l: pagedLimit(0.7),
            },
          ),
        ),
        ref("cte_chain"),
      ),
    ],
  );

/** A CTE built on another, and one referenced twice. */
export const cteChain = (predicates: Predicates): Element =>
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
            wa: predicates.where("a", "a", 0.6),
            w1: predicates.where("w1", "a", 0.6),
            cols: columnList("sel", "w2"),
            o: maybe(orderByColumns("w2", "a"), 0.5),
            l: pagedLimit(0.7),
          },
        ),
        template(
          "WITH w AS (SELECT * FROM {t} AS a{wa}) SELECT {cols} FROM w WHERE {p} " +
            "UNION SELECT {cols2} FROM w WHERE {p2}{l}",
          {
            t: tableName("a"),
            wa: predicates.where("a", "a", 0.5),
            cols: columnList("sel", "w"),
            p: predicates.on("w", "a"),
            cols2: columnList("sel", "w"),
            p2: predicates.on("w", "a"),
            l: pagedLimit(0.5),
          },
        ),
        template(
          "WITH w AS (SELECT * FROM {t} AS a{wa}) SELECT (SELECT count(*) FROM w) AS total, " +
            "(SELECT count(*) FROM w WHERE {p}) AS matching",
          { t: tableName("a"), wa: predicates.where("a", "a", 0.5), p: predicates.on("w", "a") },
        ),
      ),
    ),
  );
