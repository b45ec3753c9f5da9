/**
 * The operators and functions of each column type class, applied to column
 * `e` (expressions) or `p` (conditions) of the table bound to `a`: integer
 * bit and arithmetic operators, text pattern operators, date/time
 * arithmetic, json containment, inet containment, and for class "other"
 * only what works for every type (text round trips through `columnType`,
 * to_jsonb, comparisons where comparable).
 *
 * @module
 */
import { byColumn, choice, columnType, type Element, number, pool } from "../../core/dsl/grammar.ts";
import { typedLiteral } from "./columns.ts";
import { overTypedColumn } from "./typed_column_templates.ts";

/** An expression over column `e` of `a`, using its type's operators and functions. */
export const columnTypeExpression = (): Element => {
  const f = overTypedColumn("e");
  return byColumn(
    "e",
    [
      [
        { type: "integer" },
        choice(
          f("{c}::numeric + {v}"),
          f("{c}::bigint - {n}", { n: number(1, 100) }),
          f("{c}::numeric * {v}"),
          f("{c} / NULLIF({v}, 0)"),
          f("{c} % {n}", { n: number(2, 17) }),
          f("{c} & {n}", { n: number(1, 255) }),
          f("{c} | {n}", { n: number(1, 255) }),
          f("{c} # {n}", { n: number(1, 255) }),
          f("~{c}"),
          f("{c} >> {n}", { n: number(1, 8) }),
          f("@ {c}"),
          f("|/ abs({c})::float8"),
          f("||/ {c}::float8"),
          f("-{c}"),
          f("{c}::bigint::bit(64)"),
        ),
      ],
      [
        { type: "numeric" },
        choice(
          f("{c} + {v}"),
          f("{c} * {v}"),
          f("{c} / NULLIF({v}, 0)"),
          f("{c} % {n}", { n: number(2, 17) }),
          f("abs({c}) ^ 0.5"),
          f("{c} ^ 2"),
          f("div({c}, {n})", { n: number(2, 9) }),
          f("round({c}, {n})", { n: number(-2, 4) }),
          f("scale({c})"),
          f("min_scale({c})"),
          f("trim_scale({c})"),
          f("{c}::numeric(30,6)"),
          f("{c}::float8"),
        ),
      ],
      [
        { type: "float" },
        choice(
          f("{c} + {v}"),
          f("{c} * {v}"),
          f("{c} / NULLIF({v}, 0)"),
          f("abs({c}) ^ {e}", { e: pool(["0.5", "2", "0.25"]) }),
          f("|/ abs({c})"),
          f("@ {c}"),
          f("trunc({c})"),
          f("{c}::numeric"),
          f("{c} < 'Infinity'::float8"),
          f("{c} = 'NaN'::float8"),
        ),
      ],
      [
        { type: "text" },
        choice(
          f("{c} || {v}"),
          f("{c} || {n}", { n: number(0, 99) }),
          f("{c} ~ {re}", { re: pool(["'^[A-Z]'", "'[0-9]'", "'\\s'"]) }),
          f("{c} ~* {re}", { re: pool(["'a.*e'", "'^m'"]) }),
          f("{c} !~ '^$'"),
          f("{c} ^@ {p}", { p: pool(["'A'", "'S'", "'m'"]) }),
          f("{c} SIMILAR TO {p}", { p: pool(["'%(a|e)%'", "'[A-M]%'"]) }),
          f('{c} COLLATE "C" < {v}'),
          f("{c} LIKE left({v}, 2) || '%'"),
          f("octet_length({c})"),
          f("{c}::name"),
        ),
      ],
      [
        { type: "bool" },
        choice(
          f("{c} AND {v}"),
          f("{c} OR NOT {v}"),
          f("{c} IS DISTINCT FROM {v}"),
          f("{c}::int"),
          f("{c} > {v}"),
        ),
      ],
      [
        { type: "date" },
        choice(
          f("{c} + {n}", { n: number(-60, 60) }),
          f("{c} - {v}"),
          f("{c} + interval '{n} months'", { n: number(1, 24) }),
          f("{c} + time '{h}:30'", { h: number(10, 23) }),
          f("({c}, {c} + 10) OVERLAPS ({v}, {v2})", { v2: typedLiteral("e") }),
          f("{c} = 'infinity'::date"),
        ),
      ],
      [
        { type: "timestamp" },
        choice(
          f("{c} + interval '{n} hours'", { n: number(1, 100) }),
          f("{c} - {v}"),
          f("{c} AT TIME ZONE {z}", { z: pool(["'UTC'", "'America/New_York'", "'Asia/Tokyo'"]) }),
          f("({c}, interval '1 day') OVERLAPS ({v}, interval '2 days')"),
          f("date_bin(interval '15 minutes', {c}, {v})"),
          f("{c} < 'infinity'"),
        ),
      ],
      [
        { type: "time" },
        choice(
          f("{c} + interval '{n} minutes'", { n: number(1, 300) }),
          f("{c} - {v}"),
          f("{c} - interval '1 hour'"),
          f("date '2024-06-01' + {c}"),
        ),
      ],
      [
        { type: "interval" },
        choice(
          f("{c} * {n}", { n: number(2, 9) }),
          f("{c} / {n}", { n: number(2, 9) }),
          f("{c} + {v}"),
          f("{c} - {v}"),
          f("-{c}"),
          f("{c} * 1.5"),
          f("justify_interval({c})"),
          f("{c} + interval '1 mon'"),
        ),
      ],
      [{ type: "uuid" }, choice(f("{c} < {v}"), f("{c}::text"), f("{c} = {v}"))],
      [
        { type: "json" },
        choice(
          f("{c} -> 'k'"),
          f("{c} ->> 'w'"),
          f("{c} @> {v}"),
          f("{c} ? 'k'"),
          f("{c} || {v}"),
          f("{c} - 'k'"),
        ),
      ],
      [
        { type: "bytea" },
        choice(
          f("{c} || {v}"),
          f("length({c})"),
          f("sha256({c})"),
          f("bit_count({c})"),
          f("position('\\x00'::bytea IN {c})"),
          f("encode({c}, 'hex')"),
        ),
      ],
      [
        { type: "inet" },
        choice(
          f("{c} << '10.0.0.0/8'::cidr"),
          f("{c} <<= {v}"),
          f("{c} && '10.128.0.0/9'::inet"),
          f("~ {c}"),
          f("{c} & '255.255.0.0'::inet"),
          f("{c} | '0.0.0.255'::inet"),
          f("{c} + {n}", { n: number(1, 200) }),
          f("{c} - {n}", { n: number(1, 200) }),
          f("{c} - '10.0.0.0'::inet"),
          f("broadcast(set_masklen({c}, 16))"),
          f("network(set_masklen({c}, 12))::cidr"),
          f("inet_same_family({c}, '::1'::inet)"),
          f("hostmask(set_masklen({c}, 20))"),
        ),
      ],
      [
        { type: "enum" },
        choice(
          f("{c} < {v}"),
          f("enum_range({c}, NULL)"),
          f("enum_range(NULL, {c})"),
          f("{c}::text"),
          f("{c} >= enum_first({c})"),
        ),
      ],
      [
        { type: "other", comparable: true },
        choice(
          f("{c} = {v}"),
          f("{c} < {v}"),
          f("{c} IS DISTINCT FROM {v}"),
          f("coalesce({c}, {v})"),
          f("{c}::text::{ty}", { ty: columnType("e") }),
          f("to_jsonb({c})"),
          f("length({c}::text)"),
        ),
      ],
    ],
    choice(
      f("{c}::text::{ty}", { ty: columnType("e") }),
      f("coalesce({c}, {v})"),
      f("to_jsonb({c})"),
      f("pg_typeof({c})::text"),
      f("md5({c}::text)"),
    ),
  );
};

/** A condition on column `p` of `a` using its type's operators. */
export const columnTypeCondition = (): Element => {
  const f = overTypedColumn("p");
  return byColumn("p", [
    [
      { type: "number" },
      choice(
        f("{c} > {v}"),
        f("{c} BETWEEN SYMMETRIC {v} AND {v2}", { v2: typedLiteral("p") }),
        f("{c} <> {v}"),
      ),
    ],
    [{ type: "text" }, choice(f("{c} >= {v}"), f("{c} ~* '[aeiou]{{2}}'"), f("{c} ^@ left({v}, 1)"))],
    [{ type: "bool" }, choice(f("{c} IS NOT TRUE"), f("{c}"), f("NOT {c}"))],
    [{ type: ["date", "timestamp", "time", "interval", "enum", "uuid"] }, f("{c} <= {v}")],
    [{ type: "json" }, choice(f("{c} @> {v}"), f("{c} ?| ARRAY['k', 'w', 'color']"))],
    [{ type: "bytea" }, f("{c} <> {v}")],
    [{ type: "inet" }, f("{c} <<= '10.0.0.0/8'::inet")],
    [{ type: "other", comparable: true }, choice(f("{c} <> {v}"), f("{c} >= {v}"))],
  ], f("{c}::text IS NOT NULL"));
};
