/**
 * SELECTs filtered or extended by subqueries, correlated and uncorrelated:
 * `IN`, `NOT IN`, `EXISTS`, `NOT EXISTS`, `= ANY`, `ALL`, and scalar
 * subqueries whose cardinality an aggregate, `LIMIT 1` or a foreign key
 * keeps to one row. Tables: `a` (with a foreign key where a pattern needs
 * one), `b` the table it references, `a2` a second alias of `a`.
 *
 * @example The rule of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { predicateRules } from "./predicates.ts";
 * import { subqueryQuery } from "./subquery_filters.ts";
 * const g = grammar("subqueries");
 * g.rule("subquery_query", subqueryQuery(predicateRules(g, () => "true")));
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
  repeat,
  tableName,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { castLiteral, columnList, nonNullLiteral } from "./columns.ts";
import { childAndParent, fkChildColumns, fkColumnsAre, fkEquality, fkParentColumns } from "./foreign_keys.ts";
import { pagedLimit } from "./limits.ts";
import { orderByColumns } from "./ordering.ts";
import type { Predicates } from "./predicates.ts";

/** Parent rows filtered by their children. */
const parentFiltered = (predicates: Predicates): Element =>
  withColumns(
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
            on: fkEquality("fk", "a", "b"),
            wa: predicates.and("a", "a", 0.6),
          }),
        ],
        [
          3,
          template("NOT EXISTS (SELECT 1 FROM {ta} AS a WHERE {on}{wa})", {
            ta: tableName("a"),
            on: fkEquality("fk", "a", "b"),
            wa: predicates.and("a", "a", 0.5),
          }),
        ],
        [
          2,
          template("({pk}) IN (SELECT {ck} FROM {ta} AS a{wa})", {
            pk: fkParentColumns("fk", "b"),
            ck: fkChildColumns("fk", "a"),
            ta: tableName("a"),
            wa: predicates.where("a", "a", 0.6),
          }),
        ],
        [
          1,
          template("({pk}) NOT IN (SELECT {ck} FROM {ta} AS a WHERE {nn}{wa})", {
            pk: fkParentColumns("fk", "b"),
            ck: fkChildColumns("fk", "a"),
            ta: tableName("a"),
            nn: fkColumnsAre("fk", "a", "c", "NOT NULL"),
            wa: predicates.and("a", "a", 0.5),
          }),
        ],
        [
          2,
          template("(SELECT count(*) FROM {ta} AS a WHERE {on}) {op} {n}", {
            ta: tableName("a"),
            on: fkEquality("fk", "a", "b"),
            op: pool([">", ">=", "=", "<"]),
            n: number(0, 3),
          }),
        ],
      ),
      wb: predicates.and("b", "b", 0.4),
      o: maybe(orderByColumns("b", "b"), 0.4),
      l: pagedLimit(0.7),
    }),
  );

/** Child rows filtered through their parent, or carrying a parent's value. */
const childFiltered = (predicates: Predicates): Element =>
  withColumns(
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
            ck: fkChildColumns("fk", "a"),
            op: pool(["IN", "= ANY", "NOT IN"]),
            pk: fkParentColumns("fk", "b"),
            tb: tableName("b"),
            pb: predicates.on("b", "b"),
            wa: predicates.and("a", "a", 0.3),
            l: pagedLimit(0.7),
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
              on: fkEquality("fk", "a", "b"),
              ta: tableName("a"),
              wa: predicates.where("a", "a", 0.5),
              l: pagedLimit(0.7),
            },
          ),
        ),
      ],
    ),
  );

/** Comparisons of a column with the same column elsewhere in its table. */
const selfCompared = (predicates: Predicates): Element =>
  withTable(
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
                p: predicates.on("a2", "a"),
                l: pagedLimit(0.7),
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
                  p: predicates.on("a2", "a"),
                }),
                template("a2.{v} FROM {ta} AS a2 WHERE a2.{v2} IS NOT NULL ORDER BY a2.{v3} {d} LIMIT 1", {
                  v: columnName("sv"),
                  ta: tableName("a"),
                  v2: columnName("sv"),
                  v3: columnName("sv"),
                  d: pool(["ASC", "DESC"]),
                }),
              ),
              l: pagedLimit(0.7),
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
                  l: pagedLimit(0.7),
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
              vs: repeat(nonNullLiteral("sv"), 1, 5, ", "),
              l: pagedLimit(0.7),
            }),
          ],
          [
            1,
            template("SELECT {ca} FROM {ta} AS a WHERE a.{v} = ANY (ARRAY[{vs}]){l}", {
              ca: columnList("sel", "a"),
              ta: tableName("a"),
              v: columnName("sv"),
              vs: repeat(castLiteral("sv"), 1, 4, ", "),
              l: pagedLimit(0.7),
            }),
          ],
        ),
        template("SELECT {ca} FROM {ta} AS a WHERE EXISTS (SELECT 1 FROM {ta2} AS a2 WHERE {p}){l}", {
          ca: columnList("sel", "a"),
          ta: tableName("a"),
          ta2: tableName("a"),
          p: predicates.on("a2", "a"),
          l: pagedLimit(0.7),
        }),
      ),
    ),
  );

/** Numeric columns against a correlated or uncorrelated average. */
const versusAverage = (predicates: Predicates, selfCompared: Element): Element =>
  withTable(
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
            w: predicates.where("a", "a", 0.5),
            l: pagedLimit(0.7),
          },
        ),
      ),
      selfCompared,
    ),
  );

/** Groups whose size passes a threshold computed by a subquery. */
const havingSubquery = (versusAverage: Element): Element =>
  childAndParent(
    template(
      "SELECT {ck}, count(*) AS n FROM {ta} AS a GROUP BY {ck2} HAVING count(*) >= (SELECT count(*) FROM {ta2} AS a2) / " +
        "NULLIF((SELECT count(*) FROM {tb} AS b), 0) ORDER BY n DESC{l}",
      {
        ck: fkChildColumns("fk", "a"),
        ta: tableName("a"),
        ck2: fkChildColumns("fk", "a"),
        ta2: tableName("a"),
        tb: tableName("b"),
        l: pagedLimit(0.7),
      },
    ),
    versusAverage,
  );

/** Parents filtered by children, children by parents, a column against its own table, or groups by size. */
export function subqueryQuery(predicates: Predicates): Element {
  const selfComparedRows = selfCompared(predicates);
  const versusAverageRows = versusAverage(predicates, selfComparedRows);
  return choice(
    [5, childAndParent(parentFiltered(predicates), selfComparedRows)],
    [4, childAndParent(childFiltered(predicates), selfComparedRows)],
    [5, selfComparedRows],
    [2, versusAverageRows],
    [2, havingSubquery(versusAverageRows)],
  );
}
