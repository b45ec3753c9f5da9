/**
 * `utility_statements`: the parts of PostgreSQL's grammar that are neither
 * queries nor table DDL, over whatever schema it is compiled against:
 *
 * - objects beside tables: sequences, domains, enum, composite and range
 *   types, aggregates, operators, casts, functions (ALTER FUNCTION), schemas
 *   (ALTER … SET SCHEMA, OWNER TO), rules, triggers with transition tables,
 *   extended statistics, row-level security policies, publications, text
 *   search configurations and dictionaries, conversions, materialized views
 *   (REFRESH) and partitioned tables (PARTITION OF, ATTACH and DETACH);
 * - privileges: GRANT and REVOKE on tables and columns, ALTER DEFAULT
 *   PRIVILEGES;
 * - maintenance and session commands: CLUSTER, REINDEX, TRUNCATE, REPLICA
 *   IDENTITY, LISTEN/NOTIFY/UNLISTEN, DISCARD, EXPLAIN (plain and ANALYZE),
 *   PREPARE/EXECUTE/DEALLOCATE with typed parameters.
 *
 * Every statement is self-contained, so statement `i` never depends on an
 * earlier one: objects are made, altered and used inside one transaction
 * that rolls back (`BEGIN; …; ROLLBACK;`), under fixed `quarry_` names that
 * the rollback frees again. Only what needs no superuser is sent (no
 * CHECKPOINT, event triggers, operator classes or ALTER SYSTEM), and only
 * syntax PostgreSQL 15 and PGlite both accept. Schema tables are altered
 * only inside those transactions, but TRUNCATE, CLUSTER and ALTER TABLE hold
 * their locks until the rollback: under several connections expect waits and
 * now and then a deadlock (40P01). Every statement carries a `unique()` value.
 *
 * @module
 */
import {
  choice,
  columnName,
  columnType,
  eachColumn,
  grammar,
  maybe,
  number,
  pool,
  ref,
  tableName,
  template,
  unique,
  withColumn,
  withColumns,
  withTable,
} from "../core/dsl/grammar.ts";
import { catalogExpressions, portableCatalog, scopeLeaves } from "./parts/catalog_expressions.ts";
import { nonNullLiteral, qualified } from "./parts/columns.ts";

const g = grammar("utility_statements", {
  description: "Objects beside tables (sequences, domains, enum/composite/range types, aggregates, " +
    "operators, casts, rules, triggers, statistics, policies, publications, text search, partitions), " +
    "GRANT/REVOKE, CLUSTER/REINDEX/TRUNCATE, LISTEN/NOTIFY, DISCARD, EXPLAIN and PREPARE/EXECUTE; what changes the " +
    "database runs in a transaction that rolls back; unique by construction.",
  start: "statement",
  maxDepth: 8,
});

// Built on first use (Grammar.defer): the catalog part's rules are costly and most runs never need them.
g.defer(() => {
  // The server's own functions, operators and casts (configs/catalog/) over the columns of `a`, for the
  // queries EXPLAIN and PREPARE take.
  const c = catalogExpressions(portableCatalog(), {
    prefix: "a_c",
    leaves: scopeLeaves(["a"]),
    enumAliases: ["a"],
  });
  for (const [name, rule] of c.rules) g.rule(name, rule);
  g.rule("catalog_condition", c.e("bool")!);
  g.rule("catalog_value", c.comparable);
});

/** `BEGIN; <parts>; ROLLBACK;`: what the statement made is gone after it. */
const scratch = (text: string, parts: Parameters<typeof template>[1] = {}) =>
  template(`BEGIN; ${text}; ROLLBACK;`, parts);

/** The unique tag of a statement, as a string literal. */
const tag = template("'quarry {u}'", { u: unique() });

g.rule(
  "statement",
  choice(
    [8, ref("sequence")],
    [8, ref("domain")],
    [8, ref("enum_type")],
    [6, ref("composite_type")],
    [5, ref("range_type")],
    [6, ref("aggregate_function")],
    [5, ref("operator")],
    [5, ref("rule_trigger")],
    [6, ref("statistics")],
    [6, ref("policy")],
    [6, ref("grants")],
    [5, ref("publication")],
    [5, ref("text_search")],
    [6, ref("partitions")],
    [6, ref("maintenance")],
    [4, ref("notifications")],
    [8, ref("explain")],
    [8, ref("prepared")],
  ),
);

// ---------------------------------------------------------------------------
// Objects beside tables

g.rule(
  "sequence",
  scratch(
    "CREATE SEQUENCE quarry_seq AS bigint INCREMENT BY {i} MINVALUE 1 START WITH {u}{cache}; " +
      "SELECT nextval('quarry_seq'), currval('quarry_seq'); ALTER SEQUENCE quarry_seq {alter}; " +
      "SELECT setval('quarry_seq', {n}, {called})",
    {
      i: number(1, 9),
      u: unique(),
      cache: maybe(template(" CACHE {c}", { c: number(1, 20) }), 0.3),
      alter: pool(["RESTART", "RESTART WITH 5", "INCREMENT BY -1", "NO CYCLE", "CYCLE", "OWNED BY NONE"]),
      n: number(1, 1000),
      called: pool(["true", "false"]),
    },
  ),
);

g.rule(
  "domain",
  withTable(
    "a",
    withColumn(
      "d",
      "a",
      { type: ["integer", "text", "date"], nullable: true },
      scratch(
        "CREATE DOMAIN quarry_dom AS {ty}{nn} CHECK (VALUE IS NOT NULL OR VALUE IS NULL); " +
          "ALTER DOMAIN quarry_dom {alter}; COMMENT ON DOMAIN quarry_dom IS {tag}; " +
          "SELECT CAST({c} AS quarry_dom) FROM {t} AS a LIMIT {n}",
        {
          ty: columnType("d"),
          nn: pool(["", " NULL"]),
          alter: choice(
            template("SET DEFAULT {v}", { v: nonNullLiteral("d") }),
            "DROP DEFAULT",
            "ADD CONSTRAINT quarry_dom_extra CHECK (VALUE IS DISTINCT FROM NULL) NOT VALID",
            "RENAME CONSTRAINT quarry_dom_check TO quarry_dom_rule",
            "OWNER TO CURRENT_USER",
          ),
          tag,
          c: qualified("a", "d"),
          t: tableName("a"),
          n: number(1, 20),
        },
      ),
      scratch(
        "CREATE DOMAIN quarry_dom AS integer DEFAULT {n} CHECK (VALUE > 0); COMMENT ON DOMAIN quarry_dom IS {tag}",
        {
          n: number(1, 99),
          tag,
        },
      ),
    ),
  ),
);

g.rule(
  "enum_type",
  scratch(
    // A value added in this transaction may not be used before it commits: the enum is read first.
    "CREATE TYPE quarry_enum AS ENUM ('low', 'mid', 'high'); " +
      "SELECT enum_range(NULL::quarry_enum), 'low'::quarry_enum < 'high'; ALTER TYPE quarry_enum {alter}; " +
      "ALTER TYPE quarry_enum OWNER TO CURRENT_USER; COMMENT ON TYPE quarry_enum IS {tag}{move}",
    {
      alter: pool([
        "ADD VALUE 'top' AFTER 'high'",
        "ADD VALUE IF NOT EXISTS 'mid'",
        "ADD VALUE 'none' BEFORE 'low'",
        "RENAME VALUE 'mid' TO 'medium'",
      ]),
      tag,
      move: maybe("; CREATE SCHEMA quarry_s; ALTER TYPE quarry_enum SET SCHEMA quarry_s", 0.4),
    },
  ),
);

g.rule(
  "composite_type",
  scratch(
    "CREATE TYPE quarry_row AS (n integer, label text, at date); " +
      "CREATE CAST (quarry_row AS text) WITH INOUT AS ASSIGNMENT; " +
      "SELECT CAST(ROW({n}, 'x', NULL)::quarry_row AS text); ALTER TYPE quarry_row {alter}; " +
      "COMMENT ON TYPE quarry_row IS {tag}",
    {
      alter: pool([
        "ADD ATTRIBUTE extra numeric",
        "ALTER ATTRIBUTE label TYPE varchar(40)",
        "RENAME ATTRIBUTE at TO day",
      ]),
      tag,
      n: number(0, 999),
    },
  ),
);

/** A range type over `sub`, made and used: its constructor, containment of an element, a half-open range. */
const rangeOver = (sub: string) =>
  scratch(
    `CREATE TYPE quarry_range AS RANGE (subtype = ${sub}); COMMENT ON TYPE quarry_range IS {tag}; ` +
      `SELECT quarry_range({lo}, {hi}) @> CAST({x} AS ${sub}), quarry_range({lo2}, NULL, '(]')`,
    { tag, lo: number(-50, 0), hi: number(1, 50), x: number(-60, 60), lo2: number(-9, 9) },
  );

g.rule(
  "range_type",
  choice(rangeOver("float8"), rangeOver("numeric"), rangeOver("integer"), rangeOver("bigint")),
);

g.rule(
  "aggregate_function",
  withTable(
    "a",
    withColumn(
      "n",
      "a",
      { type: "integer" },
      scratch(
        "CREATE AGGREGATE quarry_total (bigint) (sfunc = int8pl, stype = bigint, initcond = '0'); " +
          "CREATE FUNCTION quarry_f(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x + 1'; " +
          "ALTER FUNCTION quarry_f(bigint) {fa}; ALTER FUNCTION quarry_f(bigint) OWNER TO CURRENT_USER; " +
          "ALTER AGGREGATE quarry_total(bigint) RENAME TO quarry_sum; " +
          "SELECT quarry_sum(quarry_f({c}::bigint)), {u} AS q FROM {t} AS a",
        {
          fa: pool(["STABLE", "COST 5", "PARALLEL SAFE", "STRICT", "SET search_path = pg_catalog"]),
          c: qualified("a", "n"),
          u: unique(),
          t: tableName("a"),
        },
      ),
      scratch(
        "CREATE AGGREGATE quarry_total (bigint) (sfunc = int8pl, stype = bigint, initcond = '0'); " +
          "SELECT quarry_total(g) FROM generate_series(1, {n}) AS g; COMMENT ON AGGREGATE quarry_total(bigint) IS {tag}",
        { n: number(1, 100), tag },
      ),
    ),
  ),
);

g.rule(
  "operator",
  scratch(
    "CREATE OPERATOR === (leftarg = integer, rightarg = integer, function = int4eq, commutator = ===); " +
      "ALTER OPERATOR === (integer, integer) SET (RESTRICT = eqsel, JOIN = eqjoinsel); " +
      "COMMENT ON OPERATOR === (integer, integer) IS {tag}; SELECT {x} === {y}{conv}",
    {
      tag,
      x: number(0, 5),
      y: number(0, 5),
      conv: maybe("; CREATE CONVERSION quarry_conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8", 0.3),
    },
  ),
);

/** A scratch copy of table `a` that rules and triggers may change freely. */
const scratchCopy = template("CREATE TEMP TABLE quarry_copy (LIKE {t} INCLUDING DEFAULTS)", {
  t: tableName("a"),
});

g.rule(
  "rule_trigger",
  withTable(
    "a",
    choice(
      scratch(
        "{copy}; CREATE TABLE quarry_log (note text); " +
          "CREATE RULE quarry_rule AS ON {ev} TO quarry_copy DO ALSO INSERT INTO quarry_log VALUES ({tag}); " +
          "INSERT INTO quarry_copy SELECT * FROM {t} LIMIT {n}; SELECT count(*) FROM quarry_log",
        {
          copy: scratchCopy,
          ev: pool(["INSERT", "UPDATE", "DELETE"]),
          tag,
          t: tableName("a"),
          n: number(1, 9),
        },
      ),
      scratch(
        "{copy}; CREATE FUNCTION quarry_trg() RETURNS trigger LANGUAGE plpgsql AS " +
          "$quarry$BEGIN RETURN NULL; END$quarry$; CREATE TRIGGER quarry_trigger AFTER {ev} ON quarry_copy " +
          "REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION quarry_trg(); " +
          "ALTER TABLE quarry_copy {able} TRIGGER quarry_trigger; " +
          "INSERT INTO quarry_copy SELECT * FROM {t} LIMIT {n}; COMMENT ON TRIGGER quarry_trigger ON quarry_copy IS {tag}",
        {
          copy: scratchCopy,
          // A trigger with transition tables takes one event.
          ev: pool(["INSERT", "UPDATE"]),
          able: pool(["DISABLE", "ENABLE", "ENABLE ALWAYS"]),
          t: tableName("a"),
          n: number(1, 9),
          tag,
        },
      ),
    ),
  ),
);

g.rule(
  "statistics",
  withTable(
    "a",
    withColumns(
      "st",
      "a",
      { min: 2, max: 3, where: { comparable: true } },
      scratch(
        "CREATE STATISTICS quarry_stats ({kinds}) ON {cols} FROM {t}; ALTER STATISTICS quarry_stats SET STATISTICS {n}; " +
          "COMMENT ON STATISTICS quarry_stats IS {tag}; ANALYZE {t2}",
        {
          kinds: pool(["ndistinct", "dependencies", "mcv", "ndistinct, dependencies", "ndistinct, mcv"]),
          cols: eachColumn("st", "sc", columnName("sc")),
          t: tableName("a"),
          n: number(0, 500),
          tag,
          t2: tableName("a"),
        },
      ),
      scratch("COMMENT ON TABLE {t} IS {tag}; ANALYZE {t2}", { t: tableName("a"), tag, t2: tableName("a") }),
    ),
  ),
);

/** An immutable condition on one column of `a`, unqualified (for policies). */
const rowCondition = withColumn(
  "pc",
  "a",
  { orderable: true },
  template("{c} {op} {v}", {
    c: columnName("pc"),
    op: pool(["<", "<=", ">", ">=", "<>"]),
    v: nonNullLiteral("pc"),
  }),
  "true",
);

g.rule(
  "policy",
  withTable(
    "a",
    scratch(
      "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; CREATE POLICY quarry_policy ON {t2} AS {perm} FOR {cmd} TO {role} " +
        "USING ({cond}); ALTER POLICY quarry_policy ON {t3} USING ({cond2}); COMMENT ON POLICY quarry_policy ON {t4} IS {tag}",
      {
        t: tableName("a"),
        t2: tableName("a"),
        perm: pool(["PERMISSIVE", "RESTRICTIVE"]),
        cmd: pool(["SELECT", "DELETE", "ALL"]),
        role: pool(["PUBLIC", "CURRENT_USER", "SESSION_USER"]),
        cond: rowCondition,
        t3: tableName("a"),
        cond2: rowCondition,
        t4: tableName("a"),
        tag,
      },
    ),
  ),
);

g.rule(
  "grants",
  withTable(
    "a",
    withColumns(
      "gc",
      "a",
      { min: 1, max: 2 },
      scratch(
        "GRANT {priv} ({cols}) ON {t} TO PUBLIC; REVOKE {priv2} ON {t2} FROM PUBLIC{cascade}; " +
          "ALTER DEFAULT PRIVILEGES {dp}; COMMENT ON TABLE {t3} IS {tag}",
        {
          priv: pool(["SELECT", "UPDATE", "INSERT", "REFERENCES", "SELECT, UPDATE"]),
          cols: eachColumn("gc", "g", columnName("g")),
          t: tableName("a"),
          priv2: pool(["ALL", "SELECT", "UPDATE, DELETE", "TRUNCATE"]),
          t2: tableName("a"),
          cascade: pool(["", " CASCADE", " RESTRICT"]),
          dp: pool([
            "GRANT SELECT ON TABLES TO PUBLIC",
            "REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
            "GRANT USAGE ON SEQUENCES TO PUBLIC",
            "GRANT USAGE ON TYPES TO PUBLIC",
          ]),
          t3: tableName("a"),
          tag,
        },
      ),
    ),
  ),
);

g.rule(
  "publication",
  withTable(
    "a",
    scratch(
      "CREATE PUBLICATION quarry_pub FOR TABLE {t} WITH (publish = {pub}); " +
        "COMMENT ON PUBLICATION quarry_pub IS {tag}; ALTER PUBLICATION quarry_pub {alter}",
      {
        t: tableName("a"),
        pub: pool(["'insert'", "'insert, update'", "'delete'", "'truncate'"]),
        alter: choice(
          template("SET (publish = {p})", { p: pool(["'insert'", "'update, delete'"]) }),
          template("DROP TABLE {t}", { t: tableName("a") }),
          "RENAME TO quarry_pub2",
          "OWNER TO CURRENT_USER",
        ),
        tag,
      },
    ),
  ),
);

g.rule(
  "text_search",
  choice(
    scratch(
      "CREATE TEXT SEARCH CONFIGURATION quarry_ts (COPY = {cfg}); ALTER TEXT SEARCH CONFIGURATION quarry_ts {alter}; " +
        "SELECT to_tsvector('quarry_ts', {tag}) @@ plainto_tsquery('quarry_ts', 'quarry')",
      {
        cfg: pool(["english", "simple", "german", "french"]),
        alter: pool([
          "DROP MAPPING IF EXISTS FOR email, url",
          "ALTER MAPPING FOR word WITH simple",
          "ALTER MAPPING REPLACE english_stem WITH simple",
        ]),
        tag,
      },
    ),
    scratch(
      "CREATE TEXT SEARCH DICTIONARY quarry_dict (TEMPLATE = simple, STOPWORDS = english); " +
        "ALTER TEXT SEARCH DICTIONARY quarry_dict (ACCEPT = {accept}); SELECT ts_lexize('quarry_dict', {tag})",
      { accept: pool(["true", "false"]), tag },
    ),
  ),
);

g.rule(
  "partitions",
  choice(
    scratch(
      "CREATE TABLE quarry_parted (k integer, v text) PARTITION BY RANGE (k); " +
        "CREATE TABLE quarry_low PARTITION OF quarry_parted FOR VALUES FROM (MINVALUE) TO (100); " +
        "CREATE TABLE quarry_high (LIKE quarry_parted); " +
        "ALTER TABLE quarry_parted ATTACH PARTITION quarry_high FOR VALUES FROM (100) TO (MAXVALUE); " +
        "INSERT INTO quarry_parted VALUES ({a}, {tag}), ({b}, 'b'); ALTER TABLE quarry_parted DETACH PARTITION quarry_low",
      { a: number(-100, 99), tag, b: number(100, 500) },
    ),
    scratch(
      "CREATE TABLE quarry_parted (k text, v integer) PARTITION BY LIST (k); " +
        "CREATE TABLE quarry_ab PARTITION OF quarry_parted FOR VALUES IN ('a', 'b'); " +
        "CREATE TABLE quarry_rest PARTITION OF quarry_parted DEFAULT; INSERT INTO quarry_parted VALUES ('a', {n}), ({tag}, 2)",
      { n: number(0, 100), tag },
    ),
    scratch(
      "CREATE TABLE quarry_parted (k bigint, v text) PARTITION BY HASH (k); " +
        "CREATE TABLE quarry_h0 PARTITION OF quarry_parted FOR VALUES WITH (MODULUS 2, REMAINDER 0); " +
        "CREATE TABLE quarry_h1 PARTITION OF quarry_parted FOR VALUES WITH (MODULUS 2, REMAINDER 1); " +
        "INSERT INTO quarry_parted VALUES ({u}, 'x'); SELECT tableoid::regclass, k FROM quarry_parted",
      { u: unique() },
    ),
  ),
);

// ---------------------------------------------------------------------------
// Maintenance and session commands

g.rule(
  "maintenance",
  withTable(
    "a",
    withColumn(
      "ix",
      "a",
      { comparable: true },
      // CLUSTER and REINDEX TABLE of a partitioned table cannot run in a transaction: they work on a copy.
      scratch(
        "{copy}; INSERT INTO quarry_copy SELECT * FROM {t} LIMIT {n}; CREATE INDEX quarry_ix ON quarry_copy ({c}); " +
          "CLUSTER quarry_copy USING quarry_ix; REINDEX INDEX quarry_ix; REINDEX TABLE quarry_copy; " +
          "ALTER TABLE quarry_copy REPLICA IDENTITY {ri}; COMMENT ON INDEX quarry_ix IS {tag}; " +
          "TRUNCATE {t2}{restart} CASCADE",
        {
          copy: scratchCopy,
          t: tableName("a"),
          n: number(1, 50),
          c: columnName("ix"),
          ri: pool(["FULL", "DEFAULT", "NOTHING"]),
          tag,
          t2: tableName("a"),
          restart: pool(["", " RESTART IDENTITY", " CONTINUE IDENTITY"]),
        },
      ),
      scratch("{copy}; REINDEX TABLE quarry_copy; TRUNCATE {t} CASCADE; COMMENT ON TABLE {t2} IS {tag}", {
        copy: scratchCopy,
        t: tableName("a"),
        t2: tableName("a"),
        tag,
      }),
    ),
  ),
);

g.rule(
  "notifications",
  scratch(
    "LISTEN quarry_channel; NOTIFY quarry_channel, {tag}; SELECT pg_notify('quarry_channel', 'x'); " +
      "UNLISTEN {which}; DISCARD {discard}",
    {
      tag,
      which: pool(["quarry_channel", "*"]),
      discard: pool(["PLANS", "SEQUENCES", "TEMP"]),
    },
  ),
);

/**
 * A read of table `a`, tagged with the statement's unique value, where column `k` meets `where`; with
 * `catalog`, now and then a value and a condition from the server's catalog too. A prepared statement
 * takes none: a runtime error in EXECUTE would skip the DEALLOCATE after it.
 */
const read = (where: string, parts: Parameters<typeof template>[1], catalog: boolean) =>
  withColumns(
    "rc",
    "a",
    { min: 1, max: 3 },
    template(`SELECT {u} AS q, {cols}{value} FROM {t} AS a WHERE ${where}{cond} ORDER BY 1 LIMIT {n}`, {
      ...parts,
      u: unique(),
      cols: eachColumn("rc", "r", qualified("a", "r")),
      value: catalog ? maybe(template(", {v}", { v: ref("catalog_value") }), 0.7) : "",
      cond: catalog ? maybe(template(" AND {b}", { b: ref("catalog_condition") }), 0.7) : "",
      t: tableName("a"),
      n: number(1, 50),
    }),
  );

g.rule(
  "explain",
  withTable(
    "a",
    withColumn(
      "k",
      "a",
      { orderable: true },
      template("EXPLAIN ({opts}) {q}", {
        opts: pool([
          "COSTS OFF",
          "COSTS OFF, VERBOSE",
          "FORMAT JSON",
          "FORMAT YAML, COSTS OFF",
          "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF",
          "ANALYZE, BUFFERS, FORMAT XML",
          "SETTINGS, COSTS OFF",
        ]),
        q: read("{c} >= {v}", { c: qualified("a", "k"), v: nonNullLiteral("k") }, true),
      }),
    ),
  ),
);

g.rule(
  "prepared",
  withTable(
    "a",
    withColumn(
      "k",
      "a",
      { comparable: true },
      template(
        "PREPARE quarry_query ({ty}, bigint) AS {q}; EXECUTE quarry_query({v}, {n}); DEALLOCATE {prep}quarry_query",
        {
          ty: columnType("k"),
          q: read("({c} = $1 OR $2 < 0)", { c: qualified("a", "k") }, false),
          v: nonNullLiteral("k"),
          n: number(-1, 5),
          prep: pool(["", "PREPARE "]),
        },
      ),
    ),
  ),
);

export default g;
