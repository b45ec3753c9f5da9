/**
 * Value expressions over one bound column built from PostgreSQL's built-in
 * functions, chosen by the column's type class (string, math, date/time,
 * bool, uuid, json, bytea, inet and enum functions), with arguments that keep
 * them from failing on the data (no zero divisors, no negative roots).
 *
 * @module
 */
import { byColumn, choice, type Element, number, pool } from "../../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./columns.ts";
import { overColumn } from "./column_templates.ts";

/**
 * An expression over the column bound to `col` (read as `alias.col`): a
 * function that exists for the column's type class, with arguments that
 * keep it from failing on the data (no zero divisors, no negative roots).
 */
export function typedFunctionExpression(alias: string, col: string): Element {
  const f = overColumn(qualified(alias, col));
  const v = typedLiteral(col);
  return byColumn(
    col,
    [
      [
        { type: "text" },
        choice(
          f("substr({c}, {s}, {n})", { s: number(1, 6), n: number(0, 12) }),
          f("position({p} IN {c})", { p: pool(["'a'", "'e'", "' '", "'an'"]) }),
          f("replace({c}, {x}, {y})", { x: pool(["'a'", "'e'", "' '"]), y: pool(["'4'", "'_'", "''"]) }),
          f("split_part({c}, ' ', {n})", { n: number(1, 3) }),
          f("regexp_replace({c}, {re}, {r}, 'g')", {
            re: pool(["'[aeiou]'", "'\\s+'", "'[^a-zA-Z]'", "'(\\w)(\\w*)'"]),
            r: pool(["''", "'-'", "'\\2\\1'"]),
          }),
          f("initcap({c})"),
          f("lpad({c}, {n}, {p})", { n: number(0, 24), p: pool(["'*'", "'0'", "'.-'"]) }),
          f("rpad(left({c}, 10), 12, '.')"),
          f("concat_ws({sep}, {c}, length({c}), upper(left({c}, 1)))", {
            sep: pool(["' | '", "'-'", "','"]),
          }),
          f("format('%s (%s chars)', {c}, char_length({c}))"),
          f("format('%I', coalesce({c}, ''))"),
          f("translate({c}, 'aeiou', 'AEIOU')"),
          f("overlay({c} PLACING '**' FROM {s} FOR {n})", { s: number(1, 5), n: number(0, 3) }),
          f("btrim({c}, ' .')"),
          f("reverse({c})"),
          f("md5({c})"),
          f("quote_literal({c})"),
          f("regexp_count({c}, {re})", { re: pool(["'[aeiou]'", "'\\s'", "'e'"]) }),
          f("regexp_substr({c}, '[A-Za-z]+')"),
          f("coalesce(nullif({c}, ''), '(empty)')"),
          f("left({c}, {n}) || right({c}, {m})", { n: number(0, 4), m: number(0, 4) }),
          f("upper({c}) || lower({c})"),
          f("array_to_string(string_to_array({c}, ' '), '_')"),
          f("starts_with({c}, {p})", { p: pool(["'A'", "'S'", "'M'", "'a'"]) }),
          f("ascii({c})"),
          f("to_hex(length({c}))"),
        ),
      ],
      [
        { type: "integer" },
        choice(
          f("abs({c})"),
          f("mod({c}, {n})", { n: number(2, 13) }),
          f("{c} % {n}", { n: number(2, 13) }),
          f("gcd({c}, {n})", { n: number(2, 360) }),
          f("power(2::numeric, mod(abs({c}), 20))"),
          f("sqrt(abs({c}))"),
          f("round({c}::numeric / {n}, 2)", { n: number(3, 17) }),
          f("width_bucket({c}::numeric, 0, {hi}, {n})", {
            hi: pool(["10", "100", "1000", "100000"]),
            n: number(2, 12),
          }),
          f("greatest({c}, {v})", { v }),
          f("least({c}, {v})", { v }),
          f("{c}::numeric * {n}", { n: number(2, 9) }),
          f("to_char({c}, 'FM999G999G999')"),
          f("{c}::text || '#'"),
          f("{c}::float8 / NULLIF({c}::float8, 0)"),
        ),
      ],
      [
        { type: "numeric" },
        choice(
          f("round({c}, {n})", { n: number(0, 3) }),
          f("trunc({c}, {n})", { n: number(0, 2) }),
          f("ceil({c})"),
          f("floor({c})"),
          f("abs({c})"),
          f("mod({c}, {n})", { n: number(2, 13) }),
          f("power(abs({c}), 0.5)"),
          f("ln(abs({c}) + 1)"),
          f("log(10, abs({c}) + 1)"),
          f("greatest({c}, {v})", { v }),
          f("least({c}, {v})", { v }),
          f("{c} / NULLIF(round({c}), 0)"),
          f("to_char({c}, 'FM999999990.00')"),
          f("scale({c})"),
          f("trim_scale({c})"),
          f("sign({c}) * sqrt(abs({c}))"),
          f("width_bucket({c}, 0, {hi}, {n})", { hi: pool(["10", "1000", "100000"]), n: number(2, 12) }),
        ),
      ],
      [
        { type: "float" },
        choice(
          f("round({c}::numeric, {n})", { n: number(0, 3) }),
          f("trunc({c})"),
          f("ceil({c})"),
          f("floor({c})"),
          f("abs({c})"),
          f("mod({c}::numeric, {n})", { n: number(2, 13) }),
          f("power(abs({c}), {e})", { e: pool(["0.5", "2", "1.5"]) }),
          f("exp(least(greatest({c}, -20), 20))"),
          f("ln(abs({c}) + 1)"),
          f("cbrt({c})"),
          f("greatest({c}, {v})", { v }),
          f("least({c}, {v})", { v }),
          f("{c} / NULLIF({c} - 1, 0)"),
          f("to_char({c}, 'FM9999990.000')"),
          f("degrees(atan({c}))"),
        ),
      ],
      [
        { type: "date" },
        choice(
          f("date_trunc({u}, {c})", { u: pool(["'year'", "'quarter'", "'month'", "'week'", "'day'"]) }),
          f("extract({u} FROM {c})", {
            u: pool(["year", "month", "day", "dow", "doy", "quarter", "week", "epoch"]),
          }),
          f("age({c})"),
          f("age({c}, {v})", { v }),
          f("{c} + {n}", { n: number(-30, 30) }),
          f("{c} - {v}", { v }),
          f("{c} + make_interval(days => {n})", { n: number(0, 90) }),
          f("to_char({c}, {fmt})", { fmt: pool(["'YYYY-MM-DD'", "'Dy DD Mon YYYY'", "'IYYY-IW'", "'Q'"]) }),
          f("make_date(extract(year FROM {c})::int, 1, 1)"),
          f("greatest({c}, {v})", { v }),
          f("isfinite({c})"),
          f("{c}::timestamp + make_interval(hours => {n})", { n: number(0, 48) }),
        ),
      ],
      [
        { type: "timestamp" },
        choice(
          f("date_trunc({u}, {c})", { u: pool(["'year'", "'month'", "'day'", "'hour'", "'minute'"]) }),
          f("extract({u} FROM {c})", {
            u: pool(["year", "month", "day", "hour", "minute", "dow", "epoch", "isodow"]),
          }),
          f("date_part('hour', {c})"),
          f("age({c})"),
          f("age({c}, {v})", { v }),
          f("{c} + make_interval(days => {d}, hours => {h})", { d: number(0, 30), h: number(0, 23) }),
          f("{c} - interval '{n} hours'", { n: number(1, 72) }),
          f("to_char({c}, {fmt})", {
            fmt: pool(["'YYYY-MM-DD HH24:MI'", "'HH12:MI AM'", "'Day'", "'YYYY\"Q\"Q'"]),
          }),
          f("date_bin(interval '{n} minutes', {c}, {o})", { n: pool(["5", "15", "60"]), o: v }),
          f("{c}::date"),
          f("{c}::time"),
          f("greatest({c}, {v})", { v }),
          f("least({c}, {v}) - {c}", { v }),
        ),
      ],
      [
        { type: "time" },
        choice(
          f("extract({u} FROM {c})", { u: pool(["hour", "minute", "second", "epoch"]) }),
          f("{c} + interval '{n} minutes'", { n: number(1, 600) }),
          f("{c} - {v}", { v }),
          f("to_char(date '2024-01-01' + {c}, 'HH24:MI')"),
          f("date_trunc('hour', date '2024-01-01' + {c})::time"),
          f("greatest({c}, {v})", { v }),
        ),
      ],
      [
        { type: "interval" },
        choice(
          f("extract({u} FROM {c})", { u: pool(["epoch", "day", "hour", "minute"]) }),
          f("date_trunc({u}, {c})", { u: pool(["'day'", "'hour'", "'minute'"]) }),
          f("justify_hours({c})"),
          f("justify_interval({c} * {n})", { n: number(2, 5) }),
          f("{c} / {n}", { n: number(2, 7) }),
          f("{c} + make_interval(mins => {n})", { n: number(1, 120) }),
          f("to_char({c}, 'HH24:MI:SS')"),
          f("greatest({c}, {v})", { v }),
        ),
      ],
      [
        { type: "bool" },
        choice(
          f("CASE WHEN {c} THEN 'yes' WHEN NOT {c} THEN 'no' ELSE 'unknown' END"),
          f("{c}::int"),
          f("coalesce({c}, false)"),
          f("NOT {c}"),
          f("{c}::text"),
        ),
      ],
      [
        { type: "uuid" },
        choice(
          f("{c}::text"),
          f("upper(replace({c}::text, '-', ''))"),
          f("left({c}::text, 8)"),
          f("md5({c}::text)"),
        ),
      ],
      [
        { type: "json" },
        choice(
          f("jsonb_typeof({c})"),
          f("coalesce({c} ->> {k}, '-')", { k: pool(["'color'", "'size'", "'k'", "'status'"]) }),
          f("{c}::text"),
          f("length({c}::text)"),
        ),
      ],
      [
        { type: "bytea" },
        choice(
          f("length({c})"),
          f("md5({c})"),
          f("encode({c}, {e})", { e: pool(["'hex'", "'base64'", "'escape'"]) }),
          f("substring({c} FROM 1 FOR {n})", { n: number(1, 4) }),
          f("CASE WHEN length({c}) > 0 THEN get_byte({c}, 0) END"),
        ),
      ],
      [
        { type: "inet" },
        choice(
          f("host({c})"),
          f("masklen({c})"),
          f("family({c})"),
          f("network(set_masklen({c}, 24))"),
          f("abbrev({c})"),
          f("text({c})"),
        ),
      ],
      [
        { type: "enum" },
        choice(
          f("{c}::text"),
          f("enum_first({c})"),
          f("enum_last({c})"),
          f("array_position(enum_range({c}), {c})"),
          f("upper({c}::text)"),
        ),
      ],
    ],
    choice(
      f("{c}::text"),
      f("length({c}::text)"),
      f("coalesce({c}::text, '(null)')"),
      f("pg_typeof({c})::text"),
    ),
  );
}
