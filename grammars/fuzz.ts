/**
 * `fuzz`: deep, typed expression trees over the schema's columns, in the
 * spirit of SQLsmith but steered by weights and bounded by the grammar's
 * `maxDepth`.
 *
 * Every expression is produced for a result type, one rule per type:
 * `int`, `num` (numeric), `flt` (double precision), `txt`, `bool`, `ts`
 * (timestamp or timestamptz), `date`, `ivl` (interval) and `time`. A rule
 * either ends in a leaf (a column of that type class, a literal, a scalar
 * subquery) or applies an operator or function whose arguments come from
 * the rules of the types it takes, so every call exists for its arguments:
 * arithmetic, `CASE`, `COALESCE`, `NULLIF`, `GREATEST`/`LEAST`, casts,
 * string functions, comparisons, boolean connectives and date arithmetic.
 * Columns of other types enter through what they support (`::text`,
 * `->>`, `host()`, `length()`, `IS NULL`, `=` with a literal).
 *
 * The trees fill SELECT lists, WHERE, ORDER BY and GROUP BY (by ordinal)
 * of single-table queries and of joins along a foreign key. Runtime errors
 * are kept rare by construction: divisors go through `NULLIF(x, 0)`,
 * logarithms and roots take `abs(x) + 1` or `abs(x)`, multiplications of
 * integers use small constants, and day counts added to dates are reduced
 * modulo 1000 first.
 *
 * Table slots: `t` is the queried table, `p` the table it references in
 * joins, `s` the table of a scalar subquery. The leaf column slots are read
 * right after they are bound.
 *
 * The expressions of each type are built in modules under `parts/`
 * (`expression_scope.ts` and the `*_expressions.ts` beside it); this file
 * registers them per scope and builds the statements. Beside them, each
 * scope has the catalog's own functions, operators, casts and aggregates
 * (`parts/catalog_expressions.ts`), whose leaves include these rules: about
 * three in four `_any` draws and two in three conditions come from it.
 *
 * @module
 */
import {
  choice,
  type Element,
  grammar,
  maybe,
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
import { catalogExpressions, portableCatalog, scopeLeaves } from "./parts/catalog_expressions.ts";
import { expressionScope, TRUNCATION_UNITS } from "./parts/expression_scope.ts";
import { fkEquality } from "./parts/foreign_keys.ts";
import { maybeLimit } from "./parts/limits.ts";
import { floatExpression, integerExpression, numericExpression } from "./parts/number_expressions.ts";
import {
  dateExpression,
  intervalExpression,
  timeExpression,
  timestampExpression,
} from "./parts/temporal_expressions.ts";
import { textExpression } from "./parts/text_expressions.ts";

const g = grammar("fuzz", {
  description: "SQLsmith-like typed expression trees (arithmetic, CASE, COALESCE, NULLIF, casts, string, " +
    "date and boolean operators) over the schema's columns in SELECT lists, WHERE, ORDER BY and GROUP BY, " +
    "steered by weights and bounded by maxDepth.",
  start: "query",
  maxDepth: 9,
  maxStatementBytes: 262144,
});

/** Fuzz's own typed rules that feed the catalog's root types: root, fuzz type, SQL type. */
const FUZZ_ROOTS = [
  ["int8", "int", "bigint"],
  ["numeric", "num", "numeric"],
  ["float8", "flt", "double precision"],
  ["text", "txt", "text"],
  ["bool", "bool", "boolean"],
  ["timestamp", "ts", "timestamp"],
  ["date", "date", "date"],
  ["interval", "ivl", "interval"],
  ["time", "time", "time"],
] as const;

/**
 * Registers the expression rules of one scope: `<scope>_<type>` for every
 * type, then `<scope>_any`, `_agg`, `_sort_key` and `_having`, with leaves
 * taken from the tables in `aliases` (each alias is also its table slot).
 */
function family(scope: string, aliases: readonly string[]): void {
  const s = expressionScope(scope, aliases);
  const { e, column } = s;
  g.rule(`${scope}_int`, integerExpression(s));
  g.rule(`${scope}_num`, numericExpression(s));
  g.rule(`${scope}_flt`, floatExpression(s));
  g.rule(`${scope}_txt`, textExpression(s));
  // The server's own functions, operators and casts (configs/catalog/), with this scope's leaves and typed rules.
  const fromScope: Record<string, (readonly [number, Element])[]> = Object.fromEntries(
    Object.entries(scopeLeaves(aliases)).map(([root, leaves]) => [root, [...leaves]]),
  );
  for (const [root, t, sql] of FUZZ_ROOTS) {
    fromScope[root] = [...(fromScope[root] ?? []), [2, template(`CAST({x} AS ${sql})`, { x: e(t) })]];
  }
  const c = catalogExpressions(portableCatalog(), {
    prefix: `${scope}_c`,
    leaves: fromScope,
    enumAliases: aliases,
  });
  for (const [name, rule] of c.rules) g.rule(name, rule);
  g.rule(`${scope}_bool`, choice([1, booleanExpression(s)], [2, c.e("bool")!]));
  g.rule(`${scope}_ts`, timestampExpression(s));
  g.rule(`${scope}_date`, dateExpression(s));
  g.rule(`${scope}_ivl`, intervalExpression(s));
  g.rule(`${scope}_time`, timeExpression(s));

  g.rule(
    `${scope}_any`,
    choice(
      [6, e("int")],
      [3, e("num")],
      [2, e("flt")],
      [6, e("txt")],
      [4, e("bool")],
      [2, e("ts")],
      [2, e("date")],
      [1, e("ivl")],
      [1, e("time")],
      [80, c.comparable],
    ),
  );

  /** An aggregate over an expression, typed so the function exists for it. */
  g.rule(
    `${scope}_agg`,
    choice(
      [4, "count(*)"],
      [3, template("sum({x})", { x: e("int") })],
      [2, template("{f}({x})", { f: pool(["avg", "sum", "min", "max"]), x: e("num") })],
      [1, template("{f}({x})", { f: pool(["avg", "sum", "stddev", "variance"]), x: e("flt") })],
      [2, template("{f}({x})", { f: pool(["min", "max"]), x: e("txt") })],
      [1, template("string_agg({x}, ', ')", { x: e("txt") })],
      [1, template("{f}({x})", { f: pool(["bool_and", "bool_or", "every"]), x: e("bool") })],
      [1, template("{f}({x})", { f: pool(["min", "max"]), x: e("ts") })],
      [1, template("{f}({x})", { f: pool(["min", "max"]), x: e("date") })],
      [1, template("{f}({x})", { f: pool(["sum", "avg", "max"]), x: e("ivl") })],
      [2, template("count(DISTINCT {x})", { x: e("any") })],
      [1, template("count({x})", { x: e("any") })],
      [1, template("sum({x}) FILTER (WHERE {b})", { x: e("int"), b: e("bool") })],
      [6, c.aggregate],
    ),
  );

  /**
   * A sort key: a column or an operator over expressions, never a bare
   * constant (ORDER BY 5 means the fifth output column; ORDER BY 'x' fails).
   */
  g.rule(
    `${scope}_sort_key`,
    choice(
      [6, column({ comparable: true }, "CAST(NULL AS integer)")],
      [3, template("({x} + {y})", { x: e("int"), y: e("int") })],
      [1, template("({x} * {y})", { x: e("num"), y: e("int") })],
      [1, template("abs({x})", { x: e("flt") })],
      [3, template("({x} || {y})", { x: e("txt"), y: e("txt") })],
      [1, template("lower({x})", { x: e("txt") })],
      [1, template("({x} OR {y})", { x: e("bool"), y: e("bool") })],
      [1, template("date_trunc({u}, {x})", { u: pool(TRUNCATION_UNITS), x: e("ts") })],
      [1, template("({x} + ({n} % 1000)::integer)", { x: e("date"), n: e("int") })],
      [1, template("({x} + {y})", { x: e("ivl"), y: e("ivl") })],
      [1, template("({x} + {i})", { x: e("time"), i: e("ivl") })],
      [1, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e("int"), y: e("int") })],
    ),
  );

  /** A condition on aggregates, for HAVING. */
  g.rule(
    `${scope}_having`,
    choice(
      [3, template("count(*) {op} {n}", { op: pool([">", ">=", "<", "<>"]), n: number(0, 5) })],
      [2, template("sum({x}) {op} {n}", { x: e("int"), op: pool([">", "<", "<>"]), n: number(-100, 1000) })],
      [1, template("min({x}) < max({y})", { x: e("txt"), y: e("txt") })],
      [1, template("bool_or({b})", { b: e("bool") })],
      [1, template("count(DISTINCT {x}) > {n}", { x: e("int"), n: number(0, 3) })],
    ),
  );
}

// Built on first use (Grammar.defer): the catalog part's rules are costly and most runs never need them.
g.defer(() => {
  family("s", ["t"]);
  family("j", ["t", "p"]);

  // ---------------------------------------------------------------------------
  // Statements.

  /** 1–`max` expressions of `scope` joined by commas. */
  const items = (scope: string, max: number) => repeat(ref(`${scope}_any`), 1, max, ", ");

  const limit = maybeLimit(50, 0.8);

  /** ` ORDER BY` over expressions of `scope` (never a bare constant, which would be an ordinal). */
  const orderBy = (scope: string) =>
    template(" ORDER BY {o}", {
      o: repeat(
        template("{x}{d}{n}", {
          x: ref(`${scope}_sort_key`),
          d: pool(["", " ASC", " DESC"]),
          n: maybe(pool([" NULLS FIRST", " NULLS LAST"]), 0.2),
        }),
        1,
        2,
        ", ",
      ),
    });

  /** ` ORDER BY 1[, 2]` in a grouped or distinct query with `keys` leading columns. */
  const ordinals = (keys: number) =>
    keys === 1 ? " ORDER BY 1" : template(" ORDER BY 1{d}, 2", { d: pool(["", " DESC"]) });

  /** The FROM clause and the expression scope: one table, or a child joined to its parent. */
  function fromClauses(body: (scope: string, from: Element) => Element): Element {
    const single = withTable("t", body("s", template("{t} AS t", { t: tableName("t") })));
    const joined = withTable(
      "t",
      withForeignKey(
        "fk",
        "t",
        "p",
        body(
          "j",
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
    choice(
      [30, ref("plain")],
      [8, ref("distinct")],
      [20, ref("grouped")],
      [10, ref("filter_count")],
      [6, ref("derived")],
    ),
  );

  g.rule(
    "plain",
    fromClauses((scope, from) =>
      template("SELECT {items} FROM {from}{w}{o}{l}", {
        items: items(scope, 4),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.8),
        o: maybe(orderBy(scope), 0.5),
        l: limit,
      })
    ),
  );

  g.rule(
    "distinct",
    fromClauses((scope, from) =>
      choice(
        template("SELECT DISTINCT {x} FROM {from}{w}{o}{l}", {
          x: ref(`${scope}_any`),
          from,
          w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
          o: ordinals(1),
          l: limit,
        }),
        template("SELECT DISTINCT {x}, {y} FROM {from}{w}{o}{l}", {
          x: ref(`${scope}_any`),
          y: ref(`${scope}_any`),
          from,
          w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
          o: ordinals(2),
          l: limit,
        }),
      )
    ),
  );

  g.rule(
    "grouped",
    fromClauses((scope, from) =>
      choice(
        template("SELECT {k}, {aggs} FROM {from}{w} GROUP BY 1{h}{o}{l}", {
          k: ref(`${scope}_any`),
          aggs: repeat(ref(`${scope}_agg`), 1, 3, ", "),
          from,
          w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
          h: maybe(template(" HAVING {h}", { h: ref(`${scope}_having`) }), 0.3),
          o: ordinals(1),
          l: limit,
        }),
        template("SELECT {k1}, {k2}, {aggs} FROM {from}{w} GROUP BY 1, 2{h}{o}{l}", {
          k1: ref(`${scope}_any`),
          k2: ref(`${scope}_any`),
          aggs: repeat(ref(`${scope}_agg`), 1, 2, ", "),
          from,
          w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
          h: maybe(template(" HAVING {h}", { h: ref(`${scope}_having`) }), 0.3),
          o: ordinals(2),
          l: limit,
        }),
        template("SELECT {aggs} FROM {from} WHERE {b}", {
          aggs: repeat(ref(`${scope}_agg`), 1, 3, ", "),
          from,
          b: ref(`${scope}_bool`),
        }),
      )
    ),
  );

  // Predicate-heavy: every row goes through a deep condition.
  g.rule(
    "filter_count",
    fromClauses((scope, from) =>
      template("SELECT count(*) FROM {from} WHERE {a}{b}", {
        from,
        a: ref(`${scope}_bool`),
        b: maybe(template(" {op} {b}", { op: pool(["AND", "OR"]), b: ref(`${scope}_bool`) }), 0.5),
      })
    ),
  );

  // Expressions computed in a derived table, then filtered and sorted outside.
  g.rule(
    "derived",
    fromClauses((scope, from) =>
      template(
        "SELECT d.x, d.y FROM (SELECT {x} AS x, {y} AS y FROM {from}{w}) AS d WHERE d.x IS NOT NULL{o}{l}",
        {
          x: ref(`${scope}_any`),
          y: ref(`${scope}_int`),
          from,
          w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.5),
          o: maybe(" ORDER BY d.y DESC, d.x", 0.5),
          l: limit,
        },
      )
    ),
  );
});

export default g;
