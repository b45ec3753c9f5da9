/**
 * `dml_with_functions`: SELECT, INSERT, UPDATE and DELETE over whatever
 * schema it is compiled against, built around PostgreSQL's built-in
 * functions, each applied only to a column whose type it takes:
 *
 * - strings: substr, position, replace, split_part, regexp_replace (and the
 *   PostgreSQL 15 regexp_count/regexp_substr/regexp_like), initcap, lpad,
 *   concat_ws, format, translate, overlay;
 * - math: round, trunc, ceil, floor, abs, mod, power and exp with guarded
 *   arguments, sqrt, ln, greatest/least, width_bucket, gcd, division through
 *   NULLIF;
 * - date/time: date_trunc, extract with the units each type has, age,
 *   make_interval, make_date, date_bin, to_char, justify_*;
 * - conditionals: coalesce, nullif, CASE; aggregates: string_agg, array_agg,
 *   percentile_cont/percentile_disc/mode WITHIN GROUP, count and sum with
 *   FILTER, stddev, bool_and; window functions; casts between types.
 *
 * Values written by INSERT and UPDATE are functions of literals valid for the
 * column (greatest, least, coalesce, CASE, case changes), so they keep the
 * column's range and CHECKs; UPDATE leaves unique columns alone, and DELETE
 * removes only rows that INSERTs added, so the seed rows other rows
 * reference survive. Every statement carries a `unique()` tag.
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  eachColumn,
  eachForeignKeyPair,
  type Element,
  grammar,
  literal,
  maybe,
  number,
  pool,
  ref,
  repeat,
  tableName,
  template,
  unique,
  uniqueLiteral,
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./parts/columns.ts";

const g = grammar("dml_with_functions", {
  description: "Schema-aware SELECT/INSERT/UPDATE/DELETE heavy on built-in functions (string, math, " +
    "date/time, conditional, ordered-set and filtered aggregates, window functions, casts), each typed by " +
    "the column it is applied to; unique by construction.",
  start: "query",
  maxDepth: 10,
});

const tag = template("{u} AS q", { u: unique() });

/** A template over the column reference `{c}` and more parts. */
const on = (c: Element) => (text: string, parts: Record<string, Element> = {}) =>
  template(text, { c, ...parts });

g.rule(
  "query",
  choice([46, ref("select")], [20, ref("insert")], [22, ref("update")], [12, ref("delete")]),
);

// ---------------------------------------------------------------------------
// Value expressions, typed by the column they read

/**
 * An expression over the column bound to `col` (read as `alias.col`): a
 * function that exists for the column's type class, with arguments that
 * keep it from failing on the data (no zero divisors, no negative roots).
 */
function expression(alias: string, col: string): Element {
  const f = on(qualified(alias, col));
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

/** A value expression over one column of `alias`, sometimes wrapped in a conditional. */
const valueRule = (alias: string) => {
  const c = `e_${alias}`;
  const e = expression(alias, c);
  return withColumn(
    c,
    alias,
    {},
    choice(
      [10, e],
      [2, template("coalesce(({e})::text, {d})", { e, d: pool(["'n/a'", "''", "'?'"]) })],
      [
        1,
        template("CASE WHEN {col} IS NULL THEN NULL ELSE ({e})::text END", { col: qualified(alias, c), e }),
      ],
      [1, template("nullif(({e})::text, '')", { e })],
      [1, template("length(({e})::text)", { e })],
    ),
  );
};

g.rule("value_a", valueRule("a"));
g.rule("value_b", valueRule("b"));

// ---------------------------------------------------------------------------
// Predicates with functions

/** A condition on one column of `alias`, built from functions of its type. */
function predicate(alias: string): Element {
  const c = `p_${alias}`;
  const f = on(qualified(alias, c));
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

g.rule("cmp_a", predicate("a"));
g.rule("cmp_b", predicate("b"));
g.rule(
  "pred_a",
  choice([6, ref("cmp_a")], [3, template("{x} AND {y}", { x: ref("cmp_a"), y: ref("pred_a") })], [
    1,
    template("({x} OR {y})", { x: ref("cmp_a"), y: ref("cmp_a") }),
  ]),
);

// ---------------------------------------------------------------------------
// SELECT

const limit = maybe(template(" LIMIT {n}", { n: number(1, 100) }), 0.7);

/** ` ORDER BY` 1–2 orderable columns of `a`, or nothing. */
const orderBy = withColumns(
  "ord",
  "a",
  { min: 1, max: 2, where: { orderable: true } },
  template(" ORDER BY {o}", {
    o: eachColumn(
      "ord",
      "o",
      template("{c}{d}", { c: qualified("a", "o"), d: pool(["", " DESC", " NULLS FIRST"]) }),
    ),
  }),
  "",
);

g.rule(
  "select",
  choice(
    [35, ref("select_values")],
    [25, ref("select_aggregate")],
    [12, ref("select_window")],
    [12, ref("select_join")],
    [6, ref("select_grouping_sets")],
    [5, ref("select_casts")],
    [5, ref("select_constants")],
  ),
);

g.rule(
  "select_values",
  withTable(
    "a",
    template("SELECT {tag}, {vals} FROM {t} AS a{where}{order}{limit}", {
      tag,
      vals: repeat(ref("value_a"), 1, 5, ", "),
      t: tableName("a"),
      where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.8),
      order: maybe(orderBy, 0.5),
      limit,
    }),
  ),
);

/** One aggregate over a column of `a`, typed so the function exists for it. */
const aggregate = choice(
  [3, "count(*)"],
  [
    2,
    template("count(*) FILTER (WHERE {p})", { p: ref("cmp_a") }),
  ],
  [
    3,
    withColumn(
      "ag",
      "a",
      { type: "number" },
      choice(
        template("sum({c})", { c: qualified("a", "ag") }),
        template("round(avg({c})::numeric, 2)", { c: qualified("a", "ag") }),
        template("percentile_cont({f}) WITHIN GROUP (ORDER BY {c})", {
          f: pool(["0.5", "0.25", "0.9"]),
          c: qualified("a", "ag"),
        }),
        template("round(stddev_samp({c})::numeric, 3)", { c: qualified("a", "ag") }),
        template("sum({c}) FILTER (WHERE {p})", { c: qualified("a", "ag"), p: ref("cmp_a") }),
        template("max({c}) - min({c})", { c: qualified("a", "ag") }),
        template("(array_agg({c} ORDER BY {c2} DESC NULLS LAST))[1]", {
          c: qualified("a", "ag"),
          c2: qualified("a", "ag"),
        }),
      ),
      "count(*)",
    ),
  ],
  [
    2,
    withColumn(
      "ag",
      "a",
      { type: "text" },
      choice(
        template("string_agg({c}, ', ' ORDER BY {c2})", {
          c: qualified("a", "ag"),
          c2: qualified("a", "ag"),
        }),
        template("string_agg(DISTINCT left({c}, 3), '/')", { c: qualified("a", "ag") }),
        template("array_agg({c} ORDER BY {c2}) FILTER (WHERE {c3} IS NOT NULL)", {
          c: qualified("a", "ag"),
          c2: qualified("a", "ag"),
          c3: qualified("a", "ag"),
        }),
        template("max(length({c}))", { c: qualified("a", "ag") }),
        template("mode() WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
      ),
      "count(*)",
    ),
  ],
  [
    2,
    withColumn(
      "ag",
      "a",
      { type: "temporal" },
      choice(
        template("min({c})", { c: qualified("a", "ag") }),
        template("max({c})", { c: qualified("a", "ag") }),
        template("percentile_disc(0.5) WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
        template("count(DISTINCT {c})", { c: qualified("a", "ag") }),
      ),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "ag",
      "a",
      { type: "interval" },
      choice(
        template("avg({c})", { c: qualified("a", "ag") }),
        template("sum({c})", { c: qualified("a", "ag") }),
        template("percentile_cont(0.5) WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
      ),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "ag",
      "a",
      { type: "bool" },
      template("{f}({c})", { f: pool(["bool_and", "bool_or", "every"]), c: qualified("a", "ag") }),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "ag",
      "a",
      { type: ["integer", "numeric", "date", "uuid", "enum", "bool"] },
      template("array_length(array_agg(DISTINCT {c}), 1)", { c: qualified("a", "ag") }),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "ag",
      "a",
      { comparable: true },
      template("count(DISTINCT {c})", { c: qualified("a", "ag") }),
      "count(*)",
    ),
  ],
);

g.rule(
  "select_aggregate",
  withTable(
    "a",
    withColumns(
      "grp",
      "a",
      { min: 1, max: 2, where: { comparable: true } },
      template("SELECT {tag}, {g}, {aggs} FROM {t} AS a{where} GROUP BY {g2}{having} ORDER BY {g3}{limit}", {
        tag,
        g: eachColumn("grp", "gc", qualified("a", "gc")),
        aggs: repeat(aggregate, 1, 4, ", "),
        t: tableName("a"),
        where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
        g2: eachColumn("grp", "gc", qualified("a", "gc")),
        having: maybe(
          template(" HAVING count(*) {op} {n}", { op: pool([">", ">=", "<"]), n: number(0, 5) }),
          0.3,
        ),
        g3: eachColumn("grp", "gc", qualified("a", "gc")),
        limit,
      }),
      template("SELECT {tag}, {aggs} FROM {t} AS a", {
        tag,
        aggs: repeat(aggregate, 1, 4, ", "),
        t: tableName("a"),
      }),
    ),
  ),
);

g.rule(
  "select_window",
  withTable(
    "a",
    withColumn(
      "w",
      "a",
      { orderable: true },
      template("SELECT {tag}, {v}, {win} FROM {t} AS a{where}{limit}", {
        tag,
        v: ref("value_a"),
        win: choice(
          template("row_number() OVER (ORDER BY {c})", { c: qualified("a", "w") }),
          template("rank() OVER (ORDER BY {c} DESC)", { c: qualified("a", "w") }),
          template("dense_rank() OVER (ORDER BY {c})", { c: qualified("a", "w") }),
          template("lag({c}) OVER (ORDER BY {c2})", { c: qualified("a", "w"), c2: qualified("a", "w") }),
          template("lead({c}, 2) OVER (ORDER BY {c2})", { c: qualified("a", "w"), c2: qualified("a", "w") }),
          template("first_value({c}) OVER (ORDER BY {c2} ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)", {
            c: qualified("a", "w"),
            c2: qualified("a", "w"),
          }),
          template("ntile({n}) OVER (ORDER BY {c})", { n: number(2, 5), c: qualified("a", "w") }),
          template("round((percent_rank() OVER (ORDER BY {c}))::numeric, 3)", { c: qualified("a", "w") }),
          template("count(*) OVER (PARTITION BY {c})", { c: qualified("a", "w") }),
          withColumn(
            "wn",
            "a",
            { type: "number" },
            template("sum({n}) OVER (ORDER BY {c} ROWS UNBOUNDED PRECEDING)", {
              n: qualified("a", "wn"),
              c: qualified("a", "w"),
            }),
            template("count({c}) OVER ()", { c: qualified("a", "w") }),
          ),
        ),
        t: tableName("a"),
        where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
        limit,
      }),
      template("SELECT {tag}, {v} FROM {t} AS a LIMIT 5", { tag, v: ref("value_a"), t: tableName("a") }),
    ),
  ),
);

const joinOn = eachForeignKeyPair(
  "fk",
  "fk_child",
  "fk_parent",
  template("a.{c} = b.{p}", { c: columnName("fk_child"), p: columnName("fk_parent") }),
);

g.rule(
  "select_join",
  withTable(
    "a",
    withForeignKey(
      "fk",
      "a",
      "b",
      template("SELECT {tag}, {va}, {vb} FROM {ta} AS a {jt} {tb} AS b ON {on} WHERE {p}{limit}", {
        tag,
        va: repeat(ref("value_a"), 1, 3, ", "),
        vb: repeat(ref("value_b"), 1, 3, ", "),
        ta: tableName("a"),
        jt: pool(["JOIN", "LEFT JOIN"]),
        tb: tableName("b"),
        on: joinOn,
        p: choice(ref("cmp_a"), ref("cmp_b"), template("{x} AND {y}", { x: ref("cmp_a"), y: ref("cmp_b") })),
        limit,
      }),
      ref("select_values"),
    ),
    { hasForeignKey: true },
    ref("select_values"),
  ),
);

g.rule(
  "select_grouping_sets",
  withTable(
    "a",
    withColumns(
      "grp",
      "a",
      { min: 2, max: 2, where: { comparable: true } },
      template(
        "SELECT {tag}, {g}, grouping({g2}) AS grp, {agg} FROM {t} AS a GROUP BY {kind} ({g3}){limit}",
        {
          tag,
          g: eachColumn("grp", "gc", qualified("a", "gc")),
          g2: eachColumn("grp", "gc", qualified("a", "gc")),
          agg: aggregate,
          t: tableName("a"),
          kind: pool(["ROLLUP", "CUBE"]),
          g3: eachColumn("grp", "gc", qualified("a", "gc")),
          limit,
        },
      ),
      ref("select_aggregate"),
    ),
  ),
);

/** Casts from the column's type to others it converts to. */
const castOf = (col: string) => {
  const f = on(qualified("a", col));
  return byColumn(col, [
    [
      { type: "integer" },
      choice(
        f("{c}::numeric(30,2)"),
        f("{c}::float8"),
        f("{c}::text"),
        f("CAST({c} AS bigint)"),
        f("({c} % 2 = 0)::text"),
      ),
    ],
    [
      { type: ["numeric", "float"] },
      choice(f("{c}::float8"), f("{c}::numeric"), f("round({c})::bigint"), f("{c}::text")),
    ],
    [
      { type: "text" },
      choice(
        f("{c}::varchar(8)"),
        f("CAST({c} AS char(4))"),
        f("left(nullif(regexp_replace({c}, '[^0-9]', '', 'g'), ''), 9)::integer"),
        f("length({c})::text::integer"),
        f("convert_to({c}, 'UTF8')"),
      ),
    ],
    [
      { type: "date" },
      choice(
        f("{c}::timestamp"),
        f("{c}::timestamptz"),
        f("{c}::text"),
        f("to_char({c}, 'YYYYMMDD')::integer"),
      ),
    ],
    [
      { type: "timestamp" },
      choice(f("{c}::date"), f("{c}::time"), f("{c}::timestamptz"), f("{c}::timestamp(0)"), f("{c}::text")),
    ],
    [{ type: "time" }, choice(f("{c}::text"), f("{c}::interval"), f("{c}::time(0)"))],
    [{ type: "interval" }, choice(f("{c}::text"), f("{c}::time"), f("extract(epoch FROM {c})::bigint"))],
    [{ type: "bool" }, choice(f("{c}::int"), f("{c}::text"), f("{c}::text::boolean"))],
    [{ type: "uuid" }, choice(f("{c}::text"), f("{c}::text::uuid"))],
    [{ type: "json" }, choice(f("{c}::text"), f("{c}::json"), f("({c} ->> 'k')::text"))],
    [{ type: "inet" }, choice(f("{c}::text"), f("{c}::cidr"), f("host({c})::inet"))],
    [{ type: "enum" }, f("{c}::text")],
  ], f("{c}::text"));
};

g.rule(
  "select_casts",
  withTable(
    "a",
    template("SELECT {tag}, {casts} FROM {t} AS a{where} LIMIT {n}", {
      tag,
      casts: repeat(withColumn("cast_c", "a", {}, castOf("cast_c")), 1, 4, ", "),
      t: tableName("a"),
      where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
      n: number(1, 50),
    }),
  ),
);

g.rule(
  "select_constants",
  withTable(
    "a",
    template("SELECT {tag}, {e}, (SELECT count(*) FROM {t}) AS n", {
      tag,
      e: repeat(
        pool([
          "make_interval(days => 3, hours => 4)",
          "make_date(2024, 2, 29)",
          "make_timestamp(2023, 12, 31, 23, 59, 59.5)",
          "to_date('2024-03-15', 'YYYY-MM-DD')",
          "to_number('12,345.6', '99G999D9')",
          "to_char(1234567.891, 'FM9G999G999D00')",
          "format('%s-%s', 'a', 42)",
          "concat_ws(', ', 'x', NULL, 'z')",
          "initcap('hello world')",
          "lpad('7', 3, '0')",
          "split_part('a.b.c', '.', 2)",
          "power(2, 10)",
          "round(42.4382, 2)",
          "greatest(1, 5, 3)",
          "nullif(1, 1)",
          "coalesce(NULL, 'fallback')",
          "justify_days(interval '45 days')",
          "age(timestamp '2024-01-01', timestamp '2020-06-15')",
          "date_trunc('quarter', timestamp '2024-05-17 10:00')",
          "extract(isodow FROM date '2024-05-19')",
          "'42'::integer + 1",
          "CAST('3.14' AS numeric(4,2))",
          "'2024-01-01'::date + 30",
          "mod(-7, 3)",
          "gcd(12, 18)",
          "lcm(4, 6)",
          "regexp_replace('2024-05-17', '(\\d+)-(\\d+)-(\\d+)', '\\3/\\2/\\1')",
        ]),
        1,
        4,
        ", ",
      ),
      t: tableName("a"),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Values for INSERT and UPDATE: functions of valid literals that stay valid

/**
 * A value for the column bound to `col`: its literal, or a function of
 * literals that returns one of them (or the same text in another case), so
 * the column's range and CHECKs still hold.
 */
function writeValue(col: string): Element {
  const v = typedLiteral(col);
  const w = typedLiteral(col);
  return byColumn(col, [
    [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral(col)],
    [{ primaryKey: true }, literal(col)],
    [{ unique: true, uniqueCapable: true }, uniqueLiteral(col)],
    [{ unique: true }, literal(col)],
    [
      { type: ["number", "date", "timestamp", "time", "interval"] },
      choice(
        [4, literal(col)],
        [1, template("greatest({v}, {w})", { v, w })],
        [1, template("least({v}, {w})", { v, w })],
        [1, template("coalesce(NULL, {v})", { v })],
        [1, template("CASE WHEN {n} % 2 = 0 THEN {v} ELSE {w} END", { n: number(0, 9), v, w })],
      ),
    ],
    [
      { type: "text" },
      choice(
        [4, literal(col)],
        [1, template("upper({v})", { v })],
        [1, template("lower({v})", { v })],
        [1, template("coalesce({v}, {w})", { v, w })],
      ),
    ],
    [{ type: "bool" }, choice([3, literal(col)], [1, template("NOT {v}", { v })])],
    [{ type: "uuid", nullable: true }, choice(literal(col), "gen_random_uuid()")],
  ], literal(col));
}

g.rule("write_value", writeValue("w"));

/** `RETURNING` with the tag and function expressions over the written row. */
const returning = template(" RETURNING {tag}{more}", {
  tag,
  more: maybe(template(", {vals}", { vals: repeat(ref("value_a"), 1, 3, ", ") }), 0.6),
});

g.rule(
  "insert",
  withTable(
    "a",
    withColumns(
      "ins",
      "a",
      { min: 0, max: 12, required: true, where: { generated: false } },
      template("INSERT INTO {t} AS a ({cols}) VALUES {rows}{conflict}{ret}", {
        t: tableName("a"),
        cols: eachColumn("ins", "w", columnName("w")),
        rows: repeat(template("({v})", { v: eachColumn("ins", "w", ref("write_value")) }), 1, 3, ", "),
        conflict: maybe(" ON CONFLICT DO NOTHING", 0.4),
        ret: returning,
      }),
      template("INSERT INTO {t} AS a DEFAULT VALUES{ret}", { t: tableName("a"), ret: returning }),
    ),
  ),
);

/**
 * A new value for the column `u` computed from its current value, by
 * functions that keep it within what the column held (so CHECKs hold).
 */
const recompute = (() => {
  const f = on(qualified("a", "u"));
  const v = typedLiteral("u");
  return byColumn("u", [
    [
      { type: ["number", "date", "timestamp", "time", "interval"] },
      choice(
        f("greatest({c}, {v})", { v }),
        f("least({c}, {v})", { v }),
        f("coalesce({c}, {v})", { v }),
        f("CASE WHEN {c} > {v} THEN {v2} ELSE {c} END", { v, v2: v }),
      ),
    ],
    [
      { type: "text" },
      choice(
        f("upper({c})"),
        f("lower({c})"),
        f("initcap({c})"),
        f("coalesce({c}, {v})", { v }),
        f("translate({c}, 'ae', 'AE')"),
      ),
    ],
    [{ type: "bool" }, choice(f("NOT {c}"), f("coalesce({c}, false)"))],
    [{ type: "enum" }, choice(f("enum_first({c})"), f("enum_last({c})"), f("coalesce({c}, {v})", { v }))],
    [{ type: "json" }, choice(f("jsonb_strip_nulls({c})"), f("coalesce({c}, '{{}}'::jsonb)"))],
    [{ type: "bytea" }, f("substring({c} FROM 1 FOR 64)")],
    [{ type: "inet" }, f("host({c})::inet")],
  ], literal("u"));
})();

g.rule(
  "update",
  withTable(
    "a",
    withColumns(
      "upd",
      "a",
      // Not unique columns: an UPDATE of several rows would give them one value.
      { min: 1, max: 3, where: { primaryKey: false, generated: false, unique: false } },
      template("UPDATE {t} AS a SET {s} WHERE {p}{ret}", {
        t: tableName("a"),
        s: eachColumn(
          "upd",
          "u",
          template("{c} = {v}", { c: columnName("u"), v: choice([2, recompute], [1, writeValue("u")]) }),
        ),
        p: ref("pred_a"),
        ret: returning,
      }),
      template("SELECT {tag} FROM {t} AS a LIMIT 0", { tag, t: tableName("a") }),
    ),
  ),
);

/**
 * DELETE of a few matching rows that INSERTs added: their keys are unique
 * values, far above the seed rows' keys, so `a.key > <unique value>` never
 * matches a seed row. The seed rows that other rows reference survive a long
 * run, and child INSERTs keep finding their parents. `source` is the FROM
 * clause of the subquery choosing the rows, `where` its extra condition.
 */
const deleteAdded = (source: Element, where: Element) =>
  withColumn(
    "pk_c",
    "a",
    { primaryKey: true, uniqueCapable: true },
    template(
      "DELETE FROM {t} AS a WHERE a.{k} IN (SELECT a.{k2} FROM {src} WHERE a.{k3} > {u} AND {p} ORDER BY a.{k4} LIMIT {n}){ret}",
      {
        t: tableName("a"),
        k: columnName("pk_c"),
        k2: columnName("pk_c"),
        src: source,
        k3: columnName("pk_c"),
        u: uniqueLiteral("pk_c"),
        p: where,
        k4: columnName("pk_c"),
        n: number(1, 5),
        ret: returning,
      },
    ),
    // No key that holds unique values: a narrow DELETE of rows matching two conditions.
    template("DELETE FROM {t} AS a WHERE {p} AND {p2}{ret}", {
      t: tableName("a"),
      p: ref("cmp_a"),
      p2: ref("cmp_a"),
      ret: returning,
    }),
  );

g.rule(
  "delete",
  withTable(
    "a",
    choice(
      [4, deleteAdded(template("{t} AS a", { t: tableName("a") }), ref("pred_a"))],
      [
        1,
        withForeignKey(
          "fk",
          "a",
          "b",
          deleteAdded(
            template("{ta} AS a JOIN {tb} AS b ON {on}", {
              ta: tableName("a"),
              tb: tableName("b"),
              on: joinOn,
            }),
            template("{x} AND {y}", { x: ref("cmp_b"), y: ref("cmp_a") }),
          ),
          deleteAdded(template("{t} AS a", { t: tableName("a") }), ref("pred_a")),
        ),
      ],
    ),
  ),
);

export default g;
