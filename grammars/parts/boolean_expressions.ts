/**
 * Boolean expressions of an {@link ExpressionScope}: columns against
 * literals of their own type, comparisons of two expressions of any type,
 * NULL tests, BETWEEN, LIKE and regular expressions, IN and ANY lists,
 * connectives, and EXISTS subqueries.
 *
 * @example The boolean rule of a scope
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { booleanExpression } from "./boolean_expressions.ts";
 * import { expressionScope } from "./expression_scope.ts";
 * grammar("conditions").rule("s_bool", booleanExpression(expressionScope("s", ["t"])));
 * ```
 *
 * @module
 */
import {
  choice,
  type ColumnFilter,
  columnName,
  type Element,
  maybe,
  number,
  pool,
  tableName,
  template,
  withColumn,
  withTable,
} from "../../core/dsl/grammar.ts";
import { nonNullLiteral } from "./columns.ts";
import { type ExpressionScope, type ExpressionType, subqueryFilter } from "./expression_scope.ts";
import { ORDER_OPERATORS } from "./predicates.ts";

/** LIKE patterns. */
const PATTERNS = ["'a%'", "'%e%'", "'_%'", "'%1%'", "'Z%'", "'%'"];

/** A boolean expression. */
export function booleanExpression(s: ExpressionScope): Element {
  const { e, column } = s;

  /** `x <op> y` for two expressions of type `t`. */
  const compare = (t: ExpressionType) =>
    template("({x} {op} {y})", { x: e(t), op: pool(ORDER_OPERATORS), y: e(t) });

  /** `(alias.col <op> literal)` for a column of `where`, the operator one of `operators`; else `fallback`. */
  const versusLiteral = (where: ColumnFilter, operators: readonly string[], fallback: string) =>
    column(
      where,
      fallback,
      (a) =>
        template(`(${a}.{c} {op} {v})`, {
          c: columnName("lf"),
          op: pool(operators),
          v: nonNullLiteral("lf"),
        }),
    );

  return choice(
    [8, column({ type: "bool" }, pool(["TRUE", "FALSE"]))],
    [2, pool(["TRUE", "FALSE"])],
    [1, "CAST(NULL AS boolean)"],
    // A column against a literal of its own type.
    [8, versusLiteral({ orderable: true }, ORDER_OPERATORS, "TRUE")],
    [2, versusLiteral({ comparable: true }, ["=", "<>", "IS DISTINCT FROM"], "FALSE")],
    [
      2,
      column(
        {},
        "TRUE",
        (a) => template(`(${a}.{c} IS {n}NULL)`, { c: columnName("lf"), n: maybe("NOT ", 0.5) }),
      ),
    ],
    [5, compare("int")],
    [2, compare("num")],
    [1, compare("flt")],
    [3, compare("txt")],
    [2, compare("ts")],
    [2, compare("date")],
    [1, compare("ivl")],
    [1, compare("time")],
    [1, template("({x} IS {n}NULL)", { x: e("int"), n: maybe("NOT ", 0.5) })],
    [1, template("({x} IS {n}NULL)", { x: e("txt"), n: maybe("NOT ", 0.5) })],
    [1, template("({x} IS DISTINCT FROM {y})", { x: e("int"), y: e("int") })],
    [
      2,
      template("({x} BETWEEN {s}{y} AND {z})", {
        x: e("int"),
        s: maybe("SYMMETRIC ", 0.3),
        y: e("int"),
        z: e("int"),
      }),
    ],
    [1, template("({x} BETWEEN {y} AND {z})", { x: e("date"), y: e("date"), z: e("date") })],
    [
      2,
      template("({x} {op} {p})", {
        x: e("txt"),
        op: pool(["LIKE", "NOT LIKE", "ILIKE"]),
        p: pool(PATTERNS),
      }),
    ],
    [1, template("({x} ~ {p})", { x: e("txt"), p: pool(["'^[a-m]'", "'[0-9]'", "'^$'"]) })],
    [1, template("({x} IN ({y}, {z}, {k}))", { x: e("int"), y: e("int"), z: e("int"), k: number(0, 9) })],
    [1, template("({x} = ANY (ARRAY[{y}, {z}]))", { x: e("int"), y: e("int"), z: e("int") })],
    [4, template("({x} AND {y})", { x: e("bool"), y: e("bool") })],
    [3, template("({x} OR {y})", { x: e("bool"), y: e("bool") })],
    [2, template("(NOT {x})", { x: e("bool") })],
    [
      1,
      template("({x} IS {v})", {
        x: e("bool"),
        v: pool(["TRUE", "NOT TRUE", "FALSE", "NOT FALSE", "UNKNOWN"]),
      }),
    ],
    [1, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e("bool"), y: e("bool") })],
    [1, template("COALESCE({x}, {y})", { x: e("bool"), y: e("bool") })],
    [
      1,
      column(
        { type: "json" },
        "TRUE",
        (a) => template(`(${a}.{c} ? {k})`, { c: columnName("lf"), k: pool(["'color'", "'size'"]) }),
      ),
    ],
    [
      1,
      column(
        { type: "inet" },
        "TRUE",
        (a) => template(`(${a}.{c} << inet '10.0.0.0/9')`, { c: columnName("lf") }),
      ),
    ],
    [
      1,
      withTable(
        "s",
        template("{n}EXISTS (SELECT 1 FROM {t} AS s WHERE {p})", {
          n: maybe("NOT ", 0.4),
          t: tableName("s"),
          p: subqueryFilter,
        }),
      ),
    ],
    [
      1,
      withTable(
        "s",
        withColumn(
          "lf",
          "s",
          { type: "integer" },
          // The slots are read before {x}, whose expansion may bind them again.
          template("EXISTS (SELECT 1 FROM {t} AS s WHERE s.{c} = {x})", {
            t: tableName("s"),
            c: columnName("lf"),
            x: e("int"),
          }),
          "TRUE",
        ),
      ),
    ],
  );
}
