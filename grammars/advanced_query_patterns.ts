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
 *   aggregate, `LIMIT 1` or a foreign key;
 * - conditions drawn from the server's catalog of functions, operators and
 *   casts (`parts/catalog_expressions.ts`).
 *
 * Table slots: `a` is a table (with a foreign key when a pattern needs one)
 * and `b` the table it references. Column slots are read right after they
 * are bound, so nested picks never disturb an outer one.
 *
 * Each family of queries is built in its own module under `parts/`; this
 * file weighs them and says how a condition tests a column.
 *
 * @module
 */
import { choice, type Element, grammar, number, pool, ref, template } from "../core/dsl/grammar.ts";
import { catalogExpressions, portableCatalog, scopeLeaves } from "./parts/catalog_expressions.ts";
import { nonNullLiteral } from "./parts/columns.ts";
import { cteChain, cteQuery } from "./parts/common_table_expressions.ts";
import { lateralQuery, lateralSeries } from "./parts/lateral_queries.ts";
import {
  columnCondition,
  compared,
  CONDITION_COLUMN,
  EQUALITY_OPERATORS,
  hasJsonKey,
  likePrefix,
  longerThan,
  orderedCondition,
  predicateRules,
} from "./parts/predicates.ts";
import { keyWalkBody, recursiveQuery } from "./parts/recursive_queries.ts";
import { setOperationQuery, typedSetOperation } from "./parts/set_operation_queries.ts";
import { subqueryQuery } from "./parts/subquery_filters.ts";
import { windowFunction, windowQuery } from "./parts/window_queries.ts";

const g = grammar("advanced_query_patterns", {
  description: "Read-only SELECTs with CTEs (several, chained, and terminating WITH RECURSIVE ones), " +
    "window functions with frames, LATERAL, set operations, and correlated, scalar, IN/EXISTS/ANY/ALL " +
    "subqueries.",
  start: "query",
  maxDepth: 10,
});

// Built on first use (Grammar.defer): the catalog part's rules are costly and most runs never need them.
g.defer(() => {
  /** The server's own functions, operators and casts (configs/catalog/), for tables seen under their slot's name. */
  const catalogConditions = new Map<string, Element>();
  function catalogCondition(slot: string): Element {
    let condition = catalogConditions.get(slot);
    if (condition === undefined) {
      const c = catalogExpressions(portableCatalog(), {
        prefix: `${slot}_c`,
        leaves: scopeLeaves([slot]),
        enumAliases: [slot],
      });
      for (const [name, rule] of c.rules) g.rule(name, rule);
      catalogConditions.set(slot, condition = c.e("bool")!);
    }
    return condition;
  }

  /** One typed test of a column of `table` seen as `alias`, or a catalog condition when the alias is the slot. */
  function condition(alias: string, table: string): Element {
    const typed = typedCondition(alias, table);
    return alias === table ? choice([3, typed], [2, catalogCondition(table)]) : typed;
  }

  /** One typed test of a column of `table` seen as `alias`. */
  function typedCondition(alias: string, table: string): Element {
    return columnCondition(alias, table, 10, (l) => {
      const v = nonNullLiteral(CONDITION_COLUMN);
      const ordered = orderedCondition(l, "sometimes", 4);
      return [
        [{ type: "integer" }, choice([8, ordered], [1, template("{l} % {m} = 0", { l, m: number(2, 7) })])],
        [{ type: "number" }, choice([8, ordered], [1, template("abs({l}) > {v}", { l, v })])],
        [
          { type: "text" },
          choice(
            [5, ordered],
            [2, likePrefix(l)],
            [1, template("lower({l}) <> upper({l})", { l })],
            [1, longerThan(l, 20)],
          ),
        ],
        [
          { type: "bool" },
          template("{l} IS {t}", { l, t: pool(["TRUE", "FALSE", "NOT TRUE", "NOT FALSE"]) }),
        ],
        [{ type: ["date", "timestamp", "time", "interval", "enum", "inet"] }, ordered],
        [{ type: "uuid" }, compared(l, EQUALITY_OPERATORS)],
        [
          { type: "json" },
          choice(
            template("{l} @> {v}", { l, v }),
            template("jsonb_typeof({l}) = 'object'", { l }),
            hasJsonKey(l),
          ),
        ],
        [{ type: "bytea" }, longerThan(l, 16)],
        [{ comparable: true }, compared(l, EQUALITY_OPERATORS)],
      ];
    });
  }

  /** Rules `pred_<alias>_<table>`: a condition, two joined by AND/OR, or one under NOT. */
  const predicates = predicateRules(g, condition, { negation: true });

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

  g.rule("cte_query", cteQuery(predicates));
  g.rule("cte_chain", cteChain(predicates));
  g.rule("key_walk_body", keyWalkBody);
  g.rule("recursive_query", recursiveQuery);
  g.rule("window_function", windowFunction);
  g.rule("window_query", windowQuery(predicates));
  g.rule("lateral_query", lateralQuery(predicates));
  g.rule("lateral_series", lateralSeries(predicates));
  g.rule("setop_query", setOperationQuery(predicates));
  g.rule("setop_typed", typedSetOperation(predicates));
  g.rule("subquery_query", subqueryQuery(predicates));
});

export default g;
