/**
 * Boolean conditions on the columns of one table, for WHERE and ON clauses.
 *
 * A condition picks one column into the slot {@link CONDITION_COLUMN}, reads
 * it at once and tests it in a way its type supports. Which tests a grammar
 * makes, and how often, is the grammar's own choice, so each grammar writes
 * its condition with {@link columnCondition} from the tests here.
 * {@link predicateRules} then gives it one rule per table alias that joins
 * one or two conditions.
 *
 * @example A grammar's predicates
 * ```ts
 * import { grammar, tableName, template, withTable } from "../../core/dsl/grammar.ts";
 * import { columnCondition, orderedCondition, predicateRules } from "./predicates.ts";
 * const g = grammar("example");
 * const predicates = predicateRules(g, (alias, table) =>
 *   columnCondition(alias, table, 8, (l) => [[{ orderable: true }, orderedCondition(l, "always", 3)]]));
 * g.rule("query", withTable("a", template("SELECT * FROM {t} AS a{w}", {
 *   t: tableName("a"),
 *   w: predicates.where("a", "a", 0.5),
 * })));
 * if (!g.rules.has("pred_a_a")) throw new Error();
 * ```
 *
 * @module
 */
import {
  byColumn,
  choice,
  type ColumnFilter,
  type Element,
  type Grammar,
  maybe,
  number,
  pool,
  ref,
  repeat,
  template,
  withColumn,
} from "../../core/dsl/grammar.ts";
import { nonNullLiteral, qualified } from "./columns.ts";

/** The column slot a condition binds and reads at once. */
export const CONDITION_COLUMN = "pc";

/** The comparisons of ordered types. */
export const ORDER_OPERATORS: readonly string[] = ["=", "<>", "<", "<=", ">", ">="];

/** The comparisons of types with equality only. */
export const EQUALITY_OPERATORS: readonly string[] = ["=", "<>"];

/** `l <op> literal`, the operator drawn from `operators`. */
export const compared = (l: Element, operators: readonly string[]): Element =>
  template("{l} {op} {v}", { l, op: pool(operators), v: nonNullLiteral(CONDITION_COLUMN) });

/** `l BETWEEN lo AND hi`, SYMMETRIC always or half of the time. */
export const between = (l: Element, symmetric: "always" | "sometimes"): Element =>
  symmetric === "always"
    ? template("{l} BETWEEN SYMMETRIC {lo} AND {hi}", {
      l,
      lo: nonNullLiteral(CONDITION_COLUMN),
      hi: nonNullLiteral(CONDITION_COLUMN),
    })
    : template("{l} BETWEEN {s}{lo} AND {hi}", {
      l,
      s: maybe("SYMMETRIC ", 0.5),
      lo: nonNullLiteral(CONDITION_COLUMN),
      hi: nonNullLiteral(CONDITION_COLUMN),
    });

/** `l IN (v, …)` with 1 to `most` literals. */
export const inList = (l: Element, most: number): Element =>
  template("{l} IN ({vs})", { l, vs: repeat(nonNullLiteral(CONDITION_COLUMN), 1, most, ", ") });

/** A comparison, a BETWEEN or an IN list (up to `inMost` values), for any ordered type. */
export const orderedCondition = (l: Element, symmetric: "always" | "sometimes", inMost: number): Element =>
  choice([6, compared(l, ORDER_OPERATORS)], [2, between(l, symmetric)], [2, inList(l, inMost)]);

/** `l LIKE literal || '%'`: text starting like a value. */
export const likePrefix = (l: Element): Element =>
  template("{l} LIKE {v} || '%'", { l, v: nonNullLiteral(CONDITION_COLUMN) });

/** `l ? key`: a json document with one of the keys the generated documents use. */
export const hasJsonKey = (l: Element): Element =>
  template("{l} ? {k}", { l, k: pool(["'color'", "'size'", "'status'"]) });

/** `length(l) > n` with n from 0 to `most`. */
export const longerThan = (l: Element, most: number): Element =>
  template("length({l}) > {n}", { l, n: number(0, most) });

/** `l` or `NOT l`, for a boolean column. */
export const truthOf = (l: Element): Element => choice(template("{l}", { l }), template("NOT {l}", { l }));

/** `l IS NOT NULL`. */
export const isNotNull = (l: Element): Element => template("{l} IS NOT NULL", { l });

/** Tests of bool, json, bytea and any other comparable column, the same in every portable grammar. */
export const plainTypeCases = (l: Element): TypedTest[] => [
  [{ type: "bool" }, truthOf(l)],
  [{ type: "json" }, hasJsonKey(l)],
  [{ type: "bytea" }, longerThan(l, 16)],
  [{ comparable: true }, compared(l, EQUALITY_OPERATORS)],
];

/** A test for the columns a filter matches: `[filter, test]`. */
export type TypedTest = readonly [ColumnFilter, Element];

/**
 * One condition on a column of `table` seen as `alias`: binds the column to
 * {@link CONDITION_COLUMN} and tests it with the first of `tests(l)` whose
 * filter it matches (`l` being `alias.column`), or with IS NOT NULL. A
 * nullable column is tested with IS [NOT] NULL instead twice in
 * `typedWeight + 2` times.
 */
export function columnCondition(
  alias: string,
  table: string,
  typedWeight: number,
  tests: (l: Element) => readonly TypedTest[],
): Element {
  const c = CONDITION_COLUMN;
  const l = qualified(alias, c);
  const tested = byColumn(c, tests(l), isNotNull(l));
  return withColumn(
    c,
    table,
    {},
    byColumn(c, [[
      { nullable: true },
      choice([typedWeight, tested], [1, template("{l} IS NULL", { l })], [1, isNotNull(l)]),
    ]], tested),
  );
}

/** The predicates of one grammar, by table alias. */
export interface Predicates {
  /** A reference to rule `pred_<alias>_<table>`, one or two conditions on `table` seen as `alias`. */
  on(alias: string, table: string): Element;
  /** ` WHERE <predicate>` with probability `p`. */
  where(alias: string, table: string, p: number): Element;
  /** ` AND <predicate>` with probability `p`. */
  and(alias: string, table: string, p: number): Element;
}

/**
 * Predicates made of `condition`: each alias's rule, defined in `g` on first
 * use, is one condition, two joined by AND or OR, or (with `negation`) one
 * under NOT.
 */
export function predicateRules(
  g: Grammar,
  condition: (alias: string, table: string) => Element,
  { negation = false }: { negation?: boolean } = {},
): Predicates {
  const on = (alias: string, table: string): Element => {
    const name = `pred_${alias}_${table}`;
    if (!g.rules.has(name)) {
      const one = condition(alias, table);
      g.rule(
        name,
        choice(
          [6, one],
          [3, template("{x} AND {y}", { x: one, y: one })],
          [2, template("({x} OR {y})", { x: one, y: one })],
          ...(negation ? [[1, template("NOT ({x})", { x: one })] as const] : []),
        ),
      );
    }
    return ref(name);
  };
  return {
    on,
    where: (alias, table, p) => maybe(template(" WHERE {p}", { p: on(alias, table) }), p),
    and: (alias, table, p) => maybe(template(" AND {p}", { p: on(alias, table) }), p),
  };
}
