/**
 * Conditions on one bound column built from functions of its type class
 * (pattern matches on text, modular tests on integers, date parts of
 * temporal values, json key tests, inet families), sometimes `IS NULL` for
 * nullable columns.
 *
 * @module
 */
import { byColumn, choice, type Element, number, pool, withColumn } from "../../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./columns.ts";
import { overColumn } from "./column_templates.ts";

/** A condition on one column of `alias`, built from functions of its type. */
export function typedFunctionCondition(alias: string): Element {
  const c = `p_${alias}`;
  const f = overColumn(qualified(alias, c));
  const v = typedLiteral(c);
  const typedCase = byColumn(c, [
    [
      { type: "text" },
      choice(
        f("lower({c}) LIKE {p}", { p: pool(["'a%'", "'%e%'", "'%s'", "'m%'"]) }),
        f("length({c}) BETWEEN {lo} AND {hi}", { lo: number(0, 10), hi: number(10, 60) }),
        f("position({p} IN {c}) > 0", { p: pool(["'a'", "'e'", "'o'"]) }),
        f("{c} ~* {re}", { re: pool(["'^[a-m]'", "'[0-9]'", "'e.*e'"]) }),
        f("split_part({c}, ' ', 1) <> ''"),
        f("starts_with(upper({c}), {p})", { p: pool(["'A'", "'C'", "'S'"]) }),
        f("regexp_like({c}, {re}, 'i')", { re: pool(["'^a'", "'n$'", "'ee'"]) }),
        f("upper({c}) = upper({v})", { v }),
        f("{c} ILIKE '%' || left({v}, 3) || '%'", { v }),
      ),
    ],
    [
      { type: "integer" },
      choice(
        f("mod({c}, {n}) = {r}", { n: number(2, 7), r: number(0, 1) }),
        f("abs({c}) >= {v}", { v }),
        f("{c} BETWEEN least({v}, {w}) AND greatest({v2}, {w2})", {
          v,
          w: typedLiteral(c),
          v2: v,
          w2: typedLiteral(c),
        }),
        f("coalesce({c}, 0) <> {n}", { n: number(0, 100) }),
      ),
    ],
    [
      { type: ["numeric", "float"] },
      choice(
        f("round({c}::numeric, 1) > round({v}::numeric, 1)", { v }),
        f("abs({c}) < {v}", { v }),
        f("floor({c}) = ceil({c})"),
        f("coalesce({c}, 0) >= {v}", { v }),
      ),
    ],
    [
      { type: "date" },
      choice(
        f("extract(year FROM {c}) >= {y}", { y: number(1990, 2026) }),
        f("extract(dow FROM {c}) IN (0, 6)"),
        f("{c} > current_date - {n}", { n: pool(["365", "3650", "30"]) }),
        f("date_trunc('month', {c}) <= {v}", { v }),
        f("age({c}) > interval '{n} years'", { n: number(1, 40) }),
      ),
    ],
    [
      { type: "timestamp" },
      choice(
        f("extract(hour FROM {c}) < {h}", { h: number(1, 23) }),
        f("{c} > now() - interval '{n} days'", { n: pool(["30", "365", "2000"]) }),
        f("date_trunc('day', {c}) <> {v}", { v }),
        f("to_char({c}, 'YYYY') > '{y}'", { y: number(2000, 2025) }),
        f("{c} BETWEEN {v} AND {v} + interval '1 year'", { v }),
      ),
    ],
    [
      { type: "time" },
      f("extract(hour FROM {c}) BETWEEN {a} AND {b}", { a: number(0, 11), b: number(12, 23) }),
    ],
    [
      { type: "interval" },
      choice(
        f("extract(epoch FROM {c}) > {n}", { n: pool(["3600", "86400", "604800"]) }),
        f("justify_hours({c}) > interval '{n} days'", { n: number(1, 10) }),
      ),
    ],
    [
      { type: "bool" },
      choice(f("coalesce({c}, false)"), f("{c} IS NOT FALSE"), f("NOT coalesce({c}, true)")),
    ],
    [{ type: "uuid" }, f("{c}::text LIKE {p}", { p: pool(["'a%'", "'%0%'", "'1%'"]) })],
    [
      { type: "json" },
      choice(f("{c} ? {k}", { k: pool(["'color'", "'size'", "'k'"]) }), f("jsonb_typeof({c}) = 'object'")),
    ],
    [{ type: "bytea" }, f("length({c}) > {n}", { n: number(0, 8) })],
    [{ type: "inet" }, choice(f("family({c}) = 4"), f("masklen({c}) > {n}", { n: number(8, 30) }))],
    [{ type: "enum" }, choice(f("{c}::text LIKE '%a%'"), f("{c} <> enum_first({c})"))],
  ], f("length({c}::text) > {n}", { n: number(0, 10) }));
  return withColumn(
    c,
    alias,
    {},
    byColumn(c, [[{ nullable: true }, choice([10, typedCase], [1, f("{c} IS NULL")])]], typedCase),
  );
}
