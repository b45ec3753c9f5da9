/**
 * `json_sql_pg15`: jsonb as PostgreSQL 15 has it, over whatever schema it is
 * compiled against.
 *
 * - Operators `-> ->> #> #>> @> <@ ? ?| ?& || - #-`, subscripting
 *   (`doc['k']`, and as an UPDATE target; PostgreSQL 14+), and the jsonpath
 *   operators `@?` and `@@`.
 * - Functions jsonb_build_object/array, jsonb_agg, jsonb_object_agg,
 *   jsonb_set (and jsonb_set_lax), jsonb_insert, jsonb_strip_nulls,
 *   jsonb_each, jsonb_array_elements, jsonb_object_keys, jsonb_typeof,
 *   jsonb_to_record, to_jsonb, and jsonb_path_query / _array / _first /
 *   jsonb_path_exists / jsonb_path_match with valid lax paths (filters,
 *   wildcards, like_regex, starts with, type(), size(), keyvalue(), vars);
 *   a few of their json counterparts.
 *
 * Documents are the schema's jsonb columns (class `json`) where a table has
 * one, otherwise jsonb built from the table's columns: `to_jsonb(a)` of the
 * whole row, or `jsonb_build_object` with known keys (`k`, `size`, `name`,
 * `tags`, `nested`), so paths have something to find. Writes keep jsonb
 * columns objects. Nothing from PostgreSQL 16+ (no JSON_OBJECT/JSON_ARRAY,
 * IS JSON, JSON_TABLE or SQL/JSON query functions). Every statement
 * carries a `unique()` tag.
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
  withTable,
} from "../core/dsl/grammar.ts";
import { qualified } from "./parts/columns.ts";
import { groupedAggregates } from "./parts/grouped_aggregates.ts";

const g = grammar("json_sql_pg15", {
  description:
    "jsonb on PostgreSQL 15: operators, subscripting, builders and aggregates, jsonb_set/insert, " +
    "set-returning functions and jsonpath (@?, @@, jsonb_path_*) over the schema's jsonb columns or jsonb " +
    "built from its other columns; no PostgreSQL 16+ SQL/JSON.",
  start: "query",
  maxDepth: 10,
});

const tag = template("{u} AS q", { u: unique() });

/** `a.column` for the column bound to `col`. */
const qa = (col: string) => qualified("a", col);

g.rule(
  "query",
  choice(
    [40, ref("select_docs")],
    [14, ref("select_aggregates")],
    [14, ref("select_expanded")],
    [8, ref("select_builders")],
    [14, ref("update")],
    [6, ref("insert")],
    [4, ref("delete")],
  ),
);

// ---------------------------------------------------------------------------
// Documents

/** jsonb built from the row's columns under known keys. */
const builtObject = withColumns(
  "vals",
  "a",
  { min: 1, max: 4 },
  template(
    "jsonb_build_object('k', {k}, 'size', {size}, 'name', {name}, 'tags', jsonb_build_array({vals}), " +
      "'nested', jsonb_build_object('k', {n}, 'color', {color}, 'on', {b}))",
    {
      k: withColumn("bk", "a", {}, qa("bk")),
      size: withColumn("bn", "a", { type: "number" }, qa("bn"), number(0, 500)),
      name: withColumn("bt", "a", { type: "text" }, qa("bt"), pool(["'alpha'", "'beta'", "'gamma'"])),
      vals: eachColumn("vals", "bv", qa("bv")),
      n: number(-5, 50),
      color: pool(["'red'", "'green'", "'blue'", "NULL"]),
      b: pool(["true", "false", "NULL"]),
    },
  ),
);

/**
 * A jsonb document over the table `a`: its jsonb column where it has one
 * (mostly), else the whole row or an object built from its columns.
 */
const docOf = (column: Element) =>
  withColumn(
    "j",
    "a",
    { type: "json" },
    choice([5, column], [1, "to_jsonb(a)"], [2, builtObject]),
    choice([1, "to_jsonb(a)"], [2, builtObject]),
  );

/** The document, possibly NULL. */
g.rule("doc", docOf(qa("j")));
/** The document, never NULL, for functions that would return NULL. */
g.rule("doc_nn", docOf(template("coalesce({c}, '{{}}')", { c: qa("j") })));

/** Keys the documents hold: the built ones, the vocabulary's typical ones, and misses. */
const key = pool(["'k'", "'size'", "'name'", "'tags'", "'nested'", "'color'", "'id'", "'missing'"]);
/** Text paths as `#>` takes them. */
const textPath = pool([
  "'{nested,k}'",
  "'{nested,color}'",
  "'{tags,0}'",
  "'{tags,-1}'",
  "'{k}'",
  "'{a,b,c}'",
]);

/** A jsonpath that is valid on any document (lax mode; comparisons never raise). */
const jsonpath = pool([
  "'$.k'",
  "'$.size'",
  "'$.tags[*]'",
  "'$.tags[0 to last]'",
  "'$.nested.color'",
  "'$.*'",
  "'$.**'",
  "'$.* ? (@.type() == \"number\")'",
  '\'$.* ? (@.type() == "string" && @ like_regex "^[a-m]" flag "i")\'',
  "'$.** ? (@ == \"red\")'",
  "'$.tags ? (@.size() > 1)'",
  "'$.* ? (@ starts with \"a\")'",
  "'$.nested ? (exists (@.k))'",
  "'$.size ? (@ > 10 || @ < 0)'",
  "'$.** ? (@.type() == \"boolean\")'",
  "'$.tags.size()'",
  "'$.*.type()'",
]);

/** A jsonpath predicate for `@@` and jsonb_path_match: a single boolean, or unknown. */
const jsonpathPredicate = pool([
  "'$.size > 10'",
  "'exists($.nested)'",
  "'$.k == 1'",
  "'$.* > 100'",
  "'$.name starts with \"a\"'",
  "'$.tags[*] == \"red\"'",
  "'exists($.** ? (@ == true))'",
  "'($.size > 0) is unknown'",
  "'$.nested.k >= 0 && $.nested.k < 25'",
  "'!exists($.missing)'",
  "'$.* like_regex \"e\"'",
]);

// ---------------------------------------------------------------------------
// Expressions over a document

g.rule(
  "json_expression",
  choice(
    [3, template("{d} -> {k}", { d: ref("doc"), k: key })],
    [3, template("{d} ->> {k}", { d: ref("doc"), k: key })],
    [2, template("{d} #> {p}", { d: ref("doc"), p: textPath })],
    [2, template("{d} #>> {p}", { d: ref("doc"), p: textPath })],
    [1, template("({d} -> 'tags') -> {i}", { d: ref("doc"), i: number(-2, 3) })],
    [2, template("{d} || jsonb_build_object('seen', {n})", { d: ref("doc"), n: number(0, 9) })],
    [1, template("{d} || '[1, 2]'::jsonb", { d: ref("doc") })],
    [2, template("{d} - {k}", { d: ref("doc"), k: key })],
    [1, template("{d} - ARRAY['k', 'tags']", { d: ref("doc") })],
    [1, template("jsonb_build_array({d}, 1, 'two') - {i}", { d: ref("doc"), i: number(-3, 3) })],
    [2, template("{d} #- {p}", { d: ref("doc_nn"), p: textPath })],
    [2, template("jsonb_typeof({d})", { d: ref("doc") })],
    [1, template("jsonb_typeof({d} -> {k})", { d: ref("doc"), k: key })],
    [
      2,
      template("jsonb_set({d}, {p}, {v}{create})", {
        d: ref("doc_nn"),
        p: pool(["'{k}'", "'{quarry}'", "'{nested,k}'", "'{tags,0}'"]),
        v: ref("json_value"),
        create: pool(["", ", true", ", false"]),
      }),
    ],
    [
      1,
      template("jsonb_set_lax({d}, '{{k}}', NULL, true, {how})", {
        d: ref("doc_nn"),
        // Not 'use_json_null': PGlite (PostgreSQL 18 in WASM) corrupts its state after a few
        // dozen calls of it on table rows ("unknown type of jsonb container", XX000).
        how: pool(["'delete_key'", "'return_target'"]),
      }),
    ],
    [
      1,
      template("jsonb_insert(jsonb_build_object('tags', jsonb_build_array({d})), '{{tags,0}}', {v}{after})", {
        d: ref("doc"),
        v: ref("json_value"),
        after: pool(["", ", true"]),
      }),
    ],
    [1, template("jsonb_insert({d}, '{{quarry_new}}', {v})", { d: ref("doc_nn"), v: ref("json_value") })],
    [1, template("jsonb_strip_nulls({d})", { d: ref("doc") })],
    [1, template("jsonb_pretty({d})", { d: ref("doc") })],
    [2, template("{d}['k']", { d: ref("doc_subscriptable") })],
    [1, template("{d}['nested']['color']", { d: ref("doc_subscriptable") })],
    [1, template("{d}['tags'][0]", { d: ref("doc_subscriptable") })],
    [3, template("jsonb_path_query_array({d}, {p})", { d: ref("doc"), p: jsonpath })],
    [2, template("jsonb_path_query_first({d}, {p})", { d: ref("doc"), p: jsonpath })],
    [
      1,
      template("jsonb_path_query_array({d}, '$.* ? (@ > $min)', jsonb_build_object('min', {n}))", {
        d: ref("doc"),
        n: number(0, 100),
      }),
    ],
    [
      1,
      template("jsonb_path_query_array({d}, '$.keyvalue() ? (@.value.type() == \"number\").key')", {
        d: ref("doc_object"),
      }),
    ],
    [1, template("(SELECT count(*) FROM jsonb_object_keys({d}))", { d: ref("doc_object") })],
    [1, template("jsonb_array_length(jsonb_path_query_array({d}, '$.*'))", { d: ref("doc") })],
    [1, template("to_jsonb({c})", { c: withColumn("tc", "a", {}, qa("tc")) })],
    [1, template("{d}::text", { d: ref("doc") })],
    [1, template("({d} ->> 'size')::numeric", { d: ref("built") })],
    [
      1,
      template("json_typeof(row_to_json(a)) || ':' || json_build_object('n', {n}, 'at', now())::text", {
        n: number(0, 9),
      }),
    ],
  ),
);

/** A document that may be subscripted: a column, or a parenthesized expression. */
g.rule(
  "doc_subscriptable",
  withColumn("j", "a", { type: "json" }, qa("j"), template("({d})", { d: builtObject })),
);

/** A document that is an object, for functions that take nothing else. */
g.rule(
  "doc_object",
  withColumn(
    "j",
    "a",
    { type: "json" },
    template("CASE WHEN jsonb_typeof({c}) = 'object' THEN {c2} ELSE '{{}}' END", { c: qa("j"), c2: qa("j") }),
    choice("to_jsonb(a)", builtObject),
  ),
);

g.rule("built", builtObject);

/** A jsonb value to write or compare. */
g.rule(
  "json_value",
  choice(
    [2, template("to_jsonb({c})", { c: withColumn("vc", "a", {}, qa("vc")) })],
    [1, template("'{n}'::jsonb", { n: number(-100, 1000) })],
    [
      1,
      pool([
        "'\"text\"'::jsonb",
        "'true'::jsonb",
        "'null'::jsonb",
        "'[1, \"a\", null]'::jsonb",
        '\'{"deep": {"x": 1}}\'::jsonb',
      ]),
    ],
    [
      1,
      template("jsonb_build_object('n', {n}, 'list', jsonb_build_array({n2}, {n3}))", {
        n: number(0, 9),
        n2: number(0, 9),
        n3: number(0, 9),
      }),
    ],
  ),
);

// ---------------------------------------------------------------------------
// Predicates over a document

g.rule(
  "json_predicate",
  choice(
    [3, template("{d} ? {k}", { d: ref("doc"), k: key })],
    [1, template("{d} ?| ARRAY['k', 'size', 'color']", { d: ref("doc") })],
    [1, template("{d} ?& ARRAY['k', 'tags']", { d: ref("doc") })],
    [
      2,
      template("{d} @> {o}", {
        d: ref("doc"),
        o: pool(["'{\"k\": 1}'", '\'{"nested": {"color": "red"}}\'', "'{}'", "'{\"tags\": [1]}'"]),
      }),
    ],
    [1, template("'{{}}'::jsonb <@ {d}", { d: ref("doc") })],
    [1, template("jsonb_build_object('size', {n}) <@ {d}", { d: ref("doc"), n: number(0, 500) })],
    [3, template("{d} @? {p}", { d: ref("doc"), p: jsonpath })],
    [3, template("{d} @@ {p}", { d: ref("doc"), p: jsonpathPredicate })],
    [2, template("jsonb_path_exists({d}, {p})", { d: ref("doc"), p: jsonpath })],
    [2, template("jsonb_path_match({d}, {p})", { d: ref("doc"), p: jsonpathPredicate })],
    [
      1,
      template("jsonb_path_exists({d}, '$.** ? (@ == $v)', jsonb_build_object('v', {n}))", {
        d: ref("doc"),
        n: number(0, 100),
      }),
    ],
    [2, template("jsonb_typeof({d}) = {t}", { d: ref("doc"), t: pool(["'object'", "'array'", "'null'"]) })],
    [1, template("({d} ->> {k}) IS NOT NULL", { d: ref("doc"), k: key })],
    [1, template("{d} = jsonb_strip_nulls({d2})", { d: ref("doc"), d2: ref("doc") })],
  ),
);

// ---------------------------------------------------------------------------
// SELECT

g.rule(
  "select_docs",
  withTable(
    "a",
    template("SELECT {tag}, {exprs} FROM {t} AS a{where}{limit}", {
      tag,
      exprs: repeat(ref("json_expression"), 1, 4, ", "),
      t: tableName("a"),
      where: maybe(
        template(" WHERE {p}", {
          p: choice([3, ref("json_predicate")], [
            1,
            template("{x} AND {y}", { x: ref("json_predicate"), y: ref("json_predicate") }),
          ]),
        }),
        0.7,
      ),
      limit: maybe(template(" LIMIT {n}", { n: number(1, 50) }), 0.6),
    }),
  ),
);

/** A jsonb aggregate over the rows of `a`. */
const aggregate = choice(
  [3, template("jsonb_agg({d})", { d: ref("doc") })],
  [
    2,
    withColumn(
      "ac",
      "a",
      { orderable: true },
      template("jsonb_agg({c} ORDER BY {c2} NULLS LAST)", { c: qa("ac"), c2: qa("ac") }),
      "jsonb_agg(to_jsonb(a))",
    ),
  ],
  [
    2,
    withColumn(
      "ak",
      "a",
      { type: ["text", "integer", "date", "uuid", "enum"] },
      template("jsonb_object_agg(coalesce({k}::text, 'null'), {v})", {
        k: qa("ak"),
        v: withColumn("av", "a", {}, qa("av")),
      }),
      "jsonb_object_agg('row', to_jsonb(a))",
    ),
  ],
  [1, template("jsonb_agg(DISTINCT {d} -> 'k')", { d: ref("doc") })],
  [1, template("json_agg(row_to_json(a))", {})],
  [1, template("count(*) FILTER (WHERE {p})", { p: ref("json_predicate") })],
  [1, template("jsonb_build_object('n', count(*), 'first', min({d} ->> 'k'))", { d: ref("doc") })],
  [1, template("jsonb_agg({d}) FILTER (WHERE {p})", { d: ref("doc"), p: ref("json_predicate") })],
);

g.rule("select_aggregates", groupedAggregates(tag, aggregate, 40));

/** Set-returning jsonb functions, each joined laterally to the table. */
g.rule(
  "select_expanded",
  withTable(
    "a",
    choice(
      template(
        "SELECT {tag}, e.key, e.value FROM {t} AS a CROSS JOIN LATERAL jsonb_each({d}) AS e{where} LIMIT {n}",
        {
          tag,
          t: tableName("a"),
          d: ref("doc_object"),
          where: maybe(" WHERE jsonb_typeof(e.value) <> 'null'", 0.4),
          n: number(1, 50),
        },
      ),
      template("SELECT {tag}, e.key, length(e.value) FROM {t} AS a, jsonb_each_text({d}) AS e LIMIT {n}", {
        tag,
        t: tableName("a"),
        d: ref("doc_object"),
        n: number(1, 50),
      }),
      template(
        "SELECT {tag}, x.elem, jsonb_typeof(x.elem) FROM {t} AS a, jsonb_array_elements({arr}) WITH ORDINALITY AS x(elem, i) WHERE x.i <= {n}",
        {
          tag,
          t: tableName("a"),
          arr: ref("doc_array"),
          n: number(1, 4),
        },
      ),
      template("SELECT {tag}, s FROM {t} AS a, jsonb_array_elements_text({arr}) AS s LIMIT {n}", {
        tag,
        t: tableName("a"),
        arr: ref("doc_array"),
        n: number(1, 50),
      }),
      template("SELECT {tag}, k FROM {t} AS a, jsonb_object_keys({d}) AS k GROUP BY k ORDER BY k LIMIT {n}", {
        tag,
        t: tableName("a"),
        d: ref("doc_object"),
        n: number(1, 50),
      }),
      template("SELECT {tag}, p.v FROM {t} AS a, jsonb_path_query({d}, {path}) AS p(v) LIMIT {n}", {
        tag,
        t: tableName("a"),
        d: ref("doc"),
        path: jsonpath,
        n: number(1, 50),
      }),
      template(
        "SELECT {tag}, r.k, r.name, r.size FROM {t} AS a, jsonb_to_record({d}) AS r(k text, name text, size text, tags jsonb) LIMIT {n}",
        {
          tag,
          t: tableName("a"),
          d: ref("built"),
          n: number(1, 50),
        },
      ),
      template(
        "SELECT {tag}, r.* FROM jsonb_to_recordset((SELECT jsonb_agg({d}) FROM {t} AS a)) AS r(k text, tags jsonb) LIMIT {n}",
        {
          tag,
          d: ref("built"),
          t: tableName("a"),
          n: number(1, 50),
        },
      ),
      template("SELECT {tag}, j.key, j.value FROM {t} AS a, json_each(row_to_json(a)) AS j LIMIT {n}", {
        tag,
        t: tableName("a"),
        n: number(1, 50),
      }),
    ),
  ),
);

/** A jsonb array over the table `a`'s row. */
g.rule(
  "doc_array",
  choice(
    template("jsonb_build_array({cols})", {
      cols: withColumns("arr", "a", { min: 1, max: 4 }, eachColumn("arr", "ae", qa("ae"))),
    }),
    template("jsonb_path_query_array({d}, '$.*')", { d: ref("doc") }),
    template("coalesce({d} -> 'tags', '[]')", { d: ref("built") }),
  ),
);

g.rule(
  "select_builders",
  withTable(
    "a",
    template("SELECT {tag}, {b} FROM {t} AS a LIMIT {n}", {
      tag,
      b: repeat(
        choice(
          ref("built"),
          "to_jsonb(a)",
          "row_to_json(a)::jsonb - 'id'",
          template("jsonb_build_array({cols})", {
            cols: withColumns("arr", "a", { min: 1, max: 4 }, eachColumn("arr", "ae", qa("ae"))),
          }),
          template("json_build_object('k', {c})", { c: withColumn("tc", "a", {}, qa("tc")) }),
          template("to_json({c})", { c: withColumn("tc", "a", {}, qa("tc")) }),
          template("jsonb_build_object({pairs})", {
            pairs: withColumns(
              "arr",
              "a",
              { min: 1, max: 3 },
              eachColumn("arr", "ae", template("'f' || {n}, {c}", { n: number(0, 99), c: qa("ae") })),
            ),
          }),
        ),
        1,
        3,
        ", ",
      ),
      t: tableName("a"),
      n: number(1, 30),
    }),
  ),
);

// ---------------------------------------------------------------------------
// Writes

/** A new value for the jsonb column `j`, always an object when the old one is. */
const jsonUpdate = choice(
  [
    3,
    template("jsonb_set(coalesce(a.{c}, '{{}}'), '{{quarry}}', {v})", {
      c: columnName("j"),
      v: ref("json_value"),
    }),
  ],
  [2, template("coalesce(a.{c}, '{{}}') || {o}", { c: columnName("j"), o: ref("built") })],
  [1, template("a.{c} - {k}", { c: columnName("j"), k: key })],
  [1, template("a.{c} #- {p}", { c: columnName("j"), p: textPath })],
  [1, template("jsonb_strip_nulls(a.{c})", { c: columnName("j") })],
  [
    1,
    template("jsonb_insert(coalesce(a.{c}, '{{}}'), '{{q{n}}}', {v})", {
      c: columnName("j"),
      n: unique(),
      v: ref("json_value"),
    }),
  ],
);

/** A value written back unchanged through jsonb: `(to_jsonb(c) #>> '{}')::type`. */
const roundTrip = template("(to_jsonb(a.{c}) #>> '{{}}')::{ty}", { c: columnName("u"), ty: columnType("u") });

g.rule(
  "update",
  withTable(
    "a",
    withColumn(
      "j",
      "a",
      { type: "json", generated: false },
      choice(
        [
          3,
          template("UPDATE {t} AS a SET {c} = {v} WHERE {p} RETURNING {tag}, a.{c2}", {
            t: tableName("a"),
            c: columnName("j"),
            v: jsonUpdate,
            p: ref("json_predicate"),
            tag,
            c2: columnName("j"),
          }),
        ],
        [
          // Subscript assignment (PostgreSQL 14+) on objects only.
          2,
          template(
            "UPDATE {t} AS a SET {c}[{k}] = {v} WHERE jsonb_typeof(a.{c2}) = 'object' AND {p} RETURNING {tag}",
            {
              t: tableName("a"),
              c: columnName("j"),
              k: pool(["'quarry'", "'k'", "'size'"]),
              v: ref("json_value"),
              c2: columnName("j"),
              p: ref("json_predicate"),
              tag,
            },
          ),
        ],
      ),
      // No jsonb column: write a column's value back through jsonb.
      withColumn(
        "u",
        "a",
        {
          type: ["number", "text", "date", "timestamp", "time", "interval", "uuid", "bool", "inet", "enum"],
          primaryKey: false,
          generated: false,
        },
        template("UPDATE {t} AS a SET {c} = {v} WHERE {p} RETURNING {tag}, to_jsonb(a.{c2})", {
          t: tableName("a"),
          c: columnName("u"),
          v: roundTrip,
          p: ref("json_predicate"),
          tag,
          c2: columnName("u"),
        }),
        template("SELECT {tag}, to_jsonb(a) FROM {t} AS a LIMIT 1", { tag, t: tableName("a") }),
      ),
    ),
  ),
);

/** A value to insert: jsonb columns get a built document, keys the unique value. */
const insertValue = byColumn("ins_c", [
  [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
  [
    { type: "json" },
    choice(
      literal("ins_c"),
      template(
        "jsonb_build_object('k', {n}, 'tags', jsonb_build_array('red', {m}), 'nested', jsonb_build_object('color', 'blue'))",
        {
          n: number(0, 99),
          m: number(0, 9),
        },
      ),
      template("{v}::jsonb || jsonb_build_object('size', {n})", {
        v: literal("ins_c", { nulls: 0 }),
        n: number(0, 500),
      }),
    ),
  ],
], literal("ins_c"));

g.rule(
  "insert",
  withTable(
    "a",
    withColumns(
      "ins",
      "a",
      { min: 0, max: 12, required: true, where: { generated: false } },
      template(
        "INSERT INTO {t} AS a ({cols}) VALUES ({vals}) ON CONFLICT DO NOTHING RETURNING {tag}, {ret}",
        {
          t: tableName("a"),
          cols: eachColumn("ins", "ins_c", columnName("ins_c")),
          vals: eachColumn("ins", "ins_c", insertValue),
          tag,
          ret: choice("to_jsonb(a)", "row_to_json(a)", ref("built")),
        },
      ),
      template("INSERT INTO {t} AS a DEFAULT VALUES RETURNING {tag}, to_jsonb(a)", {
        tag,
        t: tableName("a"),
      }),
    ),
  ),
);

// A json predicate alone often holds for every row (`'{}' <@ doc`), so a
// DELETE also needs an equality on one column.
g.rule(
  "delete",
  withTable(
    "a",
    withColumn(
      "dc",
      "a",
      { comparable: true },
      template("DELETE FROM {t} AS a WHERE a.{c} = {v} AND {p} RETURNING {tag}, to_jsonb(a) - {k}", {
        t: tableName("a"),
        c: columnName("dc"),
        v: literal("dc", { nulls: 0 }),
        p: ref("json_predicate"),
        tag,
        k: key,
      }),
      template("SELECT {tag}, count(*) FROM {t} AS a WHERE {p}", {
        tag,
        t: tableName("a"),
        p: ref("json_predicate"),
      }),
    ),
  ),
);

export default g;
