/**
 * `postgresql15_types`: PostgreSQL's type system as of version 15, over
 * whatever schema it is compiled against.
 *
 * - Per column type class, the operators and functions of that type, on
 *   columns and on literals of the column's type (`{literal}::{type}`).
 * - Values of the types a schema may lack, built from its columns or from
 *   typed literals: arrays and their operators (`@> <@ && || = ANY`) and
 *   functions; ranges (`@> && << >> -|- *`, range_merge) and multiranges
 *   (PostgreSQL 14+: `+ - *`, range_agg, unnest); bit strings
 *   (`& | # ~ << >>`, bit_count); tsvector/tsquery with `@@`; money;
 *   points, boxes, circles and segments with the geometric operators;
 *   inet/cidr containment and arithmetic; interval arithmetic; numeric
 *   precision, scale (including PostgreSQL 15's negative scale), NaN and
 *   Infinity.
 * - Casts between types. Columns of class "other" (arrays, ranges, bit
 *   strings, money, points, composites…) get only what works for every such
 *   type: text round trips through `columnType`, to_jsonb, and `=`/`<`
 *   where the type is comparable.
 *
 * Mostly SELECTs, plus UPDATEs and INSERTs that write typed literals. Every
 * statement carries a `unique()` tag.
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  columnType,
  eachColumn,
  type Element,
  grammar,
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
  withTable,
} from "../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./parts/columns.ts";
import { groupedAggregates } from "./parts/grouped_aggregates.ts";

const g = grammar("postgresql15_types", {
  description: "PostgreSQL 15's type system over the schema: per type class operators and functions on " +
    "columns and typed literals; arrays, ranges, multiranges, bit strings, tsvector/tsquery, money, geometry, " +
    "inet/cidr, intervals and numeric precision; casts, with columnType for the schema's other types.",
  start: "query",
  maxDepth: 10,
});

const tag = template("{u} AS q", { u: unique() });

/** `a.column` for the column bound to `col`. */
const qa = (col: string) => qualified("a", col);

/** A template over the column reference `{c}` (and `{v}`, a typed literal of its type) and more parts. */
const on = (col: string) => (text: string, parts: Record<string, Element> = {}) => {
  const all: Record<string, Element> = { ...parts };
  if (text.includes("{c}")) all.c = qa(col);
  if (text.includes("{v}")) all.v = typedLiteral(col);
  return template(text, all);
};

g.rule(
  "query",
  choice(
    [35, ref("select_columns")],
    [28, ref("select_constructed")],
    [12, ref("select_literals")],
    [12, ref("select_aggregates")],
    [5, ref("select_casts")],
    [8, ref("write")],
  ),
);

// ---------------------------------------------------------------------------
// Operators and functions of each column type class

/** An expression over column `e` of `a`, using its type's operators and functions. */
const columnExpression = (() => {
  const f = on("e");
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
})();

g.rule("column_expression", withColumn("e", "a", {}, columnExpression));

/** A condition on column `p` of `a` using its type's operators. */
const columnPredicate = (() => {
  const f = on("p");
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
})();

g.rule("predicate", withColumn("p", "a", {}, columnPredicate));

g.rule(
  "select_columns",
  withTable(
    "a",
    template("SELECT {tag}, {exprs} FROM {t} AS a{where}{limit}", {
      tag,
      exprs: repeat(ref("column_expression"), 1, 4, ", "),
      t: tableName("a"),
      where: maybe(
        template(" WHERE {p}", {
          p: choice([3, ref("predicate")], [
            1,
            template("{x} AND {y}", { x: ref("predicate"), y: ref("predicate") }),
          ]),
        }),
        0.7,
      ),
      limit: maybe(template(" LIMIT {n}", { n: number(1, 50) }), 0.6),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Types the schema may lack, built from its columns

/** An array of the column `e`'s type: the column with a typed literal. */
const arrayOf = template("ARRAY[{c}, {v}]::{ty}[]", {
  c: qa("e"),
  v: typedLiteral("e"),
  ty: columnType("e"),
});

const arrays = withColumn(
  "e",
  "a",
  { type: ["integer", "numeric", "text", "date", "uuid", "bool", "timestamp", "interval"] },
  choice(
    template("{arr} @> ARRAY[{c}]", { arr: arrayOf, c: qa("e") }),
    template("ARRAY[{c}] <@ {arr}", { arr: arrayOf, c: qa("e") }),
    template("{arr} && {arr2}", { arr: arrayOf, arr2: arrayOf }),
    template("{arr} || {v}", { arr: arrayOf, v: typedLiteral("e") }),
    template("{c} = ANY ({arr})", { c: qa("e"), arr: arrayOf }),
    template("{c} <> ALL ({arr})", { c: qa("e"), arr: arrayOf }),
    template("array_length({arr}, 1)", { arr: arrayOf }),
    template("cardinality(array_remove({arr}, {c}))", { arr: arrayOf, c: qa("e") }),
    template("array_position({arr}, {c})", { arr: arrayOf, c: qa("e") }),
    template("array_to_string({arr}, '|', '*')", { arr: arrayOf }),
    template("array_dims(array_cat({arr}, {arr2}))", { arr: arrayOf, arr2: arrayOf }),
    template("trim_array({arr}, 1)", { arr: arrayOf }),
    template("array_fill({c}, ARRAY[{n}])", { c: qa("e"), n: number(1, 4) }),
    template("(array_append({arr}, {v}))[{i}]", { arr: arrayOf, v: typedLiteral("e"), i: number(1, 3) }),
    template("array_upper(array_prepend({c}, {arr}), 1)", { c: qa("e"), arr: arrayOf }),
  ),
  "ARRAY[1, 2, 3] @> ARRAY[2]",
);

/** A range over column `e`, for the classes that have a range type. */
const rangeOf = byColumn(
  "e",
  [
    [
      { type: ["integer", "numeric", "float"] },
      template("numrange({c}::numeric, {c2}::numeric + {n})", {
        c: qa("e"),
        c2: qa("e"),
        n: number(1, 50),
      }),
    ],
    [{ type: "date" }, template("daterange({c}, {c2} + {n})", { c: qa("e"), c2: qa("e"), n: number(1, 60) })],
  ],
  template("tstzrange({c}, {c2} + interval '{n} days', '[]')", { c: qa("e"), c2: qa("e"), n: number(1, 30) }),
);

/**
 * Another range of the same kind, from literals of the column's type. Two
 * literals are independent values, so a bounded range orders them first
 * (`least`/`greatest` over one VALUES row); the others are half-unbounded.
 */
const rangeLit = (() => {
  const bounded = (ctor: string, cast: string) =>
    template(
      `(SELECT ${ctor}(least(x, y), greatest(x, y)) FROM (VALUES ({v}${cast}, {w}${cast})) AS l(x, y))`,
      {
        v: typedLiteral("e"),
        w: typedLiteral("e"),
      },
    );
  const unbounded = (ctor: string, cast: string) =>
    choice(
      template(`${ctor}({v}${cast}, NULL)`, { v: typedLiteral("e") }),
      template(`${ctor}(NULL, {v}${cast}, '(]')`, { v: typedLiteral("e") }),
    );
  const of = (ctor: string, cast: string) => choice([2, bounded(ctor, cast)], [1, unbounded(ctor, cast)]);
  return byColumn("e", [
    [{ type: ["integer", "numeric", "float"] }, of("numrange", "::numeric")],
    [{ type: "date" }, of("daterange", "")],
  ], of("tstzrange", "::timestamptz"));
})();

/** The multirange type matching {@link rangeOf}. */
const multirangeOf = byColumn("e", [
  [
    { type: ["integer", "numeric", "float"] },
    template("nummultirange({r}, {r2})", { r: rangeOf, r2: rangeLit }),
  ],
  [{ type: "date" }, template("datemultirange({r}, {r2})", { r: rangeOf, r2: rangeLit })],
], template("tstzmultirange({r}, {r2})", { r: rangeOf, r2: rangeLit }));

/** An element of the range's subtype. */
const elementOf = byColumn("e", [
  [{ type: ["integer", "numeric", "float"] }, template("{c}::numeric", { c: qa("e") })],
  [{ type: "date" }, qa("e")],
], template("{c}::timestamptz", { c: qa("e") }));

const ranges = withColumn(
  "e",
  "a",
  // Each (non-NULL) value is below its upper bound: the ranges are never empty or inverted.
  { type: ["integer", "numeric", "date", "timestamp"] },
  choice(
    template("{r} @> {x}", { r: rangeOf, x: elementOf }),
    template("{r} && {r2}", { r: rangeOf, r2: rangeLit }),
    template("{r} << {r2}", { r: rangeOf, r2: rangeLit }),
    template("{r} >> {r2}", { r: rangeOf, r2: rangeLit }),
    template("{r} &< {r2}", { r: rangeOf, r2: rangeLit }),
    template("{r} -|- {r2}", { r: rangeOf, r2: rangeLit }),
    template("{r} * {r2}", { r: rangeOf, r2: rangeLit }),
    template("range_merge({r}, {r2})", { r: rangeOf, r2: rangeLit }),
    template("upper({r}) - lower({r2})", { r: rangeOf, r2: rangeOf }),
    template("isempty({r} * {r2})", { r: rangeOf, r2: rangeLit }),
    template("lower_inc({r}) AND NOT upper_inf({r2})", { r: rangeOf, r2: rangeLit }),
    template("{m} + multirange({r})", { m: multirangeOf, r: rangeLit }),
    template("{m} - multirange({r})", { m: multirangeOf, r: rangeOf }),
    template("{m} * multirange({r})", { m: multirangeOf, r: rangeLit }),
    template("{m} @> {x}", { m: multirangeOf, x: elementOf }),
    template("{m} && {r}", { m: multirangeOf, r: rangeLit }),
    template("upper({m})", { m: multirangeOf }),
  ),
  "int4range(1, 10) @> 5",
);

const bits = withColumn(
  "e",
  "a",
  { type: "integer" },
  choice(
    template("({c} % 256)::int::bit(8) & B'10101010'", { c: qa("e") }),
    template("({c} % 256)::int::bit(8) | B'00001111'", { c: qa("e") }),
    template("({c} % 256)::int::bit(8) # B'11111111'", { c: qa("e") }),
    template("~ ({c} % 65536)::int::bit(16)", { c: qa("e") }),
    template("({c} % 256)::int::bit(8) << {n}", { c: qa("e"), n: number(1, 7) }),
    template("bit_count({c}::bigint::bit(64))", { c: qa("e") }),
    template("get_bit(({c} % 256)::int::bit(8), {n})", { c: qa("e"), n: number(0, 7) }),
    template("set_bit(({c} % 256)::int::bit(8), {n}, 1)::int", { c: qa("e"), n: number(0, 7) }),
    template("({c} % 16)::int::bit(4) || B'01'", { c: qa("e") }),
    template("length(({c} % 256)::int::bit(8)::varbit)", { c: qa("e") }),
  ),
  "B'1010' & B'0110'",
);

const textSearch = withColumn(
  "e",
  "a",
  { type: "text" },
  choice(
    template("to_tsvector({cfg}, {c}) @@ plainto_tsquery({cfg2}, {v})", {
      cfg: pool(["'english'", "'simple'"]),
      c: qa("e"),
      cfg2: pool(["'english'", "'simple'"]),
      v: typedLiteral("e"),
    }),
    template("to_tsvector('english', {c}) @@ to_tsquery('english', {tq})", {
      c: qa("e"),
      tq: pool(["'cat & !dog'", "'amor | sol'", "'app:*'", "'(red | blue) & green'", "'data <-> base'"]),
    }),
    template("to_tsvector('simple', {c}) @@ websearch_to_tsquery('simple', {v})", {
      c: qa("e"),
      v: typedLiteral("e"),
    }),
    template("round(ts_rank(to_tsvector('english', {c}), plainto_tsquery('english', {v}))::numeric, 4)", {
      c: qa("e"),
      v: typedLiteral("e"),
    }),
    template("setweight(to_tsvector('simple', {c}), 'A') || to_tsvector('simple', {v})", {
      c: qa("e"),
      v: typedLiteral("e"),
    }),
    template("tsvector_to_array(strip(to_tsvector('english', {c})))", { c: qa("e") }),
    template("length(to_tsvector('english', {c}))", { c: qa("e") }),
    template("numnode(phraseto_tsquery('english', {c}))", { c: qa("e") }),
    template("ts_headline('english', {c}, plainto_tsquery('english', {v}))", {
      c: qa("e"),
      v: typedLiteral("e"),
    }),
    template("to_tsquery('simple', 'a & b') && plainto_tsquery('simple', {c})", { c: qa("e") }),
  ),
  "to_tsvector('english', 'the quick brown fox') @@ to_tsquery('english', 'fox & quick')",
);

const money = withColumn(
  "e",
  "a",
  { type: ["numeric", "integer"], primaryKey: false, foreignKey: false },
  choice(
    template("({c} % 1000000)::numeric::money", { c: qa("e") }),
    template("({c} % 1000000)::numeric::money + '$1.25'::money", { c: qa("e") }),
    template("({c} % 1000000)::numeric::money * 2.5", { c: qa("e") }),
    template("({c} % 1000000)::numeric::money / 4", { c: qa("e") }),
    template("(({c} % 1000000)::numeric::money)::numeric", { c: qa("e") }),
    template("cash_words((abs({c}) % 1000)::numeric::money)", { c: qa("e") }),
    template("({c} % 1000000)::numeric::money < '$500.00'::money", { c: qa("e") }),
  ),
  "'$12.50'::money * 3",
);

/** A point from a number column. */
const pointOf = template("point({c}::float8, {n})", { c: qa("e"), n: number(-50, 50) });

const geometry = withColumn(
  "e",
  "a",
  { type: ["numeric", "integer", "float"] },
  choice(
    template("{p} <-> point(0, 0)", { p: pointOf }),
    template("box(point(0, 0), {p}) @> point(1, 1)", { p: pointOf }),
    template("area(box({p}, point(10, 10)))", { p: pointOf }),
    template("circle({p}, {r}) @> point({x}, {y})", {
      p: pointOf,
      r: number(1, 100),
      x: number(-5, 5),
      y: number(-5, 5),
    }),
    template("center(box({p}, point(-1, -1)))", { p: pointOf }),
    template("{p} + point(1.5, -2)", { p: pointOf }),
    template("{p} ~= point({c}::float8, 0)", { p: pointOf, c: qa("e") }),
    template("length(lseg(point(0, 0), {p}))", { p: pointOf }),
    template("lseg(point(0, 0), {p}) ?# lseg(point(0, 5), point(5, 0))", { p: pointOf }),
    template("({p})[0]", { p: pointOf }),
    template("box({p}, point(0, 0)) && box(point(1, 1), point(2, 2))", { p: pointOf }),
    template("npoints(path '((0,0),(1,1),(2,0))') + ({c}::numeric % 3)", { c: qa("e") }),
  ),
  "point(1, 2) <-> point(4, 6)",
);

const networks = withColumn(
  "e",
  "a",
  { type: "inet" },
  choice(
    template("{c} << '10.0.0.0/8'::cidr", { c: qa("e") }),
    template("set_masklen({c}, 16)::cidr >>= {c2}", { c: qa("e"), c2: qa("e") }),
    template("inet_merge({c}, '10.255.0.1'::inet)", { c: qa("e") }),
    template("host({c}) || '/' || masklen({c2})", { c: qa("e"), c2: qa("e") }),
    template("netmask(set_masklen({c}, {n}))", { c: qa("e"), n: number(8, 30) }),
    template("abbrev(network(set_masklen({c}, 24)))", { c: qa("e") }),
  ),
  choice(
    "'192.168.1.5'::inet << '192.168.0.0/16'::cidr",
    "'192.168.1.0/24'::cidr >>= '192.168.1.77'::inet",
    "'10.1.2.3'::inet - '10.0.0.0'::inet",
    "family('::1'::inet)",
    "'2001:db8::1'::inet & 'ffff:ffff::'::inet",
    "trunc('08:00:2b:01:02:03'::macaddr)",
  ),
);

const intervals = withColumn(
  "e",
  "a",
  { type: ["number", "temporal"] },
  byColumn("e", [
    [
      { type: "number" },
      choice(
        template("interval '1 hour' * ({c}::numeric % 100)::float8", { c: qa("e") }),
        template("make_interval(days => ({c}::numeric % 365)::int)", { c: qa("e") }),
        template("justify_hours(interval '1 minute' * ({c}::numeric % 100000)::float8)", { c: qa("e") }),
      ),
    ],
    [
      { type: "date" },
      choice(
        template("{c} - date '2000-01-01'", { c: qa("e") }),
        template("age({c}, date '2000-01-01')", { c: qa("e") }),
        template("({c} + interval '1 month') - {c2}", { c: qa("e"), c2: qa("e") }),
      ),
    ],
    [
      { type: "timestamp" },
      choice(
        template("{c} - {v}", { c: qa("e"), v: typedLiteral("e") }),
        template("extract(epoch FROM {c} - {v}) / 3600", { c: qa("e"), v: typedLiteral("e") }),
        template("justify_days({c} - {v})", { c: qa("e"), v: typedLiteral("e") }),
      ),
    ],
    [{ type: "time" }, template("{c} - time '00:00' + interval '30 minutes'", { c: qa("e") })],
  ], template("{c} * 2 - {c2} / 2", { c: qa("e"), c2: qa("e") })),
  "interval '1 day' - interval '1 hour'",
);

const numerics = withColumn(
  "e",
  "a",
  { type: "number" },
  choice(
    template("{c}::numeric(30,6) / 7", { c: qa("e") }),
    template("round({c}::numeric / 3, {n})", { c: qa("e"), n: number(0, 20) }),
    template("({c}::numeric % 10000000)::numeric(30,-3)", { c: qa("e") }),
    template("round({c}::numeric, -{n})", { c: qa("e"), n: number(1, 3) }),
    template("trim_scale({c}::numeric(30,8))", { c: qa("e") }),
    template("scale({c}::numeric(30,4) * 1.05)", { c: qa("e") }),
    template("{c}::numeric < 'Infinity'::numeric", { c: qa("e") }),
    template("{c}::numeric <> 'NaN'::numeric", { c: qa("e") }),
    template("{c}::float8::numeric(38,10)", { c: qa("e") }),
    template("({c}::numeric * 1e-10)::float4", { c: qa("e") }),
  ),
  "1::numeric / 3",
);

g.rule(
  "constructed",
  choice(
    [4, arrays],
    [4, ranges],
    [2, bits],
    [3, textSearch],
    [2, money],
    [2, geometry],
    [2, networks],
    [2, intervals],
    [2, numerics],
  ),
);

g.rule(
  "select_constructed",
  withTable(
    "a",
    template("SELECT {tag}, {exprs} FROM {t} AS a{where}{limit}", {
      tag,
      exprs: repeat(ref("constructed"), 1, 3, ", "),
      t: tableName("a"),
      where: maybe(template(" WHERE {p}", { p: ref("predicate") }), 0.5),
      limit: maybe(template(" LIMIT {n}", { n: number(1, 30) }), 0.7),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Typed literal expressions

g.rule(
  "literal_expression",
  choice(
    template("ARRAY[{a}, {b}, {c}] @> ARRAY[{b2}]", {
      a: number(0, 9),
      b: number(0, 9),
      c: number(0, 9),
      b2: number(0, 9),
    }),
    pool([
      "ARRAY[[1, 2], [3, 4]]",
      "array_dims(ARRAY[[1, 2, 3], [4, 5, 6]])",
      "'{1,2,3}'::int[] && '{3,4}'::int[]",
      "ARRAY['a', 'b'] || ARRAY['c']",
      "array_replace(ARRAY[1, 2, 1], 1, 9)",
      "(ARRAY[10, 20, 30])[2:3]",
      "unnest(ARRAY['x', 'y'])",
      "3 = ANY ('{1,2,3}'::int[])",
      "cardinality(ARRAY[1, 2, 3])",
      "int4range(1, 10) @> 4",
      "numrange(1.5, 2.5, '[]') && numrange(2.5, 3)",
      "daterange('2024-01-01', '2024-02-01') -|- daterange('2024-02-01', '2024-03-01')",
      "int8range(1, 5) + int8range(5, 9)",
      "upper(tsrange('2024-01-01', '2024-01-02'))",
      "isempty(int4range(5, 5))",
      "int4multirange(int4range(1, 3), int4range(7, 9)) @> 8",
      "nummultirange(numrange(1, 2)) + nummultirange(numrange(5, 6))",
      "datemultirange(daterange('2024-01-01', '2024-02-01')) - datemultirange(daterange('2024-01-10', '2024-01-12'))",
      "B'1100' & B'1010'",
      "B'1100' # B'0110'",
      "~ B'1100'",
      "B'1' || B'0011'",
      "bit_count(B'1011011')",
      "'10101'::varbit(8)",
      "to_tsvector('english', 'The quick brown foxes jumped') @@ to_tsquery('english', 'fox & jump')",
      "'fat & (rat | cat)'::tsquery",
      "'a fat cat'::tsvector @@ 'cat'::tsquery",
      "numnode('(a & b) | c'::tsquery)",
      "'$1,000.25'::money + '$0.75'::money",
      "'$10.00'::money / 3",
      "'12.34'::money::numeric",
      "point(1, 2) <-> point(4, 6)",
      "box '((0,0),(2,2))' @> point '(1,1)'",
      "circle '<(0,0),5>' && circle '<(8,0),4>'",
      "npoints(polygon '((0,0),(4,0),(4,3))')",
      "lseg '[(0,0),(3,4)]' # lseg '[(0,4),(3,0)]'",
      "center(box '((0,0),(10,4))')",
      "'192.168.1.5'::inet << '192.168.0.0/16'::cidr",
      "'10.0.0.0/8'::cidr >> '10.1.2.3'::inet",
      "broadcast('192.168.1.5/24'::inet)",
      "'::ffff:1.2.3.4'::inet",
      "'08:00:2b:01:02:03'::macaddr8",
      "interval '1 day' * 1.5",
      "interval '2 hours' / 4",
      "justify_interval(interval '1 mon -1 hour')",
      "date '2024-02-28' + interval '1 day'",
      "timestamp '2024-03-10 01:30' + interval '1 hour'",
      "time '23:30' + interval '1 hour'",
      "age(timestamp '2024-06-01', timestamp '2023-01-15')",
      "interval 'P1Y2M3DT4H5M6S'",
      "1::numeric / 3",
      "2::numeric ^ 100",
      "123456.789::numeric(10,2)",
      "round(98765.4321, -2)",
      "12345::numeric(5,-2)",
      "'NaN'::numeric > 1e100",
      "'-Infinity'::numeric < -1e300",
      "min_scale(8.4100)",
      "0.1::float8 + 0.2::float8",
      "'NaN'::float8 = 'NaN'::float8",
      "'Infinity'::float4 > 3.4e38",
      "9223372036854775807::bigint",
      "(-32768)::smallint",
      "'2024-01-01 12:00:00+05'::timestamptz AT TIME ZONE 'UTC'",
      "'12:34:56.789'::time(1)",
      "'infinity'::date > current_date",
      "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
      "'\\xdeadbeef'::bytea || '\\x00'::bytea",
      "'true'::boolean AND 'no'::boolean",
      "'{\"a\": [1, 2]}'::jsonb #> '{a,1}'",
      "row(1, 'x', true)",
      "(row(1, 2) < row(1, 3))",
    ]),
  ),
);

g.rule(
  "select_literals",
  withTable(
    "a",
    template("SELECT {tag}, {exprs}, (SELECT count(*) FROM {t}) AS rows", {
      tag,
      exprs: repeat(ref("literal_expression"), 1, 4, ", "),
      t: tableName("a"),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Aggregates of each type

const aggregate = choice(
  [2, "count(*)"],
  [
    2,
    withColumn(
      "e",
      "a",
      { type: "integer" },
      choice(
        template("bit_and({c})", { c: qa("e") }),
        template("bit_or({c})", { c: qa("e") }),
        template("bit_xor({c})", { c: qa("e") }),
        template("range_agg(int8range({c}::bigint, {c2}::bigint + 1))", { c: qa("e"), c2: qa("e") }),
        template("array_agg(DISTINCT {c} ORDER BY {c2})", { c: qa("e"), c2: qa("e") }),
        template("sum({c})::numeric / NULLIF(count({c2}), 0)", { c: qa("e"), c2: qa("e") }),
      ),
      "count(*)",
    ),
  ],
  [
    2,
    withColumn(
      "e",
      "a",
      { type: ["numeric", "float"] },
      choice(
        template("sum({c})", { c: qa("e") }),
        template("round(avg({c})::numeric, 4)", { c: qa("e") }),
        template("round(var_pop({c})::numeric, 2)", { c: qa("e") }),
        template("sum(({c}::numeric % 1000000)::money)", { c: qa("e") }),
        template("range_agg(numrange({c}::numeric, {c2}::numeric + 1))", { c: qa("e"), c2: qa("e") }),
      ),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "e",
      "a",
      { type: "date" },
      template("range_agg(daterange({c}, {c2} + 1))", { c: qa("e"), c2: qa("e") }),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn(
      "e",
      "a",
      { type: ["interval", "time"] },
      template("{f}({c})", { f: pool(["max", "min"]), c: qa("e") }),
      "count(*)",
    ),
  ],
  [1, withColumn("e", "a", { type: "interval" }, template("avg({c})", { c: qa("e") }), "count(*)")],
  [1, withColumn("e", "a", { type: "bool" }, template("bool_and({c})", { c: qa("e") }), "count(*)")],
  [
    1,
    withColumn(
      "e",
      "a",
      { type: "text" },
      choice(
        template("string_agg({c}, ';' ORDER BY {c2} COLLATE \"C\")", { c: qa("e"), c2: qa("e") }),
        template("array_agg({c}) FILTER (WHERE {c2} IS NOT NULL)", { c: qa("e"), c2: qa("e") }),
        template("length(to_tsvector('simple', string_agg({c}, ' ')))", { c: qa("e") }),
      ),
      "count(*)",
    ),
  ],
  [
    1,
    withColumn("e", "a", { comparable: true }, template("count(DISTINCT {c})", { c: qa("e") }), "count(*)"),
  ],
  [1, withColumn("e", "a", { type: "other" }, template("count({c})", { c: qa("e") }), "count(*)")],
);

g.rule("select_aggregates", groupedAggregates(tag, aggregate, 50));

// ---------------------------------------------------------------------------
// Casts between types

/** Casts out of the type of column `e`, each defined for that type. */
const castFrom = (() => {
  const f = on("e");
  return byColumn("e", [
    [
      { type: "integer" },
      choice(
        f("{c}::numeric"),
        f("{c}::float8"),
        f("{c}::text"),
        f("({c} % 2)::int::boolean"),
        f("({c} % 32767)::smallint"),
        f("({c} % 1000)::int::bit(10)"),
        f("to_char({c}, 'FM0000000000')"),
      ),
    ],
    [
      { type: ["numeric", "float"] },
      choice(f("{c}::text"), f("{c}::float4"), f("{c}::numeric(38,4)"), f("round({c})::bigint")),
    ],
    [
      { type: "text" },
      choice(
        f("{c}::varchar(10)"),
        f("{c}::char(3)"),
        f("{c}::name"),
        f("{c}::bpchar"),
        f("to_tsvector('simple', {c})"),
        f("convert_to({c}, 'UTF8')"),
      ),
    ],
    [{ type: "date" }, choice(f("{c}::timestamp"), f("{c}::timestamptz"), f("{c}::text"))],
    [
      { type: "timestamp" },
      choice(f("{c}::date"), f("{c}::time(0)"), f("{c}::timestamptz(2)"), f("{c}::timestamp(0)")),
    ],
    [{ type: "time" }, choice(f("{c}::interval"), f("{c}::timetz"), f("{c}::text"))],
    [{ type: "interval" }, choice(f("{c}::text"), f("{c}::time"), f("{c}::interval hour to minute"))],
    [{ type: "bool" }, choice(f("{c}::int"), f("{c}::text"))],
    [{ type: "uuid" }, choice(f("{c}::text"), f("{c}::text::uuid"))],
    [{ type: "json" }, choice(f("{c}::text"), f("{c}::json"), f("({c} ->> 'k')::int"))],
    [{ type: "bytea" }, choice(f("encode({c}, 'base64')"), f("{c}::text"))],
    [{ type: "inet" }, choice(f("{c}::cidr"), f("{c}::text"), f("host({c})::inet"))],
    [{ type: "enum" }, choice(f("{c}::text"), f("{c}::text::{ty}", { ty: columnType("e") }))],
  ], choice(f("{c}::text"), f("{c}::text::{ty}", { ty: columnType("e") }), f("CAST({c} AS text)")));
})();

g.rule(
  "select_casts",
  withTable(
    "a",
    template("SELECT {tag}, {casts} FROM {t} AS a LIMIT {n}", {
      tag,
      casts: repeat(withColumn("e", "a", {}, castFrom), 1, 4, ", "),
      t: tableName("a"),
      n: number(1, 40),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Writes of typed literals, every class included

g.rule(
  "write",
  withTable(
    "a",
    choice(
      [
        3,
        withColumns(
          "upd",
          "a",
          { min: 1, max: 3, where: { primaryKey: false, generated: false, unique: false } },
          template("UPDATE {t} AS a SET {s} WHERE {p} RETURNING {tag}", {
            t: tableName("a"),
            s: eachColumn("upd", "e", template("{c} = {v}", { c: columnName("e"), v: typedLiteral("e") })),
            p: ref("predicate"),
            tag,
          }),
          template("SELECT {tag} FROM {t} AS a LIMIT 0", { tag, t: tableName("a") }),
        ),
      ],
      [
        2,
        withColumns(
          "ins",
          "a",
          { min: 0, max: 12, required: true, where: { generated: false } },
          template("INSERT INTO {t} ({cols}) VALUES ({vals}) ON CONFLICT DO NOTHING RETURNING {tag}", {
            t: tableName("a"),
            cols: eachColumn("ins", "e", columnName("e")),
            vals: eachColumn(
              "ins",
              "e",
              byColumn("e", [[
                { primaryKey: true, foreignKey: false, uniqueCapable: true },
                uniqueLiteral("e"),
              ]], typedLiteral("e")),
            ),
            tag,
          }),
          template("INSERT INTO {t} DEFAULT VALUES RETURNING {tag}", { t: tableName("a"), tag }),
        ),
      ],
    ),
  ),
);

export default g;
