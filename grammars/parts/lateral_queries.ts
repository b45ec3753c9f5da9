/**
 * SELECTs with `LATERAL` subqueries and set-returning functions over the
 * table in slot `a` and, where a foreign key relates them, the table it
 * references in slot `b`: the newest children of every parent, per-parent
 * aggregates, values unpivoted with a lateral VALUES list, and rows
 * repeated by `generate_series`.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { lateralQuery, lateralSeries } from "./lateral_queries.ts";
 * import { predicateRules } from "./predicates.ts";
 * const g = grammar("lateral");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("lateral_query", lateralQuery(predicates)).rule("lateral_series", lateralSeries(predicates));
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  number,
  ref,
  tableName,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { aggregateOf } from "./aggregates.ts";
import { columnList } from "./columns.ts";
import { childAndParent, fkEquality } from "./foreign_keys.ts";
import { pagedLimit } from "./limits.ts";
import { orderByColumns } from "./ordering.ts";
import type { Predicates } from "./predicates.ts";

/** `sub` joined laterally as `l`: CROSS JOIN, or an outer or inner join ON true. */
const lateralJoin = (sub: Element): Element =>
  choice(
    [2, template("CROSS JOIN LATERAL {s} AS l", { s: sub })],
    [2, template("LEFT JOIN LATERAL {s} AS l ON true", { s: sub })],
    [1, template("JOIN LATERAL {s} AS l ON true", { s: sub })],
  );

/** Children per parent, aggregates per parent, or values per row, joined laterally; else rule `lateral_series`. */
export const lateralQuery = (predicates: Predicates): Element =>
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
                  on: fkEquality("fk", "a", "b"),
                  wa: predicates.and("a", "a", 0.4),
                  o: orderByColumns("a", "a"),
                  k: number(1, 3),
                }),
              ),
              wb: predicates.where("b", "b", 0.4),
              l: pagedLimit(0.7),
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
              agg: aggregateOf("a", "a"),
              ta: tableName("a"),
              on: fkEquality("fk", "a", "b"),
              wb: predicates.where("b", "b", 0.3),
              l: pagedLimit(0.7),
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
              w: predicates.where("a", "a", 0.5),
              l: pagedLimit(0.7),
            },
          ),
          ref("lateral_series"),
        ),
      ),
    ],
  );

/** Every row of a table repeated by a lateral `generate_series`. */
export const lateralSeries = (predicates: Predicates): Element =>
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
          w: predicates.where("a", "a", 0.6),
          l: pagedLimit(0.8),
        },
      ),
    ),
  );
