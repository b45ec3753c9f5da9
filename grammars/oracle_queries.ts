/**
 * `oracle_queries`: the queries `quarry oracle` checks with TLP and NoREC.
 * Each is one SELECT over one table, or a child joined to its parent along a
 * foreign key, with one predicate the oracles partition: in WHERE for plain
 * rows, DISTINCT rows, aggregates (count, sum, min, max: the ones that
 * recombine over partitions) with or without GROUP BY, and in HAVING for
 * grouped ones. Predicates are typed: column conditions of
 * `parts/predicates.ts` and the boolean expression trees of
 * `parts/boolean_expressions.ts` over the scope's columns, so they fit
 * whatever schema the grammar is compiled against, including an introspected
 * one. No LIMIT or ORDER BY: the oracles compare multisets.
 *
 * Not in the built-in catalogue: it serves the oracle command only.
 *
 * @module
 */
import {
  choice,
  type Element,
  grammar,
  number,
  pool,
  ref,
  repeat,
  tableName,
  template,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";
import { booleanExpression } from "./parts/boolean_expressions.ts";
import { expressionScope } from "./parts/expression_scope.ts";
import { fkEquality } from "./parts/foreign_keys.ts";
import { floatExpression, integerExpression, numericExpression } from "./parts/number_expressions.ts";
import {
  dateExpression,
  intervalExpression,
  timeExpression,
  timestampExpression,
} from "./parts/temporal_expressions.ts";
import { textExpression } from "./parts/text_expressions.ts";
import {
  columnCondition,
  likePrefix,
  orderedCondition,
  plainTypeCases,
  predicateRules,
} from "./parts/predicates.ts";

const g = grammar("oracle_queries", {
  description:
    "One-predicate SELECTs (plain, DISTINCT, count/sum/min/max with or without GROUP BY, HAVING) " +
    "over a table or a foreign-key join, for the TLP and NoREC oracles.",
  start: "query",
  maxDepth: 7,
});

/** Conditions on one column, typed: comparisons, BETWEEN, IN, LIKE, NULL tests, under AND, OR and NOT. */
const conditions = predicateRules(
  g,
  (alias, table) =>
    columnCondition(alias, table, 8, (l) => [
      [{ type: "text" }, choice([4, orderedCondition(l, "sometimes", 3)], [1, likePrefix(l)])],
      [{ orderable: true }, orderedCondition(l, "sometimes", 3)],
      ...plainTypeCases(l),
    ]),
  { negation: true },
);

/** Registers the typed expression rules of a scope over the tables in `aliases`. */
function family(scope: string, aliases: readonly string[]): void {
  const s = expressionScope(scope, aliases);
  const { e } = s;
  g.rule(`${scope}_int`, integerExpression(s));
  g.rule(`${scope}_num`, numericExpression(s));
  g.rule(`${scope}_flt`, floatExpression(s));
  g.rule(`${scope}_txt`, textExpression(s));
  g.rule(`${scope}_bool`, booleanExpression(s));
  g.rule(`${scope}_ts`, timestampExpression(s));
  g.rule(`${scope}_date`, dateExpression(s));
  g.rule(`${scope}_ivl`, intervalExpression(s));
  g.rule(`${scope}_time`, timeExpression(s));
  g.rule(
    `${scope}_any`,
    choice([6, e("int")], [3, e("num")], [1, e("flt")], [5, e("txt")], [3, e("bool")], [2, e("date")], [
      1,
      e("ts"),
    ]),
  );
  /** Aggregates that recombine over disjoint partitions: count, sum, min, max. */
  g.rule(
    `${scope}_agg`,
    choice(
      [4, "count(*)"],
      [2, template("count({x})", { x: e("any") })],
      [3, template("sum({x})", { x: e("int") })],
      [2, template("sum({x})", { x: e("num") })],
      [1, template("sum({x})", { x: e("flt") })],
      [
        3,
        template("{f}({x})", {
          f: pool(["min", "max"]),
          x: choice([3, e("int")], [2, e("num")], [2, e("txt")], [1, e("date")], [1, e("ts")]),
        }),
      ],
    ),
  );
  g.rule(
    `${scope}_having`,
    choice(
      [3, template("count(*) {op} {n}", { op: pool([">", ">=", "<", "<>", "="]), n: number(0, 5) })],
      [2, template("sum({x}) {op} {n}", { x: e("int"), op: pool([">", "<", "<>"]), n: number(-100, 1000) })],
      [1, template("min({x}) < max({y})", { x: e("txt"), y: e("txt") })],
      [1, template("bool_or({b})", { b: e("bool") })],
      [1, template("count(DISTINCT {x}) > {n}", { x: e("int"), n: number(0, 3) })],
    ),
  );
}

g.defer(() => {
  family("s", ["t"]);
  family("j", ["t", "p"]);

  /** The predicate: column conditions on a table of the scope, or a boolean expression tree. */
  const predicate = (scope: string, aliases: readonly string[]) =>
    choice(
      [5, choice(...aliases.map((a) => conditions.on(a, a)))],
      [3, ref(`${scope}_bool`)],
    );

  /** The FROM clause and scope: one table, or a child joined to its parent. */
  function fromClauses(body: (scope: string, aliases: readonly string[], from: Element) => Element): Element {
    const single = withTable("t", body("s", ["t"], template("{t} AS t", { t: tableName("t") })));
    const joined = withTable(
      "t",
      withForeignKey(
        "fk",
        "t",
        "p",
        body(
          "j",
          ["t", "p"],
          template("{t} AS t {jt} {p} AS p ON {on}", {
            t: tableName("t"),
            jt: choice([4, "JOIN"], [1, "LEFT JOIN"]),
            p: tableName("p"),
            on: fkEquality("fk", "t", "p"),
          }),
        ),
      ),
      { hasForeignKey: true },
      single,
    );
    return choice([3, single], [2, joined]);
  }

  g.rule(
    "query",
    fromClauses((scope, aliases, from) => {
      const where = template(" WHERE {p}", { p: predicate(scope, aliases) });
      const items = repeat(ref(`${scope}_any`), 1, 3, ", ");
      return choice(
        [8, template("SELECT {items} FROM {from}{w}", { items, from, w: where })],
        [2, template("SELECT * FROM {from}{w}", { from, w: where })],
        [4, template("SELECT DISTINCT {items} FROM {from}{w}", { items, from, w: where })],
        [
          5,
          template("SELECT {aggs} FROM {from}{w}", {
            aggs: repeat(ref(`${scope}_agg`), 1, 3, ", "),
            from,
            w: where,
          }),
        ],
        [
          5,
          template("SELECT {k}, {aggs} FROM {from}{w} GROUP BY 1", {
            k: ref(`${scope}_any`),
            aggs: repeat(ref(`${scope}_agg`), 1, 2, ", "),
            from,
            w: where,
          }),
        ],
        [
          3,
          template("SELECT {k}, {aggs} FROM {from} GROUP BY 1 HAVING {h}", {
            k: ref(`${scope}_any`),
            aggs: repeat(ref(`${scope}_agg`), 1, 2, ", "),
            from,
            h: ref(`${scope}_having`),
          }),
        ],
      );
    }),
  );
});

export default g;
