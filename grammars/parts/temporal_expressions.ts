/**
 * Date and time expressions of an {@link ExpressionScope}: timestamps
 * (`ts`), dates, intervals (`ivl`) and times of day, with their arithmetic,
 * truncation and conversions. Day counts added to dates are reduced modulo
 * 1000 first, so the result stays in range.
 *
 * @example The temporal rules of a scope
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { expressionScope } from "./expression_scope.ts";
 * import {
 *   dateExpression,
 *   intervalExpression,
 *   timeExpression,
 *   timestampExpression,
 * } from "./temporal_expressions.ts";
 * const s = expressionScope("s", ["t"]);
 * grammar("temporal").rule("s_ts", timestampExpression(s)).rule("s_date", dateExpression(s))
 *   .rule("s_ivl", intervalExpression(s)).rule("s_time", timeExpression(s));
 * ```
 *
 * @module
 */
import { choice, type Element, number, pool, template } from "../../core/dsl/grammar.ts";
import { type ExpressionScope, LITERALS, subqueryAggregate, TRUNCATION_UNITS } from "./expression_scope.ts";

/** A timestamp expression. */
export function timestampExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "timestamp" }, LITERALS.ts, "timestamp", [12, 4, 2]),
    [4, template("({x} + {i})", { x: e("ts"), i: e("ivl") })],
    [2, template("({x} - {i})", { x: e("ts"), i: e("ivl") })],
    [2, template("date_trunc({u}, {x})", { u: pool(TRUNCATION_UNITS), x: e("ts") })],
    [2, template("({d})::timestamp", { d: e("date") })],
    [1, template("({d} + {t})", { d: e("date"), t: e("time") })],
    ...conditional("ts"),
    [1, subqueryAggregate({ type: "timestamp" }, "max", LITERALS.ts)],
  );
}

/** A date expression. */
export function dateExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "date" }, LITERALS.date, "date", [12, 4, 2]),
    [
      1,
      template("make_date({y}, {m}, {d})", { y: number(1990, 2030), m: number(1, 12), d: number(1, 28) }),
    ],
    [4, template("({d} + ({n} % 1000)::integer)", { d: e("date"), n: e("int") })],
    [2, template("({d} - ({n} % 1000)::integer)", { d: e("date"), n: e("int") })],
    [2, template("({x})::date", { x: e("ts") })],
    [1, template("date_trunc({u}, {d})::date", { u: pool(TRUNCATION_UNITS), d: e("date") })],
    ...conditional("date"),
  );
}

/** An interval expression. */
export function intervalExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "interval" }, LITERALS.ivl, "interval", [10, 5]),
    [3, template("({x} - {y})", { x: e("ts"), y: e("ts") })],
    [2, template("({x} + {y})", { x: e("ivl"), y: e("ivl") })],
    [1, template("({x} - {y})", { x: e("ivl"), y: e("ivl") })],
    [1, template("({x} {op} {k})", { x: e("ivl"), op: pool(["*", "/"]), k: number(1, 4) })],
    [2, template("(({n} % 1000) * INTERVAL '1 {u}')", { n: e("int"), u: pool(["minute", "hour", "day"]) })],
    [1, template("age({x}, {y})", { x: e("ts"), y: e("ts") })],
    [
      1,
      template("{f}({x})", { f: pool(["justify_hours", "justify_days", "justify_interval"]), x: e("ivl") }),
    ],
    [1, template("(-({x}))", { x: e("ivl") })],
    [1, template("({x} - {y})", { x: e("time"), y: e("time") })],
    [1, template("make_interval(days => ({n} % 100)::integer)", { n: e("int") })],
    ...conditional("ivl"),
  );
}

/** A time-of-day expression. */
export function timeExpression(s: ExpressionScope): Element {
  const { e, leaves, conditional } = s;
  return choice(
    ...leaves({ type: "time" }, LITERALS.time, "time", [10, 4]),
    [2, template("({x})::time", { x: e("ts") })],
    [2, template("({x} + {i})", { x: e("time"), i: e("ivl") })],
    [1, template("({x} - {i})", { x: e("time"), i: e("ivl") })],
    ...conditional("time"),
  );
}
