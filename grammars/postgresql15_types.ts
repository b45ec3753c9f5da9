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
 * - The server's own functions, operators and casts over the row's columns
 *   (`parts/catalog_expressions.ts`): about one expression and one condition
 *   in four.
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
import { catalogExpressions, portableCatalog, scopeLeaves } from "./parts/catalog_expressions.ts";
import { columnTypeCondition, columnTypeExpression } from "./parts/column_type_operators.ts";
import { constructedTypeValue } from "./parts/constructed_type_values.ts";
import { groupedAggregates } from "./parts/grouped_aggregates.ts";
import { overTypedColumn } from "./parts/typed_column_templates.ts";

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

const columnExpression = columnTypeExpression();

// Built on first use (Grammar.defer): the server's own functions, operators and casts over the columns of
// `a` (configs/catalog/), beside the typed ones above.
g.defer(() => {
  const c = catalogExpressions(portableCatalog(), {
    prefix: "a_c",
    leaves: scopeLeaves(["a"]),
    enumAliases: ["a"],
  });
  for (const [name, rule] of c.rules) g.rule(name, rule);
  g.rule("catalog_value", c.comparable);
  g.rule("catalog_condition", c.e("bool")!);
});

g.rule(
  "column_expression",
  choice([3, withColumn("e", "a", {}, columnExpression)], [1, ref("catalog_value")]),
);

const columnPredicate = columnTypeCondition();

g.rule("predicate", choice([3, withColumn("p", "a", {}, columnPredicate)], [1, ref("catalog_condition")]));

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

g.rule("constructed", constructedTypeValue());

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
  const f = overTypedColumn("e");
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
