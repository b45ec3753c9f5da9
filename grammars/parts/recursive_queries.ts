/**
 * `WITH RECURSIVE` queries that always terminate, over the table in slot
 * `a`: a counter up to a small bound, consecutive days or hours from a
 * column's minimum, a walk over a column's distinct values, and a walk from
 * a row along an integer pointer (a foreign key when there is one) with a
 * depth limit, sometimes with PostgreSQL 14's `SEARCH`/`CYCLE` clauses.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { keyWalkBody, recursiveQuery } from "./recursive_queries.ts";
 * const g = grammar("recursion");
 * g.rule("recursive_query", recursiveQuery).rule("key_walk_body", keyWalkBody);
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
import { columnList, nonNullLiteral } from "./columns.ts";
import { pagedLimit } from "./limits.ts";

/** A counter 1..k joined to a table on an integer column, or alone. */
const counter: Element = withTable(
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
const valueWalk: Element = withTable(
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
const keyWalk: Element = withTable(
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

/** The body of a key walk (rule `key_walk_body`): the table in "a", its key in "wk" and pointer in "wf". */
export const keyWalkBody: Element = withColumns(
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
      start: nonNullLiteral("wk"),
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
      l: pagedLimit(0.5),
    },
  ),
);

/** Consecutive days from a date column's minimum, with rows counted per day. */
const dayWalk: Element = withTable(
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

/** One of the recursive queries; a key walk expands rule `key_walk_body`. */
export const recursiveQuery: Element = choice([3, counter], [3, valueWalk], [4, keyWalk], [2, dayWalk]);
