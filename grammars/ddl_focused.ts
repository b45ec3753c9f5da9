/**
 * `ddl_focused`: DDL against whatever schema it is compiled against.
 * CREATE INDEX (btree, hash and GIN where the column's type has the operator
 * class; multi-column, expression, partial and INCLUDE indexes), ALTER TABLE
 * (ADD COLUMN with defaults, NOT NULL DEFAULT or STORED generation; ALTER
 * COLUMN SET/DROP DEFAULT and statistics; ADD CONSTRAINT CHECK … NOT VALID),
 * COMMENT ON TABLE/COLUMN, CREATE TABLE … (LIKE … INCLUDING …) and CREATE
 * TABLE AS, CREATE [MATERIALIZED] VIEW, DROP … IF EXISTS and ANALYZE.
 *
 * Every object it creates is named `<prefix>_<unique()>` (`qx_` indexes,
 * `qc_` columns, `qk_` constraints, `new_` tables, `qv_` views), so reruns
 * never collide. The DSL cannot repeat one unique value inside a statement,
 * so a later statement cannot name what an earlier one made; instead, sweeps
 * (DO blocks) look up the objects matching `^<prefix>_[0-9]+$` in the
 * catalog and drop all but the newest few (NOT VALID checks are validated
 * first), so the catalog stays small however long a run is.
 *
 * The schema's own columns are never dropped, retyped or made stricter:
 * defaults change only on nullable, non-key, non-generated columns; every
 * CHECK added holds for every value the generators write; and index
 * expressions and predicates cannot fail on any value (no overflowing
 * arithmetic), so later writes still succeed.
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  columnType,
  eachColumn,
  eachForeignKeyPair,
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
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("ddl_focused", {
  description: "Schema-aware DDL: CREATE INDEX (btree/hash/GIN, expression, partial), ALTER TABLE ADD " +
    "COLUMN/SET DEFAULT/ADD CHECK NOT VALID, COMMENT ON, CREATE TABLE LIKE/AS, views, DROP IF EXISTS and " +
    "ANALYZE; objects are named by unique() and swept again by catalog-driven DO blocks.",
  start: "statement",
  maxDepth: 8,
});

/** A literal for the bound column, never NULL. */
const value = (col: string) => literal(col, { nulls: 0 });

/** `name_<unique>` for an object this grammar creates. */
const named = (prefix: string) => template(`${prefix}_{u}`, { u: unique() });

/** The column bound to `col`, qualified by `alias` unless that is empty. */
const qualified = (alias: string, col: string) =>
  alias === "" ? columnName(col) : template(`${alias}.{c}`, { c: columnName(col) });

g.rule(
  "statement",
  choice(
    [22, ref("create_index")],
    [16, ref("alter_table")],
    [6, ref("comment")],
    [9, ref("create_table")],
    [8, ref("create_view")],
    [6, ref("drop_if_exists")],
    [11, ref("sweep")],
    [5, ref("analyze")],
    [4, ref("ddl_transaction")],
  ),
);

// ---------------------------------------------------------------------------
// Predicates that are immutable, for partial indexes and view filters.

/**
 * A condition on one column of the table in slot `t`, typed by the column.
 * Only immutable functions appear, so it may serve as an index predicate.
 */
const predicate = (alias: string) => {
  const c = qualified(alias, "pc");
  const cmp = pool(["<", "<=", ">", ">=", "<>"]);
  return withColumn(
    "pc",
    "t",
    {},
    byColumn("pc", [
      [
        { type: "number" },
        choice(
          template("{c} {op} {v}", { c, op: cmp, v: value("pc") }),
          template("{c} BETWEEN {lo} AND {hi}", { c, lo: value("pc"), hi: value("pc") }),
          template("{c} IS NOT NULL", { c }),
        ),
      ],
      [
        { type: "text" },
        choice(
          template("{c} IS NOT NULL", { c }),
          template("lower({c}) LIKE {p}", { c, p: pool(["'a%'", "'%e%'", "'m%'", "'%s'"]) }),
          template("{c} <> {v}", { c, v: value("pc") }),
          template("length({c}) > {n}", { c, n: number(0, 12) }),
        ),
      ],
      [
        { type: "bool" },
        template("{c} {t}", { c, t: pool(["IS TRUE", "IS NOT FALSE", "IS FALSE", "IS NOT NULL"]) }),
      ],
      [{ type: "temporal" }, template("{c} {op} {v}", { c, op: cmp, v: value("pc") })],
      [{ type: "enum" }, template("{c} <> {v}", { c, v: value("pc") })],
      [
        { type: "json" },
        choice(
          template("{c} ? {k}", { c, k: pool(["'color'", "'size'", "'status'", "'k'"]) }),
          template("jsonb_typeof({c}) = 'object'", { c }),
          template("{c} @> '{{}}'", { c }),
        ),
      ],
      [{ type: "bytea" }, template("length({c}) > {n}", { c, n: number(0, 8) })],
      [{ type: "inet" }, template("{c} << '10.0.0.0/8'::inet", { c })],
    ], template("{c} IS NOT NULL", { c })),
  );
};

g.rule("pred_a", predicate("a"));
// Index predicates name columns unqualified.
g.rule("pred_t", predicate(""));

// ---------------------------------------------------------------------------
// CREATE INDEX

/** One btree key part over the comparable column `k`. */
const btreeKey = byColumn("k", [
  [
    { type: "text" },
    choice(
      [
        4,
        template("{c}{d}", {
          c: columnName("k"),
          d: pool(["", " DESC", " NULLS FIRST", " DESC NULLS LAST"]),
        }),
      ],
      [1, template('{c} COLLATE "C"', { c: columnName("k") })],
      [1, template("(lower({c}))", { c: columnName("k") })],
      [1, template("(length({c}))", { c: columnName("k") })],
    ),
  ],
  [
    { type: "number" },
    choice(
      [4, template("{c}{d}", { c: columnName("k"), d: pool(["", " DESC", " ASC NULLS FIRST"]) })],
      [1, template("(abs({c}))", { c: columnName("k") })],
      [1, template("(({c}::numeric * 2))", { c: columnName("k") })],
    ),
  ],
  [
    { type: "timestamp" },
    choice(
      [3, template("{c}{d}", { c: columnName("k"), d: pool(["", " DESC"]) })],
      // timezone(text, timestamp[tz]) is immutable for both timestamp types.
      [1, template("(({c} AT TIME ZONE 'UTC'))", { c: columnName("k") })],
    ),
  ],
  [
    { type: "date" },
    choice([3, columnName("k")], [1, template("(extract(year FROM {c}))", { c: columnName("k") })]),
  ],
], template("{c}{d}", { c: columnName("k"), d: pool(["", " DESC", " NULLS LAST"]) }));

const partial = maybe(template(" WHERE {p}", { p: ref("pred_t") }), 0.3);

/** `CREATE INDEX [IF NOT EXISTS] qx_<n> ON t` with the method clause `using`. */
const indexHead = (using: string) =>
  template(`CREATE INDEX {ine}{name} ON {t}${using}`, {
    ine: maybe("IF NOT EXISTS ", 0.3),
    name: named("qx"),
    t: tableName("t"),
  });

g.rule(
  "create_index",
  withTable(
    "t",
    choice(
      [
        8,
        withColumns(
          "keys",
          "t",
          { min: 1, max: 3, where: { comparable: true } },
          template("{head} ({keys}){include}{with}{where}", {
            head: indexHead(""),
            keys: eachColumn("keys", "k", btreeKey),
            include: maybe(
              withColumns(
                "inc",
                "t",
                { min: 1, max: 2, where: { type: ["number", "temporal", "bool", "uuid"] } },
                template(" INCLUDE ({c})", { c: eachColumn("inc", "ic", columnName("ic")) }),
                "",
              ),
              0.2,
            ),
            with: maybe(
              pool([" WITH (fillfactor = 70)", " WITH (fillfactor = 90)", " WITH (deduplicate_items = off)"]),
              0.15,
            ),
            where: partial,
          }),
          ref("create_index_expression"),
        ),
      ],
      [
        3,
        withColumn(
          "k",
          "t",
          {
            type: [
              "integer",
              "numeric",
              "float",
              "text",
              "bool",
              "date",
              "timestamp",
              "time",
              "interval",
              "uuid",
              "json",
              "bytea",
              "inet",
              "enum",
            ],
          },
          template("{head} ({c}){where}", {
            head: indexHead(" USING hash"),
            c: columnName("k"),
            where: partial,
          }),
          ref("create_index_expression"),
        ),
      ],
      [3, ref("create_gin_index")],
      [2, ref("create_index_expression")],
      [
        1,
        // A unique index over the whole primary key (it includes any partition key).
        withColumns(
          "keys",
          "t",
          { min: 1, max: 64, all: true, where: { primaryKey: true } },
          template("CREATE UNIQUE INDEX {name} ON {t} ({keys}){where}", {
            name: named("qx"),
            t: tableName("t"),
            keys: eachColumn("keys", "k", columnName("k")),
            where: partial,
          }),
          ref("create_index_expression"),
        ),
      ],
    ),
  ),
);

g.rule(
  "create_gin_index",
  choice(
    withColumn(
      "k",
      "t",
      { type: "json" },
      template("{head} ({c}{ops}){where}", {
        head: indexHead(" USING gin"),
        c: columnName("k"),
        ops: pool(["", " jsonb_path_ops", " jsonb_ops"]),
        where: partial,
      }),
      ref("create_gin_text"),
    ),
    ref("create_gin_text"),
  ),
);

g.rule(
  "create_gin_text",
  withColumn(
    "k",
    "t",
    { type: "text" },
    template("{head} ({e}){where}", {
      head: indexHead(" USING gin"),
      e: choice(
        template("to_tsvector('simple', {c})", { c: columnName("k") }),
        template("to_tsvector('english', {c})", { c: columnName("k") }),
        template("string_to_array({c}, ' ')", { c: columnName("k") }),
        template("regexp_split_to_array(lower({c}), '\\s+')", { c: columnName("k") }),
      ),
      where: partial,
    }),
    // An array of one scalar works with GIN's array_ops.
    withColumn(
      "k",
      "t",
      { comparable: true, type: ["integer", "numeric", "date", "uuid", "enum", "text"] },
      template("{head} ((ARRAY[{c}])){where}", {
        head: indexHead(" USING gin"),
        c: columnName("k"),
        where: partial,
      }),
      ref("create_index_expression"),
    ),
  ),
);

g.rule(
  "create_index_expression",
  withColumn(
    "k",
    "t",
    { type: ["text", "number", "json", "bytea", "inet", "timestamp", "date"] },
    template("{head} ({e}){where}", {
      head: indexHead(""),
      e: byColumn("k", [
        [
          { type: "text" },
          choice(
            template("(lower({c}))", { c: columnName("k") }),
            template("(upper({c})) DESC", { c: columnName("k") }),
            template("(md5({c}))", { c: columnName("k") }),
            template("(left({c}, {n}))", { c: columnName("k"), n: number(1, 8) }),
            template("(split_part({c}, ' ', 1))", { c: columnName("k") }),
          ),
        ],
        [
          { type: "number" },
          choice(
            template("(abs({c}))", { c: columnName("k") }),
            template("(({c}::numeric + 1))", { c: columnName("k") }),
            template("(({c}::numeric / 7))", { c: columnName("k") }),
          ),
        ],
        [
          { type: "json" },
          choice(
            template("(({c} -> {k}))", { c: columnName("k"), k: pool(["'color'", "'size'", "'k'"]) }),
            template("(({c} ->> {k}))", { c: columnName("k"), k: pool(["'color'", "'status'", "'w'"]) }),
            template("(jsonb_typeof({c}))", { c: columnName("k") }),
          ),
        ],
        [{ type: "bytea" }, template("(md5({c}))", { c: columnName("k") })],
        [{ type: "inet" }, template("(family({c})), (masklen({c}))", { c: columnName("k") })],
        [{ type: "timestamp" }, template("(({c} AT TIME ZONE 'UTC'))", { c: columnName("k") })],
      ], template("(extract(year FROM {c}))", { c: columnName("k") })),
      where: partial,
    }),
    // No column of those types: a plain index on any comparable column.
    withColumn(
      "k",
      "t",
      { comparable: true },
      template("{head} ({c}){where}", { head: indexHead(""), c: columnName("k"), where: partial }),
      template("ANALYZE {t}", { t: tableName("t") }),
    ),
  ),
);

// ---------------------------------------------------------------------------
// ALTER TABLE

/** A new column's type and default, of a built-in type. */
const newColumnType = choice(
  [2, template("integer DEFAULT {n}", { n: number(-100, 1000) })],
  [2, "bigint NOT NULL DEFAULT 0"],
  [2, template("text DEFAULT '{w}'", { w: pool(["alpha", "beta", "gamma", "delta", ""]) })],
  [1, template("varchar(20) NOT NULL DEFAULT '{w}'", { w: pool(["new", "pending", "x"]) })],
  [2, template("numeric(10,2) DEFAULT {n}.{d}", { n: number(0, 9999), d: number(10, 99) })],
  [2, template("boolean NOT NULL DEFAULT {b}", { b: pool(["true", "false"]) })],
  [1, "date DEFAULT CURRENT_DATE"],
  [2, "timestamptz NOT NULL DEFAULT now()"],
  [1, "timestamp DEFAULT LOCALTIMESTAMP(0)"],
  [2, template("jsonb DEFAULT '{j}'::jsonb", { j: pool(["{}", "[]", '{"v": 1}', '{"tags": ["a", "b"]}']) })],
  [1, "uuid DEFAULT gen_random_uuid()"],
  [1, "text[] NOT NULL DEFAULT '{}'"],
  [1, "integer[] DEFAULT ARRAY[1, 2, 3]"],
  [1, template("interval DEFAULT '{n} hours'", { n: number(1, 72) })],
  [1, "smallint"],
  [1, "double precision DEFAULT random()"],
  [1, "inet DEFAULT '192.168.0.1'"],
  [1, "bytea DEFAULT '\\x00ff'::bytea"],
);

/** A new column typed like the schema's column `k`, with a default valid for it. */
const columnLikeType = withColumn(
  "k",
  "t",
  { generated: false },
  byColumn(
    "k",
    [[
      { nullable: true },
      template("{ty}{d}", {
        ty: columnType("k"),
        d: maybe(template(" DEFAULT {v}", { v: value("k") }), 0.6),
      }),
    ]],
    template("{ty} NOT NULL DEFAULT {v}", { ty: columnType("k"), v: value("k") }),
  ),
);

/** A STORED generated column computed from the schema's column `k`. */
const generatedColumn = withColumn(
  "k",
  "t",
  { type: ["number", "text", "date", "bool", "json"], generated: false },
  byColumn("k", [
    [{ type: "integer" }, template("bigint GENERATED ALWAYS AS ({c} % 7) STORED", { c: columnName("k") })],
    [
      { type: "number" },
      template("numeric GENERATED ALWAYS AS (round({c}::numeric, 1)) STORED", { c: columnName("k") }),
    ],
    [{ type: "text" }, template("text GENERATED ALWAYS AS (upper({c})) STORED", { c: columnName("k") })],
    [
      { type: "date" },
      template("integer GENERATED ALWAYS AS (extract(year FROM {c})::integer) STORED", {
        c: columnName("k"),
      }),
    ],
    [{ type: "bool" }, template("boolean GENERATED ALWAYS AS (NOT {c}) STORED", { c: columnName("k") })],
  ], template("text GENERATED ALWAYS AS ({c} ->> 'k') STORED", { c: columnName("k") })),
  newColumnType,
);

const addColumn = template("ADD COLUMN {ine}{name} {def}", {
  ine: maybe("IF NOT EXISTS ", 0.2),
  name: named("qc"),
  def: choice([6, newColumnType], [3, columnLikeType], [1, generatedColumn]),
});

/** Columns whose default may change without breaking anyone's INSERT. */
const softColumn = {
  nullable: true,
  generated: false,
  primaryKey: false,
  foreignKey: false,
  unique: false,
} as const;

const setDefault = withColumn(
  "d",
  "t",
  softColumn,
  choice(
    [3, template("ALTER COLUMN {c} SET DEFAULT {v}", { c: columnName("d"), v: value("d") })],
    [2, template("ALTER COLUMN {c} DROP DEFAULT", { c: columnName("d") })],
  ),
  withColumn(
    "d",
    "t",
    {},
    template("ALTER COLUMN {c} SET STATISTICS {n}", { c: columnName("d"), n: number(10, 1000) }),
  ),
);

/** A CHECK that holds for every value of column `ck` (NULL included), typed by the column. */
const tautology = withColumn(
  "ck",
  "t",
  {},
  byColumn("ck", [
    [
      { type: ["integer", "numeric"] },
      choice(
        template("{c} > -1e30", { c: columnName("ck") }),
        template("{c} IS NULL OR {c}::numeric = {c}::numeric", { c: columnName("ck") }),
      ),
    ],
    [{ type: "float" }, template("{c} > '-Infinity'", { c: columnName("ck") })],
    [
      { type: "text" },
      choice(
        template("char_length({c}) < 100000000", { c: columnName("ck") }),
        template("{c} IS NOT NULL OR {c} IS NULL", { c: columnName("ck") }),
      ),
    ],
    [{ type: "bool" }, template("{c} OR NOT {c}", { c: columnName("ck") })],
    [{ type: ["date", "timestamp"] }, template("{c} > '-infinity'", { c: columnName("ck") })],
    [{ type: "time" }, template("{c} >= '00:00:00'", { c: columnName("ck") })],
    [{ type: "interval" }, template("{c} > interval '-1000 years'", { c: columnName("ck") })],
    [{ type: "uuid" }, template("length({c}::text) = 36", { c: columnName("ck") })],
    [{ type: "json" }, template("jsonb_typeof({c}) <> 'undefined'", { c: columnName("ck") })],
    [{ type: "bytea" }, template("octet_length({c}) >= 0", { c: columnName("ck") })],
    [{ type: "inet" }, template("family({c}) IN (4, 6)", { c: columnName("ck") })],
  ], template("num_nonnulls({c}) <= 1", { c: columnName("ck") })),
);

const addCheck = template("ADD CONSTRAINT {name} CHECK ({e}){nv}", {
  name: named("qk"),
  e: tautology,
  nv: choice([4, " NOT VALID"], [1, ""]),
});

const alterAction = choice(
  [5, addColumn],
  [4, setDefault],
  [3, addCheck],
  [
    1,
    withColumn(
      "d",
      "t",
      {},
      template("ALTER COLUMN {c} SET STATISTICS {n}", {
        c: columnName("d"),
        n: pool(["-1", "0", "50", "500"]),
      }),
    ),
  ],
  [
    1,
    withColumn(
      "d",
      "t",
      {},
      template("ALTER COLUMN {c} SET (n_distinct = {n})", {
        c: columnName("d"),
        n: pool(["-1", "-0.5", "100"]),
      }),
    ),
  ],
  [1, template("DROP COLUMN IF EXISTS {n}", { n: named("qc") })],
  [1, template("DROP CONSTRAINT IF EXISTS {n}", { n: named("qk") })],
);

g.rule(
  "alter_table",
  withTable(
    "t",
    template("ALTER TABLE {ie}{t} {actions}", {
      ie: maybe("IF EXISTS ", 0.1),
      t: tableName("t"),
      actions: repeat(alterAction, 1, 3, ", "),
    }),
  ),
);

// ---------------------------------------------------------------------------
// COMMENT ON

const commentText = choice(
  [
    5,
    template("'{w} {u}'", {
      w: pool(["Owned by the data team", "Audit note", "Generated", "Do not edit"]),
      u: unique(),
    }),
  ],
  [1, "NULL"],
  [1, "''"],
);

g.rule(
  "comment",
  withTable(
    "t",
    choice(
      template("COMMENT ON TABLE {t} IS {s}", { t: tableName("t"), s: commentText }),
      [
        2,
        withColumn(
          "d",
          "t",
          {},
          template("COMMENT ON COLUMN {t}.{c} IS {s}", {
            t: tableName("t"),
            c: columnName("d"),
            s: commentText,
          }),
        ),
      ],
    ),
  ),
);

// ---------------------------------------------------------------------------
// CREATE TABLE

const likeOption = pool([
  " INCLUDING ALL",
  " INCLUDING DEFAULTS INCLUDING CONSTRAINTS",
  " INCLUDING INDEXES",
  " INCLUDING ALL EXCLUDING INDEXES",
  " INCLUDING COMMENTS INCLUDING STATISTICS",
  " INCLUDING GENERATED INCLUDING IDENTITY",
  "",
]);

/** 1–3 columns of the parent `b`, as `b.col, …`. */
const parentColumns = withColumns(
  "par",
  "b",
  { min: 1, max: 3 },
  eachColumn("par", "s", qualified("b", "s")),
);

/** The join condition of `a` and its parent `b` along the foreign key bound to `fk`. */
const foreignKeyJoin = eachForeignKeyPair(
  "fk",
  "fc",
  "fp",
  template("a.{c} = b.{p}", { c: columnName("fc"), p: columnName("fp") }),
);

/** Columns of `a` for a SELECT list: distinct names, so a table can hold them. */
const selectList = withColumns(
  "sel",
  "t",
  { min: 1, max: 5 },
  eachColumn("sel", "s", qualified("a", "s")),
);

g.rule(
  "create_table",
  withTable(
    "t",
    choice(
      [
        4,
        template("CREATE {kind}TABLE {name} (LIKE {t}{opt}{extra})", {
          kind: choice([6, ""], [1, "UNLOGGED "]),
          name: named("new"),
          t: tableName("t"),
          opt: likeOption,
          // A new table is never partitioned, so it may take an identity column
          // (PostgreSQL 15 cannot add one to a partitioned table).
          extra: maybe(
            template(", {c} {ty}", {
              c: named("qc"),
              ty: choice([4, newColumnType], [1, "bigint GENERATED BY DEFAULT AS IDENTITY"]),
            }),
            0.3,
          ),
        }),
      ],
      [
        4,
        template("CREATE TABLE {name} AS SELECT {cols} FROM {t} AS a{where}{limit}{data}", {
          name: named("new"),
          cols: selectList,
          t: tableName("t"),
          where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.6),
          limit: maybe(template(" LIMIT {n}", { n: number(1, 50) }), 0.3),
          data: pool(["", "", " WITH DATA", " WITH NO DATA"]),
        }),
      ],
      [
        2,
        withForeignKey(
          "fk",
          "t",
          "b",
          template(
            "CREATE TABLE {name} AS SELECT {cols}, concat_ws('|', {parent}) AS quarry_parent FROM {t} AS a JOIN {b} AS b ON {on}",
            {
              name: named("new"),
              cols: selectList,
              parent: parentColumns,
              t: tableName("t"),
              b: tableName("b"),
              on: foreignKeyJoin,
            },
          ),
          template("CREATE TABLE {name} AS TABLE {t} WITH NO DATA", {
            name: named("new"),
            t: tableName("t"),
          }),
        ),
      ],
      [
        1,
        template("SELECT {cols} INTO {tmp}{name} FROM {t} AS a{where}", {
          cols: selectList,
          tmp: pool(["", "TEMP "]),
          name: named("new"),
          t: tableName("t"),
          where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.6),
        }),
      ],
    ),
  ),
);

// ---------------------------------------------------------------------------
// CREATE VIEW

g.rule(
  "create_view",
  withTable(
    "t",
    choice(
      [
        4,
        template("CREATE {or}VIEW {name}{opts} AS SELECT {cols} FROM {t} AS a{where}{check}", {
          or: maybe("OR REPLACE ", 0.3),
          name: named("qv"),
          opts: maybe(pool([" WITH (security_barrier)", " WITH (security_invoker = true)"]), 0.25),
          cols: selectList,
          t: tableName("t"),
          where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.7),
          // Only a simple (auto-updatable) view may take a CHECK OPTION.
          check: maybe(pool([" WITH CHECK OPTION", " WITH LOCAL CHECK OPTION"]), 0.15),
        }),
      ],
      [
        2,
        withColumns(
          "grp",
          "t",
          { min: 1, max: 2, where: { comparable: true } },
          template(
            "CREATE VIEW {name} AS SELECT {g}, count(*) AS quarry_n{agg} FROM {t} AS a GROUP BY {g2}",
            {
              name: named("qv"),
              g: eachColumn("grp", "s", qualified("a", "s")),
              agg: maybe(
                withColumn(
                  "k",
                  "t",
                  { type: "number" },
                  template(", {f}(a.{c}) AS quarry_agg", {
                    f: pool(["sum", "avg", "max", "min"]),
                    c: columnName("k"),
                  }),
                  "",
                ),
                0.7,
              ),
              t: tableName("t"),
              g2: eachColumn("grp", "s", qualified("a", "s")),
            },
          ),
          template("CREATE VIEW {name} AS SELECT count(*) AS quarry_n FROM {t}", {
            name: named("qv"),
            t: tableName("t"),
          }),
        ),
      ],
      [
        2,
        template("CREATE MATERIALIZED VIEW {name} AS SELECT {cols} FROM {t} AS a{where} WITH {no}DATA", {
          name: named("qv"),
          cols: selectList,
          t: tableName("t"),
          where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
          no: pool(["", "NO "]),
        }),
      ],
      [
        1,
        withForeignKey(
          "fk",
          "t",
          "b",
          template(
            "CREATE VIEW {name} AS SELECT {cols}, jsonb_build_array({parent}) AS quarry_parent FROM {t} AS a LEFT JOIN {b} AS b ON {on}",
            {
              name: named("qv"),
              cols: selectList,
              parent: parentColumns,
              t: tableName("t"),
              b: tableName("b"),
              on: foreignKeyJoin,
            },
          ),
          template("CREATE VIEW {name} AS TABLE {t}", { name: named("qv"), t: tableName("t") }),
        ),
      ],
    ),
  ),
);

// ---------------------------------------------------------------------------
// DROP … IF EXISTS of names this grammar's pattern makes (usually absent).

g.rule(
  "drop_if_exists",
  choice(
    template("DROP INDEX IF EXISTS {a}{more}{c}", {
      a: named("qx"),
      more: maybe(template(", {b}", { b: named("qx") }), 0.3),
      c: pool(["", " CASCADE", " RESTRICT"]),
    }),
    template("DROP TABLE IF EXISTS {a}{more}{c}", {
      a: named("new"),
      more: maybe(template(", {b}", { b: named("new") }), 0.3),
      c: pool(["", " CASCADE", " RESTRICT"]),
    }),
    template("DROP VIEW IF EXISTS {a}{c}", { a: named("qv"), c: pool(["", " CASCADE"]) }),
    template("DROP MATERIALIZED VIEW IF EXISTS {a}", { a: named("qv") }),
    withTable(
      "t",
      template("ALTER TABLE {t} DROP {what}", {
        t: tableName("t"),
        what: choice(
          template("COLUMN IF EXISTS {n}", { n: named("qc") }),
          template("CONSTRAINT IF EXISTS {n}", { n: named("qk") }),
        ),
      }),
    ),
  ),
);

// ---------------------------------------------------------------------------
// Sweeps: drop (or validate) what this grammar made earlier, keeping only
// the newest few of each kind, so the catalog stays small however long a
// run is.

/**
 * A DO block that runs `action` (over the loop record `r`) for every row of
 * `query` past the newest `{keep}`. Only objects in the schemas on the
 * search path whose names match this grammar's patterns are touched.
 */
const sweepBlock = (query: string, action: string) =>
  template(
    `DO $sweep$ DECLARE r record; sweep_tag bigint := {u}; BEGIN FOR r IN ${query} OFFSET {keep} LOOP ${action} END LOOP; END $sweep$`,
    { u: unique(), keep: number(0, 12) },
  );

const visible = "n.nspname = ANY (current_schemas(true))";

/** A relation's qualified name as text: still a name if another session drops the relation meanwhile. */
const relationName = (rel: string) => `quote_ident(n.nspname) || '.' || quote_ident(${rel}.relname)`;

/** Relations of `kinds` named `^<prefix>_<digits>$`, newest first. */
const relations = (kinds: string, prefix: string) =>
  `SELECT ${
    relationName("c")
  } AS obj, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN (${kinds}) AND c.relname ~ '^${prefix}_[0-9]+$' AND ${visible} ORDER BY c.oid DESC`;

g.rule(
  "sweep",
  choice(
    [4, sweepBlock(relations("'i', 'I'", "qx"), "EXECUTE format('DROP INDEX IF EXISTS %s', r.obj);")],
    [
      2,
      sweepBlock(relations("'r', 'p'", "new"), "EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', r.obj);"),
    ],
    [
      2,
      sweepBlock(
        relations("'v', 'm'", "qv"),
        "IF r.kind = 'm' THEN EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS %s', r.obj); " +
          "ELSE EXECUTE format('DROP VIEW IF EXISTS %s', r.obj); END IF;",
      ),
    ],
    [
      2,
      // Inherited columns (of partitions) go with their parent's; views over a
      // table's every column (ours) go with the column.
      sweepBlock(
        `SELECT ${
          relationName("c")
        } AS obj, a.attname AS col FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND a.attname ~ '^qc_[0-9]+$' AND NOT a.attisdropped AND a.attinhcount = 0 AND ${visible} ORDER BY a.attrelid DESC, a.attnum DESC`,
        "EXECUTE format('ALTER TABLE IF EXISTS %s DROP COLUMN IF EXISTS %I CASCADE', r.obj, r.col);",
      ),
    ],
    [
      2,
      sweepBlock(
        `SELECT ${
          relationName("c")
        } AS obj, k.conname AS con, k.convalidated AS ok FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'c' AND k.conname ~ '^qk_[0-9]+$' AND k.coninhcount = 0 AND ${visible} ORDER BY k.oid DESC`,
        "IF r.ok THEN EXECUTE format('ALTER TABLE IF EXISTS %s DROP CONSTRAINT IF EXISTS %I', r.obj, r.con); " +
          "ELSE EXECUTE format('ALTER TABLE IF EXISTS %s VALIDATE CONSTRAINT %I', r.obj, r.con); END IF;",
      ),
    ],
  ),
);

// ---------------------------------------------------------------------------
// ANALYZE and transactions of DDL

g.rule(
  "analyze",
  withTable(
    "t",
    choice(
      [3, template("ANALYZE {t}", { t: tableName("t") })],
      [
        2,
        withColumns(
          "sel",
          "t",
          { min: 1, max: 3 },
          template("ANALYZE {v}{t} ({cols})", {
            v: pool(["", "(SKIP_LOCKED) ", "(VERBOSE false) "]),
            t: tableName("t"),
            cols: eachColumn("sel", "s", columnName("s")),
          }),
        ),
      ],
    ),
  ),
);

g.rule(
  "ddl_transaction",
  template("BEGIN; {a}; {b}; COMMIT", {
    a: choice(ref("create_index"), ref("alter_table"), ref("comment")),
    b: choice(ref("create_view"), ref("create_table"), ref("alter_table"), ref("comment")),
  }),
);

export default g;
