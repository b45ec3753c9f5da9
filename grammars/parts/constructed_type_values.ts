/**
 * Values of the types a schema may lack, built from column `e` of the table
 * bound to `a` or from literals: arrays and their operators, ranges and
 * multiranges, bit strings, tsvector/tsquery, money, geometric types,
 * inet/cidr, interval arithmetic and numeric precision and scale.
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnType,
  type Element,
  number,
  pool,
  template,
  withColumn,
} from "../../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./columns.ts";

/** `a.column` for the column bound to `col`. */
const qa = (col: string) => qualified("a", col);

/** One value of a type the schema may lack, built from its columns. */
export function constructedTypeValue(): Element {
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
      [
        { type: "date" },
        template("daterange({c}, {c2} + {n})", { c: qa("e"), c2: qa("e"), n: number(1, 60) }),
      ],
    ],
    template("tstzrange({c}, {c2} + interval '{n} days', '[]')", {
      c: qa("e"),
      c2: qa("e"),
      n: number(1, 30),
    }),
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

  return choice(
    [4, arrays],
    [4, ranges],
    [2, bits],
    [3, textSearch],
    [2, money],
    [2, geometry],
    [2, networks],
    [2, intervals],
    [2, numerics],
  );
}
