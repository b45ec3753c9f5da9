/**
 * SELECTs with window functions over the table in slot `a`: ranking,
 * offsets and running aggregates over partitions, with `ROWS`, `GROUPS` and
 * typed `RANGE` frames, named windows, top rows per partition, and windows
 * over grouped rows.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { predicateRules } from "./predicates.ts";
 * import { windowFunction, windowQuery } from "./window_queries.ts";
 * const g = grammar("windows");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("window_function", windowFunction).rule("window_query", windowQuery(predicates));
 * ```
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  type Element,
  maybe,
  number,
  pool,
  ref,
  repeat,
  tableName,
  template,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { castLiteral, columnList } from "./columns.ts";
import { pagedLimit } from "./limits.ts";
import { orderByColumns } from "./ordering.ts";
import type { Predicates } from "./predicates.ts";

/** A frame clause fitting the ORDER BY column bound to `wo` (RANGE offsets are typed). */
const frame: Element = choice(
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

/** `body` with a partitioning column of "a" in slot `wp` and an ordering one in `wo`; else `orElse`. */
const withWindowColumns = (body: Element, orElse?: Element): Element =>
  withColumn(
    "wp",
    "a",
    { comparable: true },
    withColumn("wo", "a", { comparable: true }, body, orElse),
    orElse,
  );

/** `(PARTITION BY … ORDER BY … frame)`; binds `wp` and `wo` and reads them at once. */
const windowSpec = (ordered: boolean): Element =>
  withWindowColumns(
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
  );

/** A window function call (rule `window_function`) over a window on the table in "a". */
export const windowFunction: Element = choice(
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
            d: maybe(template(", {v}", { v: castLiteral("wv") }), 0.5),
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
);

/** Window functions (rule `window_function`) in a SELECT list, top rows per partition, a named window, or windows over groups. */
export const windowQuery = (predicates: Predicates): Element =>
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
            w: predicates.where("a", "a", 0.5),
            o: maybe(orderByColumns("a", "a"), 0.5),
            l: pagedLimit(0.7),
          }),
        ],
        // Top rows per partition: the window's result filtered outside.
        [
          2,
          withWindowColumns(
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
                w: predicates.where("a", "a", 0.4),
                n: number(1, 3),
                l: pagedLimit(0.4),
              },
            ),
          ),
        ],
        // A named window shared by several functions.
        [
          2,
          withWindowColumns(
            template(
              "SELECT {cols}, row_number() OVER win, {f}() OVER win, count(*) OVER (win ROWS BETWEEN 1 PRECEDING " +
                "AND 1 FOLLOWING) FROM {t} AS a{w} WINDOW win AS (PARTITION BY a.{p} ORDER BY a.{o}){l}",
              {
                cols: columnList("sel", "a"),
                f: pool(["rank", "dense_rank", "percent_rank", "cume_dist"]),
                t: tableName("a"),
                w: predicates.where("a", "a", 0.4),
                p: columnName("wp"),
                o: columnName("wo"),
                l: pagedLimit(0.6),
              },
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
                w: predicates.where("a", "a", 0.4),
                g3: columnName("grp"),
                g4: columnName("grp"),
                l: pagedLimit(0.5),
              },
            ),
          ),
        ],
      ),
    ),
  );
