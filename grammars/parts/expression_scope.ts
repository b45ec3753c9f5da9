/**
 * The frame of typed expression trees: the result types, the rules of a
 * scope (`<scope>_<type>`, one per type, whose leaves are columns of the
 * scope's tables), the literals of each type, and scalar subqueries over a
 * table in slot `s`.
 *
 * The rules of each type are built in `number_expressions.ts`,
 * `text_expressions.ts`, `boolean_expressions.ts` and
 * `temporal_expressions.ts`; a grammar registers them per scope.
 *
 * @example A scope over the table in slot "t"
 * ```ts
 * import { template } from "../../core/dsl/grammar.ts";
 * import { expressionScope } from "./expression_scope.ts";
 * const s = expressionScope("s", ["t"]);
 * const sum = template("({x} + {y})", { x: s.e("int"), y: s.e("int") });
 * if (typeof sum === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  choice,
  type ColumnFilter,
  columnName,
  type Element,
  number,
  pool,
  ref,
  tableName,
  template,
  withColumn,
  withTable,
} from "../../core/dsl/grammar.ts";
import { castLiteral, nonNullLiteral, qualified } from "./columns.ts";

/** The result types expressions are built for. */
export const EXPRESSION_TYPES = ["int", "num", "flt", "txt", "bool", "ts", "date", "ivl", "time"] as const;

/** A result type: integer, numeric, double precision, text, boolean, timestamp, date, interval, time. */
export type ExpressionType = typeof EXPRESSION_TYPES[number];

/** Units of `date_trunc`. */
export const TRUNCATION_UNITS = ["'year'", "'quarter'", "'month'", "'week'", "'day'", "'hour'", "'minute'"];

/** Text literals, awkward ones among them. */
const WORDS = ["'alpha'", "'Beta gamma'", "''", "'x-17'", "'  padded  '", "'Zürich'", "'42'", "'a%b_c'"];

/** A literal of each result type but boolean. */
export const LITERALS: Readonly<Record<Exclude<ExpressionType, "bool">, Element>> = {
  int: number(-20, 200),
  num: template("{a}.{b}", { a: number(0, 9999), b: number(0, 99) }),
  flt: template("CAST({a}.{b} AS double precision)", { a: number(0, 999), b: number(0, 9) }),
  txt: pool(WORDS),
  ts: pool([
    "TIMESTAMP '2024-02-29 12:00:00'",
    "TIMESTAMP '1999-12-31 23:59:59'",
    "TIMESTAMPTZ '2020-06-15 08:30:00+02'",
    "TIMESTAMP '2030-01-01 00:00:00'",
  ]),
  date: pool(["DATE '2024-02-29'", "DATE '2000-01-01'", "DATE '1970-01-01'", "DATE '2026-12-31'"]),
  ivl: template("INTERVAL '{n} {u}'", {
    n: number(0, 400),
    u: pool(["seconds", "minutes", "hours", "days", "months"]),
  }),
  time: pool(["TIME '00:00:00'", "TIME '12:34:56'", "TIME '23:59:59.5'"]),
};

/** The rules and leaves of one scope. Leaf columns are bound to slot "lf" and read at once. */
export interface ExpressionScope {
  /** Table aliases whose columns are leaves; each alias is also its table slot. */
  readonly aliases: readonly string[];
  /** A reference to the scope's rule for type `t`. */
  e(t: ExpressionType | "any"): Element;
  /** A column of `where` from one of the aliases, rendered by `render` (default `alias.col`); `fallback` if none. */
  column(where: ColumnFilter, fallback: Element, render?: (alias: string) => Element): Element;
  /** A literal of a column of `where`, cast to the column's type; `fallback` if none. */
  columnLiteral(where: ColumnFilter, fallback: Element): Element;
  /**
   * The leaves of a type: a column of `where`, `literal`, with a third weight
   * a column's literal, and a NULL cast to `sqlType` (weight 1).
   */
  leaves(
    where: ColumnFilter,
    literal: Element,
    sqlType: string,
    weights: readonly [number, number] | readonly [number, number, number],
  ): [number, Element][];
  /** CASE, COALESCE, NULLIF, GREATEST and LEAST over expressions of type `t`. */
  conditional(t: ExpressionType): [number, Element][];
}

/** The scope `name`, whose rules are `<name>_<type>` and whose leaves come from the tables in `aliases`. */
export function expressionScope(name: string, aliases: readonly string[]): ExpressionScope {
  const e = (t: ExpressionType | "any") => ref(`${name}_${t}`);
  const column = (
    where: ColumnFilter,
    fallback: Element,
    render: (alias: string) => Element = (a) => qualified(a, "lf"),
  ) => choice(...aliases.map((a) => withColumn("lf", a, where, render(a), fallback)));
  const columnLiteral = (where: ColumnFilter, fallback: Element) =>
    choice(...aliases.map((a) => withColumn("lf", a, where, castLiteral("lf"), fallback)));
  return {
    aliases,
    e,
    column,
    columnLiteral,
    leaves: (where, literal, sqlType, [columnWeight, literalWeight, castWeight]) => [
      [columnWeight, column(where, literal)],
      [literalWeight, literal],
      ...(castWeight === undefined ? [] : [[castWeight, columnLiteral(where, literal)] as [number, Element]]),
      [1, `CAST(NULL AS ${sqlType})`],
    ],
    conditional: (t) => [
      [3, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e(t), y: e(t) })],
      [
        1,
        template("CASE WHEN {b} THEN {x} WHEN {c} THEN {y} END", {
          b: e("bool"),
          x: e(t),
          c: e("bool"),
          y: e(t),
        }),
      ],
      [2, template("COALESCE({x}, {y})", { x: e(t), y: e(t) })],
      [1, template("NULLIF({x}, {y})", { x: e(t), y: e(t) })],
      [1, template("{f}({x}, {y})", { f: pool(["GREATEST", "LEAST"]), x: e(t), y: e(t) })],
    ],
  };
}

/**
 * A comparison on one column of subquery table `s` against its literal:
 * no recursion, so slot `s` is never rebound inside it.
 */
export const subqueryFilter: Element = withColumn(
  "lf",
  "s",
  { orderable: true },
  template("s.{c} {op} {v}", {
    c: columnName("lf"),
    op: pool(["<", ">=", "=", "<>"]),
    v: nonNullLiteral("lf"),
  }),
  withColumn("lf", "s", {}, template("s.{c} IS NOT NULL", { c: columnName("lf") }), "true"),
);

/**
 * `(SELECT f(s.col) FROM s)` over a column of `where` of any table `s`, with
 * `f` a function name or an element choosing one; `fallback` when the table
 * has no such column.
 */
export const subqueryAggregate = (where: ColumnFilter, f: string | Element, fallback: Element): Element =>
  withTable(
    "s",
    withColumn(
      "lf",
      "s",
      where,
      typeof f === "string"
        ? template(`(SELECT ${f}(s.{c}) FROM {t} AS s)`, { c: columnName("lf"), t: tableName("s") })
        : template("(SELECT {f}(s.{c}) FROM {t} AS s)", { f, c: columnName("lf"), t: tableName("s") }),
      fallback,
    ),
  );
