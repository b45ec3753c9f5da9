/**
 * Derived-column expressions (core/data/expression.ts) as the kernel's
 * stack-machine words (value_ops.ts: X_*), evaluated over f64.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import type { Expr } from "../data/expression.ts";

const BINARY: Record<string, number> = {
  "+": v.X_ADD,
  "-": v.X_SUB,
  "*": v.X_MUL,
  "/": v.X_DIV,
  "%": v.X_MOD,
};

function f64Words(x: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return [view.getInt32(0, true), view.getInt32(4, true)];
}

function i64Words(x: bigint): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, x, true);
  return [view.getInt32(0, true), view.getInt32(4, true)];
}

/**
 * The words of `expr`, reading column `c` from register `regOf(c)`.
 *
 * @throws {RangeError} for what the kernel cannot evaluate (text concatenation).
 */
export function expressionWords(expr: Expr, regOf: (column: string) => number): number[] {
  switch (expr.kind) {
    case "number": {
      // A plain decimal literal is exact (scaled integer and scale), as in SQL's numeric.
      const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(String(expr.value));
      if (!m || m[2]!.length + (m[3]?.length ?? 0) > 17) return [v.X_CONST, ...f64Words(expr.value)];
      const scale = m[3]?.length ?? 0;
      const scaled = BigInt(`${m[1]}${m[2]}${m[3] ?? ""}`);
      return [v.X_DECIMAL, ...f64Words(expr.value), ...i64Words(scaled), scale];
    }
    case "column":
      return [v.X_REG, regOf(expr.name)];
    case "unary":
      return [...expressionWords(expr.arg, regOf), v.X_NEG];
    case "binary": {
      const op = BINARY[expr.op];
      if (op === undefined) throw new RangeError(`"${expr.op}" is not supported in derived expressions yet`);
      return [...expressionWords(expr.left, regOf), ...expressionWords(expr.right, regOf), op];
    }
    case "call": {
      const args = expr.args.flatMap((a, i) =>
        expr.fn === "round" && i === 1 ? [] : expressionWords(a, regOf)
      );
      switch (expr.fn) {
        case "round": {
          const digits = expr.args[1];
          const n = digits?.kind === "number" ? digits.value : 0;
          if (!Number.isInteger(n) || n < 0 || n > 9) {
            throw new RangeError("round's second argument must be a whole number from 0 to 9");
          }
          return [...args, v.X_ROUND, n];
        }
        case "abs":
          return [...args, v.X_ABS];
        case "floor":
          return [...args, v.X_FLOOR];
        case "ceil":
          return [...args, v.X_CEIL];
        case "least":
          return [...args, v.X_LEAST, expr.args.length];
        case "greatest":
          return [...args, v.X_GREATEST, expr.args.length];
      }
    }
  }
}
