/**
 * Text expressions of an {@link ExpressionScope}: concatenation, string
 * functions, casts and formatting of other types, and what json, inet and
 * bytea columns offer as text.
 *
 * @example The text rule of a scope
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { expressionScope } from "./expression_scope.ts";
 * import { textExpression } from "./text_expressions.ts";
 * grammar("text").rule("s_txt", textExpression(expressionScope("s", ["t"])));
 * ```
 *
 * @module
 */
import { choice, columnName, type Element, number, pool, template } from "../../core/dsl/grammar.ts";
import { type ExpressionScope, LITERALS, subqueryAggregate } from "./expression_scope.ts";

/** A text expression. */
export function textExpression(s: ExpressionScope): Element {
  const { e, column, columnLiteral, conditional } = s;
  return choice(
    [16, column({ type: "text" }, LITERALS.txt)],
    [5, LITERALS.txt],
    [4, column({}, LITERALS.txt, (a) => template(`${a}.{c}::text`, { c: columnName("lf") }))],
    [2, columnLiteral({ type: "text" }, LITERALS.txt)],
    [1, "CAST(NULL AS text)"],
    [5, template("({x} || {y})", { x: e("txt"), y: e("txt") })],
    [3, template("{f}({x})", { f: pool(["lower", "upper", "initcap", "reverse", "md5"]), x: e("txt") })],
    [2, template("{f}({x})", { f: pool(["btrim", "ltrim", "rtrim"]), x: e("txt") })],
    [2, template("substr({x}, {k}, {n})", { x: e("txt"), k: number(1, 6), n: number(0, 12) })],
    [1, template("{f}({x}, {k})", { f: pool(["left", "right"]), x: e("txt"), k: number(-3, 8) })],
    [1, template("{f}({x}, {k}, '*')", { f: pool(["lpad", "rpad"]), x: e("txt"), k: number(0, 16) })],
    [1, template("repeat({x}, {k})", { x: e("txt"), k: number(0, 2) })],
    [1, template("replace({x}, {a}, {b})", { x: e("txt"), a: LITERALS.txt, b: LITERALS.txt })],
    [1, template("split_part({x}, ' ', {k})", { x: e("txt"), k: number(1, 3) })],
    [1, template("translate({x}, 'aeiou', 'AEIOU')", { x: e("txt") })],
    [1, template("regexp_replace({x}, '[0-9]+', '#', 'g')", { x: e("txt") })],
    [
      1,
      template("concat_ws({sep}, {x}, {y})", {
        sep: pool(["'-'", "', '", "''"]),
        x: e("txt"),
        y: e("int"),
      }),
    ],
    [1, template("format('%s/%s', {x}, {y})", { x: e("txt"), y: e("num") })],
    [2, template("({x})::text", { x: e("int") })],
    [1, template("({x})::text", { x: e("num") })],
    [1, template("({x})::text", { x: e("bool") })],
    [1, template("({x})::text", { x: e("ivl") })],
    [
      1,
      template("to_char({x}, {f})", {
        x: e("ts"),
        f: pool(["'YYYY-MM-DD HH24:MI'", "'Dy DD Mon'", "'IYYY-IW'"]),
      }),
    ],
    [1, template("to_char({x}, {f})", { x: e("num"), f: pool(["'FM999999990.00'", "'9.99EEEE'"]) })],
    ...conditional("txt"),
    [
      1,
      column({ type: "json" }, LITERALS.txt, (a) =>
        template(`(${a}.{c} ->> {k})`, {
          c: columnName("lf"),
          k: pool(["'color'", "'size'", "'status'"]),
        })),
    ],
    [
      1,
      column(
        { type: "json" },
        LITERALS.txt,
        (a) => template(`jsonb_typeof(${a}.{c})`, { c: columnName("lf") }),
      ),
    ],
    [1, column({ type: "inet" }, LITERALS.txt, (a) => template(`host(${a}.{c})`, { c: columnName("lf") }))],
    [
      1,
      column(
        { type: "bytea" },
        LITERALS.txt,
        (a) => template(`encode(${a}.{c}, 'hex')`, { c: columnName("lf") }),
      ),
    ],
    [1, subqueryAggregate({ type: "text" }, "max", LITERALS.txt)],
  );
}
