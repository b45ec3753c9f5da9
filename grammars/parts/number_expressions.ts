/**
 * Expressions of the number types of an {@link ExpressionScope}: integer
 * (`int`), numeric (`num`) and double precision (`flt`). Runtime errors are
 * rare by construction: divisors go through `NULLIF(x, 0)`, logarithms and
 * roots take `abs(x) + 1` or `abs(x)`, and integers are multiplied by small
 * constants only.
 *
 * @example The number rules of a scope
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { expressionScope } from "./expression_scope.ts";
 * import { floatExpression, integerExpression, numericExpression } from "./number_expressions.ts";
 * const s = expressionScope("s", ["t"]);
 * grammar("numbers").rule("s_int", integerExpression(s)).rule("s_num", numericExpression(s))
 *   .rule("s_flt", floatExpression(s));
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  number,
  pool,
  tableName,
  template,
  withColumn,
  withTable,
} from "../../core/dsl/grammar.ts";
import { type ExpressionScope, LITERALS, subqueryAggregate, subqueryFilter } from "./expression_scope.ts";

/** Fields `extract` takes from a timestamp. */
const FIELDS = ["year", "month", "day", "hour", "minute", "dow", "doy", "quarter"];

/** An integer expression: arithmetic, bit operations, lengths, date differences, extracts and subqueries. */
export function integerExpression(s: ExpressionScope): Element {
  const { e, column, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "integer" }, LITERALS.int, "integer", [24, 8, 3]),
    [6, template("({x} + {y})", { x: e("int"), y: e("int") })],
    [4, template("({x} - {y})", { x: e("int"), y: e("int") })],
    [3, template("({x} * {k})", { x: e("int"), k: number(-3, 9) })],
    [3, template("({x} / NULLIF({y}, 0))", { x: e("int"), y: e("int") })],
    [2, template("({x} % NULLIF({y}, 0))", { x: e("int"), y: e("int") })],
    [2, template("abs({x})", { x: e("int") })],
    [1, template("(-({x}))", { x: e("int") })],
    [1, template("({x} {op} {y})", { x: e("int"), op: pool(["&", "|", "#"]), y: e("int") })],
    [1, template("(~({x}))", { x: e("int") })],
    [1, template("({x} {op} {k})", { x: e("int"), op: pool(["<<", ">>"]), k: number(0, 4) })],
    [1, template("gcd(({x})::bigint, ({y})::bigint)", { x: e("int"), y: e("int") })],
    [3, template("{f}({s})", { f: pool(["length", "char_length", "octet_length"]), s: e("txt") })],
    [1, template("strpos({s}, {w})", { s: e("txt"), w: LITERALS.txt })],
    [1, template("ascii({s})", { s: e("txt") })],
    [2, template("({x} - {y})", { x: e("date"), y: e("date") })],
    [2, template("extract({f} FROM {x})::integer", { f: pool(FIELDS), x: e("ts") })],
    [1, template("extract({f} FROM {x})::integer", { f: pool(["day", "hour", "minute"]), x: e("ivl") })],
    [1, template("({b})::integer", { b: e("bool") })],
    [1, template("trunc({x})::bigint", { x: e("num") })],
    [1, template("round({x})::bigint", { x: e("flt") })],
    [1, template("width_bucket({x}, 0, 10000, {n})", { x: e("num"), n: number(1, 20) })],
    [
      1,
      template("CASE {x} WHEN {a} THEN {y} WHEN {b} THEN {z} ELSE {w} END", {
        x: e("int"),
        a: number(0, 9),
        y: e("int"),
        b: number(10, 99),
        z: e("int"),
        w: e("int"),
      }),
    ],
    ...conditional("int"),
    [
      1,
      column(
        { type: "inet" },
        LITERALS.int,
        (a) => template(`{f}(${a}.{c})`, { f: pool(["masklen", "family"]), c: columnName("lf") }),
      ),
    ],
    [
      1,
      column({ type: "bytea" }, LITERALS.int, (a) => template(`length(${a}.{c})`, { c: columnName("lf") })),
    ],
    [
      1,
      column(
        { type: "json" },
        LITERALS.int,
        (a) => template(`length(${a}.{c}::text)`, { c: columnName("lf") }),
      ),
    ],
    // Scalar subqueries: an aggregate keeps them to one row.
    [
      2,
      withTable(
        "s",
        template("(SELECT count(*) FROM {t} AS s WHERE {p})", { t: tableName("s"), p: subqueryFilter }),
      ),
    ],
    [1, subqueryAggregate({ type: "integer" }, pool(["max", "min"]), LITERALS.int)],
    [1, correlatedCount(s.aliases)],
  );
}

/** A numeric expression: arithmetic, rounding, roots, logarithms and an average subquery. */
export function numericExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "numeric" }, LITERALS.num, "numeric", [16, 6, 2]),
    [3, template("({x})::numeric", { x: e("int") })],
    [1, template("({x})::numeric", { x: e("flt") })],
    [5, template("({x} + {y})", { x: e("num"), y: e("num") })],
    [3, template("({x} - {y})", { x: e("num"), y: e("num") })],
    [3, template("({x} * {y})", { x: e("num"), y: e("int") })],
    [3, template("({x} / NULLIF({y}, 0))", { x: e("num"), y: e("num") })],
    [2, template("round({x}, {k})", { x: e("num"), k: number(0, 4) })],
    [1, template("trunc({x}, {k})", { x: e("num"), k: number(0, 3) })],
    [2, template("{f}({x})", { f: pool(["ceil", "floor", "abs", "round"]), x: e("num") })],
    [1, template("sqrt(abs({x}))", { x: e("num") })],
    [1, template("ln(abs({x}) + 1)", { x: e("num") })],
    [1, template("mod({x}, NULLIF({y}, 0))", { x: e("num"), y: e("num") })],
    [1, template("extract(epoch FROM {x})::numeric", { x: e("ivl") })],
    ...conditional("num"),
    [1, subqueryAggregate({ type: ["integer", "numeric"] }, "avg", LITERALS.num)],
  );
}

/** A double precision expression: arithmetic and mathematical functions. */
export function floatExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "float" }, LITERALS.flt, "double precision", [14, 4]),
    [2, template("({x})::double precision", { x: e("int") })],
    [2, template("({x})::double precision", { x: e("num") })],
    [4, template("({x} + {y})", { x: e("flt"), y: e("flt") })],
    [2, template("({x} - {y})", { x: e("flt"), y: e("flt") })],
    [2, template("({x} * {y})", { x: e("flt"), y: e("flt") })],
    [2, template("({x} / NULLIF({y}, 0))", { x: e("flt"), y: e("flt") })],
    [1, template("sqrt(abs({x}))", { x: e("flt") })],
    [1, template("ln(abs({x}) + 1)", { x: e("flt") })],
    [
      2,
      template("{f}({x})", {
        f: pool(["cbrt", "sin", "cos", "atan", "degrees", "radians", "abs", "floor", "ceil"]),
        x: e("flt"),
      }),
    ],
    [1, template("date_part('epoch', {x})", { x: e("ts") })],
    ...conditional("flt"),
  );
}

/** `(SELECT count(*) FROM s WHERE s.int = <alias>.int)`: correlated, one row by the aggregate. */
function correlatedCount(aliases: readonly string[]): Element {
  return choice(
    ...aliases.map((a) =>
      withColumn(
        "lf",
        a,
        { type: "integer" },
        withTable(
          "s",
          withColumn(
            "lf2",
            "s",
            { type: "integer" },
            template(`(SELECT count(*) FROM {t} AS s WHERE s.{c2} = ${a}.{c})`, {
              t: tableName("s"),
              c2: columnName("lf2"),
              c: columnName("lf"),
            }),
            "0",
          ),
        ),
        "0",
      )
    ),
  );
}
