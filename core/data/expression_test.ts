import { deepStrictEqual, throws } from "node:assert/strict";
import { SpecError } from "./_spec_error.ts";
import { columnOffsets, columnsOf, type Expr, parseExpression } from "./expression.ts";

const col = (name: string): Expr => ({ kind: "column", name });
const num = (value: number): Expr => ({ kind: "number", value });
const bin = (op: "+" | "-" | "*" | "/" | "%" | "||", left: Expr, right: Expr): Expr => ({
  kind: "binary",
  op,
  left,
  right,
});

Deno.test("numbers: integers, decimals and exponents", () => {
  deepStrictEqual(parseExpression("42"), num(42));
  deepStrictEqual(parseExpression("3.25"), num(3.25));
  deepStrictEqual(parseExpression(".5"), num(0.5));
  deepStrictEqual(parseExpression("1.5e3"), num(1500));
  deepStrictEqual(parseExpression("2E-2"), num(0.02));
});

Deno.test("precedence follows SQL: * / % before + -, both before ||", () => {
  deepStrictEqual(parseExpression("a + b * c"), bin("+", col("a"), bin("*", col("b"), col("c"))));
  deepStrictEqual(parseExpression("a - b - c"), bin("-", bin("-", col("a"), col("b")), col("c")));
  deepStrictEqual(parseExpression("a / b % c"), bin("%", bin("/", col("a"), col("b")), col("c")));
  deepStrictEqual(parseExpression("a || b + c"), bin("||", col("a"), bin("+", col("b"), col("c"))));
  deepStrictEqual(parseExpression("(a + b) * c"), bin("*", bin("+", col("a"), col("b")), col("c")));
});

Deno.test("unary minus binds tighter than *, and folds into number literals", () => {
  deepStrictEqual(parseExpression("-2 * -x"), bin("*", num(-2), { kind: "unary", op: "-", arg: col("x") }));
  deepStrictEqual(parseExpression("--3"), num(3));
  deepStrictEqual(parseExpression("a - -1"), bin("-", col("a"), num(-1)));
});

Deno.test("quoted column names, with doubled quotes", () => {
  deepStrictEqual(parseExpression('"unit price" * 2'), bin("*", col("unit price"), num(2)));
  deepStrictEqual(parseExpression('"say ""hi"""'), col('say "hi"'));
  deepStrictEqual(parseExpression('"round"'), col("round"));
});

Deno.test("function calls, case-insensitive names", () => {
  deepStrictEqual(parseExpression("round(qty * price, 2)"), {
    kind: "call",
    fn: "round",
    args: [bin("*", col("qty"), col("price")), num(2)],
  });
  deepStrictEqual(parseExpression("ABS(x)"), { kind: "call", fn: "abs", args: [col("x")] });
  deepStrictEqual(parseExpression("least(a, b, 3)"), {
    kind: "call",
    fn: "least",
    args: [col("a"), col("b"), num(3)],
  });
  deepStrictEqual(parseExpression("greatest(floor(a), ceil(b))").kind, "call");
  // A name not followed by "(" is a column, even when it is a function's name.
  deepStrictEqual(parseExpression("round + 1"), bin("+", col("round"), num(1)));
});

Deno.test("columnsOf lists each column once in order of first use", () => {
  deepStrictEqual(columnsOf(parseExpression("b * a + round(b, 1) - 2")), ["b", "a"]);
  deepStrictEqual(columnsOf(parseExpression("1 + 2")), []);
  deepStrictEqual([...columnOffsets("qty * round(price, 2)")], [["qty", 0], ["price", 12]]);
});

function errorOf(text: string): SpecError {
  try {
    parseExpression(text);
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

Deno.test("errors carry the column and a caret line", () => {
  const cases: [string, number, string][] = [
    ["a +", 4, 'expected a number, a column or "(", found end of expression'],
    ["a b", 3, 'unexpected "b"; is an operator missing?'],
    ["(a + b", 7, 'expected ")" to close the parenthesis, found end of expression'],
    ["a + b)", 6, 'unexpected ")"; there is no matching "("'],
    ["foo(1)", 1, 'unknown function "foo"; known: round, abs, floor, ceil, least, greatest'],
    ["roud(1)", 1, 'unknown function "roud"; did you mean "round"?'],
    ["round(1, 2, 3)", 13, "round() takes 1 or 2 arguments, not 3"],
    ["abs()", 5, "abs() takes 1 argument, not 0"],
    ["round(x, y)", 10, "round()'s second argument must be a whole number from -9 to 9, e.g. round(x, 2)"],
    ["a | b", 3, 'unexpected "|" (concatenation is "||")'],
    ["a @ b", 3, 'unexpected character "@"'],
    ["'x' || a", 1, 'string literals are not supported; text comes from columns (quote names with ")'],
    ['"open', 1, 'a quoted column name is not closed with "'],
    ["12abc", 3, 'unexpected "a" after the number 12'],
    ["+a", 1, 'unary "+" is not supported; leave it out'],
    ["", 1, "the expression is empty"],
  ];
  for (const [text, column, reason] of cases) {
    const e = errorOf(text);
    deepStrictEqual(e.column, column, text);
    deepStrictEqual(
      e.message,
      `${reason} at column ${column}\n  ${text}\n  ${" ".repeat(column - 1)}^`,
      text,
    );
  }
});

Deno.test("an expression error is a SyntaxError", () => {
  throws(() => parseExpression("1 +"), SyntaxError);
});
