/**
 * `functions_ddl`: CREATE [OR REPLACE] FUNCTION and PROCEDURE in LANGUAGE
 * sql (quoted bodies, `RETURN expr` and `BEGIN ATOMIC`) and plpgsql, with
 * IMMUTABLE/STABLE/VOLATILE as the body deserves, arguments typed like the
 * schema's columns (`columnType`) and bodies that query and update the
 * schema's tables; DO blocks; and calls of what was created.
 *
 * Routines are named `f_<unique()>` and `p_<unique()>`. The DSL cannot repeat
 * one unique value within a statement, so a line that creates a routine and
 * calls it works in one transaction under a staging name that never outlives
 * the line: `BEGIN; CREATE FUNCTION quarry_staged_fn(…) …; SELECT
 * quarry_staged_fn(…); ALTER FUNCTION quarry_staged_fn RENAME TO f_<n>;
 * COMMIT`. Calls therefore never reference a routine that does not exist, and
 * reruns never collide. Another form creates `f_<n>` with dynamic SQL in a DO
 * block and calls it by the same name. Sweeps drop all but the newest few
 * `f_`/`p_` routines.
 *
 * @module
 */
import {
  byColumn,
  choice,
  type ColumnFilter,
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
  tableName,
  template,
  unique,
  uniqueLiteral,
  withColumn,
  withColumns,
  withTable,
} from "../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./parts/columns.ts";

const g = grammar("functions_ddl", {
  description: "Schema-aware CREATE FUNCTION/PROCEDURE (sql, plpgsql, BEGIN ATOMIC; typed like the " +
    "schema's columns), DO blocks, and calls of each routine in the same line; names from unique().",
  start: "statement",
  maxDepth: 8,
});

/** The name a routine has between its CREATE and its RENAME, inside one transaction. */
const STAGED_FN = "quarry_staged_fn";
const STAGED_PROC = "quarry_staged_proc";

/**
 * A literal for the bound column cast to its type, so it matches a
 * parameter of that type exactly (an integer literal is no smallint, and
 * only an exact match resolves a call); NULL now and then if nullable.
 */
const arg = (col: string) => template("{v}::{ty}", { v: literal(col), ty: columnType(col) });
/** As {@link arg}, never NULL. */
const value = typedLiteral;
/** `a.<column>`. */
const qa = (col: string) => qualified("a", col);

g.rule(
  "statement",
  choice(
    [40, ref("function_and_call")],
    [14, ref("procedure_and_call")],
    [14, ref("do_block")],
    [6, ref("dynamic_function")],
    [12, ref("create_only")],
    [3, ref("drop_if_exists")],
    [3, ref("sweep")],
  ),
);

// ---------------------------------------------------------------------------
// Pieces of routine definitions

/** Options after the volatility; all safe for any body. */
const functionOptions = choice(
  [6, ""],
  [1, " STRICT"],
  [1, " PARALLEL SAFE"],
  [1, template(" COST {n}", { n: pool(["1", "10", "100", "1000"]) })],
  [1, " SET search_path FROM CURRENT"],
  [1, " SECURITY DEFINER"],
  [1, " CALLED ON NULL INPUT"],
);

/**
 * A routine family: given the routine's name and how a line joins the
 * definition to a call of the staged name, the element for one line. Slots
 * are bound around both, so definition and call agree on types.
 */
type Line = (def: Element, call: Element) => Element;
type Family = (name: Element, line: Line) => Element;

/** `CREATE [OR REPLACE] FUNCTION <name>(<args>) RETURNS <ret> LANGUAGE <lang> <rest>`. */
const fnHead = (name: Element, args: Element, returns: Element, lang: string) =>
  template(`CREATE {or}FUNCTION {name}({args}) RETURNS {ret} LANGUAGE ${lang}`, {
    or: maybe("OR REPLACE ", 0.3),
    name,
    args,
    ret: returns,
  });

/** A SQL body, either quoted or (PostgreSQL 14+) as a BEGIN ATOMIC block. */
const sqlBody = (query: Element) =>
  choice(
    [3, template(" AS $fn$ {q} $fn$", { q: query })],
    [1, template(" BEGIN ATOMIC {q}; END", { q: query })],
  );

/** The parameter `q_arg` typed like column `k`. */
const argOfK = template("q_arg {ty}", { ty: columnType("k") });

/** What a line becomes on a table without a column a family needs. */
const noColumn = template("SELECT {u} AS tag, count(*) FROM {t}", { u: unique(), t: tableName("t") });

/** Picks the table `t` and its column `k` matching `where`, then `body`. */
const onColumn = (where: ColumnFilter, body: Element) =>
  withTable("t", withColumn("k", "t", where, body, noColumn));

/** SELECT from the routine in a few shapes, for a scalar function of column `k`. */
const scalarCall = (fn: string) =>
  choice(
    [3, template(`SELECT ${fn}({v}) AS result`, { v: arg("k") })],
    [
      2,
      template(`SELECT a.{c}, ${fn}(a.{c}) AS result FROM {t} AS a LIMIT {n}`, {
        c: columnName("k"),
        t: tableName("t"),
        n: number(1, 20),
      }),
    ],
  );

/**
 * A function of `q_arg` (typed like column `k`, comparable) defined by
 * `text` over `{head}` (returning `ret` in `lang`), `{opt}` and `parts`,
 * and called as a scalar.
 */
const scalarOnColumn = (
  name: Element,
  line: Line,
  text: string,
  ret: string,
  lang: string,
  parts: Record<string, Element>,
) =>
  onColumn(
    { comparable: true },
    line(
      template(text, { head: fnHead(name, argOfK, ret, lang), opt: functionOptions, ...parts }),
      scalarCall(STAGED_FN),
    ),
  );

const families: [number, Family][] = [];

// SQL: count the rows equal to the argument (STABLE: it reads a table).
families.push([
  5,
  (name, line) =>
    scalarOnColumn(name, line, "{head} STABLE{opt}{body}", "bigint", "sql", {
      body: sqlBody(
        template("SELECT count(*) FROM {t} AS a WHERE {c} = q_arg", { t: tableName("t"), c: qa("k") }),
      ),
    }),
]);

// SQL: the table's rows matching the argument, as SETOF the table's row type.
families.push([
  3,
  (name, line) =>
    onColumn(
      { comparable: true },
      line(
        template("{head} STABLE{opt} AS $fn$ SELECT * FROM {t} AS a WHERE {c} = q_arg LIMIT {n} $fn$", {
          head: fnHead(name, argOfK, template("SETOF {t}", { t: tableName("t") }), "sql"),
          opt: maybe(template(" ROWS {r}", { r: pool(["5", "50", "500"]) }), 0.3),
          t: tableName("t"),
          c: qa("k"),
          n: number(1, 50),
        }),
        choice(
          template(`SELECT count(*) FROM ${STAGED_FN}({v})`, { v: value("k") }),
          template(`SELECT * FROM ${STAGED_FN}({v}) AS r LIMIT {n}`, { v: value("k"), n: number(1, 10) }),
        ),
      ),
    ),
]);

/** An expression over `q_arg` for each type class, with the function's result type and volatility. */
const scalarExpression: [ColumnFilter, string, string, Element][] = [
  [
    { type: "integer" },
    "numeric",
    "IMMUTABLE",
    template("q_arg::numeric * {m} + {a}", { m: number(2, 9), a: number(0, 99) }),
  ],
  [
    { type: ["numeric", "float"] },
    "numeric",
    "IMMUTABLE",
    template("round(q_arg::numeric * {m}, 2)", { m: number(2, 9) }),
  ],
  [
    { type: "text" },
    "text",
    "IMMUTABLE",
    choice(
      "upper(left(q_arg, 5)) || '-' || length(q_arg)",
      "initcap(reverse(q_arg))",
      "coalesce(nullif(trim(q_arg), ''), '(blank)')",
      "md5(q_arg)",
    ),
  ],
  [
    { type: "bool" },
    "text",
    "IMMUTABLE",
    "CASE WHEN q_arg THEN 'yes' WHEN NOT q_arg THEN 'no' ELSE 'unknown' END",
  ],
  [{ type: "date" }, "date", "IMMUTABLE", template("q_arg + {n}", { n: number(-30, 30) })],
  [{ type: "timestamp" }, "text", "STABLE", "to_char(q_arg, 'YYYY-MM-DD HH24:MI')"],
  [{ type: "time" }, "time", "IMMUTABLE", "q_arg + interval '90 minutes'"],
  [
    { type: "interval" },
    "double precision",
    "IMMUTABLE",
    "extract(epoch FROM q_arg)::double precision / 3600",
  ],
  [{ type: "uuid" }, "text", "IMMUTABLE", "replace(q_arg::text, '-', '')"],
  [{ type: "json" }, "text", "IMMUTABLE", "jsonb_typeof(q_arg) || ':' || coalesce(q_arg ->> 'k', '-')"],
  [{ type: "bytea" }, "integer", "IMMUTABLE", "length(q_arg) * 8"],
  [{ type: "inet" }, "text", "IMMUTABLE", "host(q_arg) || '/' || masklen(q_arg)"],
  [{ type: "enum" }, "text", "STABLE", "upper(q_arg::text)"],
];

// SQL: a scalar expression of the argument, with a RETURN body (PostgreSQL 14+) or a quoted one.
families.push([
  5,
  (name, line) =>
    withTable(
      "t",
      withColumn(
        "k",
        "t",
        {},
        byColumn(
          "k",
          scalarExpression.map(([when, ret, volatility, expr]) =>
            [
              when,
              line(
                template(`{head} ${volatility}{opt}{body}`, {
                  head: fnHead(name, argOfK, ret, "sql"),
                  opt: functionOptions,
                  body: choice(
                    [2, template(" AS $fn$ SELECT {e} $fn$", { e: expr })],
                    [1, template(" RETURN {e}", { e: expr })],
                  ),
                }),
                scalarCall(STAGED_FN),
              ),
            ] as const
          ),
          line(
            template("{head} STABLE{opt} AS $fn$ SELECT q_arg::text $fn$", {
              head: fnHead(name, argOfK, "text", "sql"),
              opt: functionOptions,
            }),
            scalarCall(STAGED_FN),
          ),
        ),
      ),
    ),
]);

// PL/pgSQL: count, then branch on the count.
families.push([
  4,
  (name, line) =>
    scalarOnColumn(
      name,
      line,
      "{head} STABLE{opt} AS $fn$ DECLARE q_n bigint; BEGIN SELECT count(*) INTO q_n FROM {t} AS a WHERE {c} = q_arg; " +
        "IF q_n = 0 THEN RETURN 'none'; ELSIF q_n < {few} THEN RETURN 'few'; ELSE RETURN 'many'; END IF; END $fn$",
      "text",
      "plpgsql",
      { t: tableName("t"), c: qa("k"), few: number(2, 10) },
    ),
]);

// PL/pgSQL: a FOR loop over a query, summing a number column.
families.push([
  3,
  (name, line) =>
    onColumn(
      { type: "number" },
      line(
        template(
          "{head} STABLE{opt} AS $fn$ DECLARE q_rec record; q_total numeric := 0; BEGIN FOR q_rec IN SELECT {c} AS v " +
            "FROM {t} AS a WHERE {c2} IS NOT NULL ORDER BY {c3} LIMIT q_lim LOOP q_total := q_total + q_rec.v; END LOOP; " +
            "RETURN q_total; END $fn$",
          {
            head: fnHead(name, "q_lim integer", "numeric", "plpgsql"),
            opt: functionOptions,
            c: qa("k"),
            t: tableName("t"),
            c2: qa("k"),
            c3: qa("k"),
          },
        ),
        template(`SELECT ${STAGED_FN}({n}) AS total`, { n: number(0, 120) }),
      ),
    ),
]);

// PL/pgSQL: RETURNS TABLE filled by RETURN QUERY over a GROUP BY.
families.push([
  3,
  (name, line) =>
    onColumn(
      { comparable: true },
      line(
        template(
          "{head} STABLE{opt} AS $fn$ BEGIN RETURN QUERY SELECT {c}, count(*) FROM {t} AS a GROUP BY {c2} " +
            "ORDER BY 2 DESC, 1 LIMIT q_lim; END $fn$",
          {
            head: fnHead(
              name,
              "q_lim integer",
              template("TABLE (q_key {ty}, q_total bigint)", { ty: columnType("k") }),
              "plpgsql",
            ),
            opt: functionOptions,
            c: qa("k"),
            t: tableName("t"),
            c2: qa("k"),
          },
        ),
        choice(
          template(`SELECT * FROM ${STAGED_FN}({n})`, { n: number(1, 10) }),
          template(`SELECT sum(q_total) FROM ${STAGED_FN}({n}) AS r`, { n: number(1, 10) }),
        ),
      ),
    ),
]);

// PL/pgSQL: an exception handler that turns a data error into a result.
families.push([
  3,
  (name, line) =>
    withTable(
      "t",
      withColumn(
        "k",
        "t",
        { type: ["number", "text"] },
        byColumn(
          "k",
          [[
            { type: "number" },
            line(
              template(
                "{head} IMMUTABLE{opt} AS $fn$ BEGIN RETURN round(q_arg::numeric / q_div, 4); " +
                  "EXCEPTION WHEN division_by_zero THEN RETURN NULL; END $fn$",
                {
                  head: fnHead(name, template("{a}, q_div numeric", { a: argOfK }), "numeric", "plpgsql"),
                  opt: functionOptions,
                },
              ),
              template(`SELECT a.{c}, ${STAGED_FN}(a.{c}, {d}) FROM {t} AS a LIMIT {n}`, {
                c: columnName("k"),
                d: number(0, 3),
                t: tableName("t"),
                n: number(1, 20),
              }),
            ),
          ]],
          line(
            template(
              "{head} IMMUTABLE{opt} AS $fn$ BEGIN RETURN substr(q_arg, 1, 3)::integer; " +
                "EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN RETURN -1; END $fn$",
              { head: fnHead(name, argOfK, "integer", "plpgsql"), opt: functionOptions },
            ),
            scalarCall(STAGED_FN),
          ),
        ),
        noColumn,
      ),
    ),
]);

// PL/pgSQL: dynamic SQL with EXECUTE … INTO … USING.
families.push([
  2,
  (name, line) =>
    scalarOnColumn(
      name,
      line,
      "{head} STABLE{opt} AS $fn$ DECLARE q_n bigint; BEGIN EXECUTE $q$SELECT count(*) FROM {t} AS a " +
        "WHERE {c} IS NOT DISTINCT FROM $1$q$ INTO q_n USING q_arg; RETURN q_n; END $fn$",
      "bigint",
      "plpgsql",
      { t: tableName("t"), c: qa("k") },
    ),
]);

/** `UPDATE t AS a SET u = a.u WHERE <where>`: touches rows, changes nothing. */
const touch = (where: Element) =>
  withColumn(
    "u",
    "t",
    { generated: false },
    template("UPDATE {t} AS a SET {u} = {u2} WHERE {w}", {
      t: tableName("t"),
      u: columnName("u"),
      u2: qa("u"),
      w: where,
    }),
  );

// PL/pgSQL, VOLATILE: an UPDATE whose row count is the result.
families.push([
  3,
  (name, line) =>
    onColumn(
      { comparable: true },
      line(
        template(
          "{head} VOLATILE{opt} AS $fn$ DECLARE q_n bigint; BEGIN {upd}; GET DIAGNOSTICS q_n = ROW_COUNT; RETURN q_n; END $fn$",
          {
            head: fnHead(name, argOfK, "bigint", "plpgsql"),
            opt: functionOptions,
            upd: touch(template("{c} = q_arg", { c: qa("k") })),
          },
        ),
        template(`SELECT ${STAGED_FN}({v}) AS touched`, { v: value("k") }),
      ),
    ),
]);

// SQL: polymorphic arguments (anycompatible since PostgreSQL 13, anyelement).
families.push([
  2,
  (name, line) => {
    const coalesce = line(
      template("{head} IMMUTABLE{opt} AS $fn$ SELECT coalesce(q_a, q_b) $fn$", {
        head: fnHead(name, "q_a anycompatible, q_b anycompatible", "anycompatible", "sql"),
        opt: functionOptions,
      }),
      template(`SELECT ${STAGED_FN}(a.{c}, {v}) FROM {t} AS a LIMIT {n}`, {
        c: columnName("k"),
        v: value("k"),
        t: tableName("t"),
        n: number(1, 20),
      }),
    );
    const pair = line(
      template("{head} IMMUTABLE{opt} AS $fn$ SELECT ARRAY[q_a, q_a] $fn$", {
        head: fnHead(name, "q_a anyelement", "anyarray", "sql"),
        opt: functionOptions,
      }),
      // cardinality(): the client reads a jsonb[] holding NULL badly (postgres.js).
      template(`SELECT cardinality(${STAGED_FN}(a.{c})) FROM {t} AS a LIMIT {n}`, {
        c: columnName("k"),
        t: tableName("t"),
        n: number(1, 20),
      }),
    );
    // An array column has no array type of its own for anyarray to resolve to.
    return onColumn(
      { generated: false },
      byColumn("k", [[{ type: "other" }, coalesce]], choice(coalesce, pair)),
    );
  },
]);

// SQL: VARIADIC numeric[].
families.push([
  2,
  (name, line) =>
    onColumn(
      { type: "number" },
      line(
        template("{head} IMMUTABLE{opt} AS $fn$ SELECT sum(v) FROM unnest(q_vals) AS v $fn$", {
          head: fnHead(name, "VARIADIC q_vals numeric[]", "numeric", "sql"),
          opt: functionOptions,
        }),
        template(`SELECT ${STAGED_FN}(a.{c}::numeric, {v}::numeric, {n}) FROM {t} AS a LIMIT {m}`, {
          c: columnName("k"),
          v: value("k"),
          n: number(-50, 50),
          t: tableName("t"),
          m: number(1, 20),
        }),
      ),
    ),
]);

// SQL: a defaulted argument and named notation in the call.
families.push([
  2,
  (name, line) =>
    onColumn(
      { comparable: true },
      line(
        template(
          "{head} STABLE{opt} AS $fn$ SELECT count(*) FROM (SELECT 1 FROM {t} AS a WHERE {c} <> q_arg LIMIT q_lim) AS s $fn$",
          {
            head: fnHead(
              name,
              template("{a}, q_lim integer DEFAULT {d}", { a: argOfK, d: number(1, 100) }),
              "bigint",
              "sql",
            ),
            opt: functionOptions,
            t: tableName("t"),
            c: qa("k"),
          },
        ),
        choice(
          template(`SELECT ${STAGED_FN}(q_arg => {v})`, { v: value("k") }),
          template(`SELECT ${STAGED_FN}({v}, q_lim => {n})`, { v: value("k"), n: number(0, 30) }),
        ),
      ),
    ),
]);

// SQL: OUT parameters make a row result.
families.push([
  2,
  (name, line) =>
    onColumn(
      { comparable: true },
      line(
        template(
          "CREATE {or}FUNCTION {name}({a}, OUT q_n bigint, OUT q_any boolean) LANGUAGE sql STABLE{opt} AS $fn$ " +
            "SELECT count(*), count(*) > 0 FROM {t} AS a WHERE {c} = q_arg $fn$",
          {
            or: maybe("OR REPLACE ", 0.3),
            name,
            a: argOfK,
            opt: functionOptions,
            t: tableName("t"),
            c: qa("k"),
          },
        ),
        choice(
          template(`SELECT * FROM ${STAGED_FN}({v})`, { v: value("k") }),
          template(`SELECT (${STAGED_FN}({v})).q_n`, { v: value("k") }),
        ),
      ),
    ),
]);

/** Every function family, each a choice alternative with its weight. */
const anyFunction = (name: Element, line: Line) =>
  choice(...families.map(([w, f]) => [w, f(name, line)] as const));

/** A line that creates the staged function, calls it, then gives it its unique name. */
const stagedLine = (kind: "FUNCTION" | "PROCEDURE", stage: string, prefix: string): Line => (def, call) =>
  choice(
    [
      4,
      template(`BEGIN; {def}; {call}; ALTER ${kind} ${stage} RENAME TO ${prefix}_{u}; COMMIT`, {
        def,
        call,
        u: unique(),
      }),
    ],
    // Several statements in one query run as one implicit transaction.
    [
      1,
      template(`{def}; {call}; ALTER ${kind} ${stage} RENAME TO ${prefix}_{u}`, { def, call, u: unique() }),
    ],
  );

g.rule("function_and_call", anyFunction(STAGED_FN, stagedLine("FUNCTION", STAGED_FN, "f")));

// ---------------------------------------------------------------------------
// Procedures

/** `CREATE [OR REPLACE] PROCEDURE <name>(<args>) LANGUAGE <lang>`. */
const procHead = (name: Element, args: Element, lang: string) =>
  template(`CREATE {or}PROCEDURE {name}({args}) LANGUAGE ${lang}`, {
    or: maybe("OR REPLACE ", 0.3),
    name,
    args,
  });

const procedures: [number, Family][] = [
  [
    3,
    (name, line) =>
      onColumn(
        { comparable: true },
        line(
          template(
            "{head} AS $pr$ DECLARE q_n bigint; BEGIN {upd}; GET DIAGNOSTICS q_n = ROW_COUNT; " +
              "RAISE NOTICE 'touched % rows', q_n; END $pr$",
            {
              head: procHead(name, argOfK, "plpgsql"),
              upd: touch(template("{c} = q_arg", { c: qa("k") })),
            },
          ),
          template(`CALL ${STAGED_PROC}({v})`, { v: arg("k") }),
        ),
      ),
  ],
  [
    2,
    (name, line) =>
      onColumn(
        { comparable: true },
        line(
          template("{head}{body}", {
            head: procHead(name, argOfK, "sql"),
            body: choice(
              template(" AS $pr$ {upd} $pr$", { upd: touch(template("{c} = q_arg", { c: qa("k") })) }),
              template(" BEGIN ATOMIC {upd}; END", { upd: touch(template("{c} = q_arg", { c: qa("k") })) }),
            ),
          }),
          template(`CALL ${STAGED_PROC}({v})`, { v: arg("k") }),
        ),
      ),
  ],
  [
    2,
    // INOUT and (PostgreSQL 14+) OUT parameters of procedures.
    (name, line) =>
      onColumn(
        { comparable: true },
        choice(
          line(
            template(
              "{head} AS $pr$ BEGIN SELECT count(*) INTO q_n FROM {t} AS a WHERE {c} = q_arg; END $pr$",
              {
                head: procHead(
                  name,
                  template("{a}, INOUT q_n bigint DEFAULT NULL", { a: argOfK }),
                  "plpgsql",
                ),
                t: tableName("t"),
                c: qa("k"),
              },
            ),
            template(`CALL ${STAGED_PROC}({v})`, { v: value("k") }),
          ),
          line(
            template(
              "{head} AS $pr$ BEGIN SELECT count(*), max({c}::text) INTO q_n, q_top FROM {t} AS a; END $pr$",
              {
                head: procHead(name, "OUT q_n bigint, OUT q_top text", "plpgsql"),
                c: qa("k"),
                t: tableName("t"),
              },
            ),
            `CALL ${STAGED_PROC}(NULL, NULL)`,
          ),
        ),
      ),
  ],
  [
    1,
    // Inserts a row, skipping it when a key is taken.
    (name, line) =>
      withTable(
        "t",
        withColumns(
          "ins",
          "t",
          { min: 0, max: 6, required: true, where: { generated: false } },
          line(
            template(
              "{head} AS $pr$ BEGIN INSERT INTO {t} ({cols}) VALUES ({vals}); " +
                "EXCEPTION WHEN unique_violation OR foreign_key_violation THEN RAISE NOTICE 'skipped: %', SQLERRM; END $pr$",
              {
                head: procHead(name, "", "plpgsql"),
                t: tableName("t"),
                cols: eachColumn("ins", "i", columnName("i")),
                vals: eachColumn("ins", "i", ref("insert_value")),
              },
            ),
            `CALL ${STAGED_PROC}()`,
          ),
          line(
            template("{head} AS $pr$ BEGIN INSERT INTO {t} DEFAULT VALUES; END $pr$", {
              head: procHead(name, "", "plpgsql"),
              t: tableName("t"),
            }),
            `CALL ${STAGED_PROC}()`,
          ),
        ),
      ),
  ],
];

g.rule(
  "insert_value",
  byColumn(
    "i",
    [[{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("i")]],
    literal("i"),
  ),
);

const anyProcedure = (name: Element, line: Line) =>
  choice(...procedures.map(([w, f]) => [w, f(name, line)] as const));

g.rule("procedure_and_call", anyProcedure(STAGED_PROC, stagedLine("PROCEDURE", STAGED_PROC, "p")));

// ---------------------------------------------------------------------------
// Routines created under their unique name only (not called).

const defOnly: Line = (def) => def;

g.rule(
  "create_only",
  choice(
    [3, anyFunction(template("f_{u}", { u: unique() }), defOnly)],
    [1, anyProcedure(template("p_{u}", { u: unique() }), defOnly)],
  ),
);

// ---------------------------------------------------------------------------
// A function created by dynamic SQL under its unique name, then called by it.

g.rule(
  "dynamic_function",
  onColumn(
    { comparable: true },
    template(
      "DO $do$ DECLARE q_name text := 'f_{u}'; q_n bigint; BEGIN " +
        "EXECUTE format('CREATE FUNCTION %I(q_arg {ty}) RETURNS bigint LANGUAGE sql STABLE AS %L', q_name, " +
        "$body$SELECT count(*) FROM {t} AS a WHERE {c} = q_arg$body$); " +
        "EXECUTE format('SELECT %I($1)', q_name) INTO q_n USING {v}; " +
        "RAISE NOTICE '% returned %', q_name, q_n; END $do$",
      {
        u: unique(),
        ty: columnType("k"),
        t: tableName("t"),
        c: qa("k"),
        v: arg("k"),
      },
    ),
  ),
);

// ---------------------------------------------------------------------------
// DO blocks

/** A condition on one column of `a` (the table in `t`), typed by the column. */
g.rule(
  "predicate",
  withColumn(
    "pc",
    "t",
    {},
    byColumn("pc", [
      [
        { type: "number" },
        template("{c} {op} {v}", { c: qa("pc"), op: pool(["<", ">", ">=", "<>"]), v: value("pc") }),
      ],
      [
        { type: "text" },
        choice(
          template("{c} > {v}", { c: qa("pc"), v: value("pc") }),
          template("length({c}) > 3", { c: qa("pc") }),
        ),
      ],
      [{ type: "bool" }, template("{c} IS {b}", { c: qa("pc"), b: pool(["TRUE", "FALSE", "NOT TRUE"]) })],
      [
        { type: ["date", "timestamp", "time", "interval", "enum"] },
        template("{c} >= {v}", { c: qa("pc"), v: value("pc") }),
      ],
      [{ type: "json" }, template("{c} ? 'k'", { c: qa("pc") })],
    ], template("{c} IS NOT NULL", { c: qa("pc") })),
  ),
);

/**
 * A DO block whose declarations start with a `unique()` tag, so no two
 * statements are equal.
 */
const doTemplate = (text: string, parts: Record<string, Element> = {}) =>
  template(
    text.replace("DO $do$ DECLARE ", "DO $do$ DECLARE q_tag bigint := {q_tag}; ")
      .replace("DO $do$ BEGIN ", "DO $do$ DECLARE q_tag bigint := {q_tag}; BEGIN "),
    { ...parts, q_tag: unique() },
  );

g.rule(
  "do_block",
  withTable(
    "t",
    choice(
      [
        3,
        doTemplate(
          "DO $do$ DECLARE q_n bigint; BEGIN SELECT count(*) INTO q_n FROM {t} AS a WHERE {p}; " +
            "IF q_n > {lim} THEN RAISE NOTICE 'many rows: %', q_n; ELSE RAISE NOTICE 'few rows: %', q_n; END IF; END $do$",
          { t: tableName("t"), p: ref("predicate"), lim: number(0, 50) },
        ),
      ],
      [
        3,
        // Visit a few rows by primary key and touch each one.
        withColumns(
          "pk",
          "t",
          { min: 1, max: 64, all: true, where: { primaryKey: true } },
          doTemplate(
            "DO $do$ DECLARE q_rec record; q_n bigint := 0; BEGIN FOR q_rec IN SELECT {keys} FROM {t} AS a WHERE {p} " +
              "LIMIT {lim} LOOP {upd}; q_n := q_n + 1; END LOOP; RAISE NOTICE 'visited % rows', q_n; END $do$",
            {
              keys: eachColumn("pk", "pk_c", qa("pk_c")),
              t: tableName("t"),
              p: ref("predicate"),
              lim: number(1, 10),
              upd: touch(
                eachColumn(
                  "pk",
                  "pk_c",
                  template("{c} = q_rec.{c2}", { c: qa("pk_c"), c2: columnName("pk_c") }),
                  " AND ",
                ),
              ),
            },
          ),
          template("SELECT {u} AS q", { u: unique() }),
        ),
      ],
      [
        2,
        withColumns(
          "ins",
          "t",
          { min: 0, max: 6, required: true, where: { generated: false } },
          doTemplate(
            "DO $do$ BEGIN INSERT INTO {t} ({cols}) VALUES ({vals}); EXCEPTION WHEN unique_violation OR " +
              "foreign_key_violation THEN RAISE NOTICE 'skipped: %', SQLSTATE; END $do$",
            {
              t: tableName("t"),
              cols: eachColumn("ins", "i", columnName("i")),
              vals: eachColumn("ins", "i", ref("insert_value")),
            },
          ),
          doTemplate("DO $do$ BEGIN INSERT INTO {t} DEFAULT VALUES; END $do$", { t: tableName("t") }),
        ),
      ],
      [
        2,
        withColumn(
          "k",
          "t",
          {},
          doTemplate(
            "DO $do$ DECLARE q_n bigint; BEGIN EXECUTE format('SELECT count(*) FROM %s AS a WHERE %s IS NOT NULL', " +
              "$n${t}$n$, $n${c}$n$) INTO q_n; RAISE NOTICE 'non-null: %', q_n; END $do$",
            { t: tableName("t"), c: qa("k") },
          ),
        ),
      ],
      [
        1,
        doTemplate(
          "DO $do$ DECLARE q_i integer := 0; q_acc numeric := 0; q_rows bigint; BEGIN SELECT count(*) INTO q_rows FROM {t}; " +
            "WHILE q_i < {n} LOOP q_i := q_i + 1; q_acc := q_acc + q_i * q_rows; END LOOP; " +
            "CASE WHEN q_acc > 1000 THEN RAISE NOTICE 'large %', q_acc; ELSE RAISE NOTICE 'small %', q_acc; END CASE; END $do$",
          { t: tableName("t"), n: number(1, 30) },
        ),
      ],
      [
        1,
        withColumn(
          "k",
          "t",
          { type: "number" },
          doTemplate(
            "DO $do$ DECLARE q_x numeric; BEGIN BEGIN SELECT 1 / min({c})::numeric INTO q_x FROM {t} AS a WHERE {c2} = 0; " +
              "EXCEPTION WHEN division_by_zero THEN q_x := NULL; END; RAISE NOTICE 'x = %', q_x; END $do$",
            { c: qa("k"), t: tableName("t"), c2: qa("k") },
          ),
          doTemplate("DO $do$ BEGIN PERFORM pg_sleep(0); END $do$"),
        ),
      ],
    ),
  ),
);

// ---------------------------------------------------------------------------
// DROP … IF EXISTS, and sweeps of all but the newest routines

g.rule(
  "drop_if_exists",
  withTable(
    "t",
    withColumn(
      "k",
      "t",
      {},
      choice(
        template("DROP FUNCTION IF EXISTS f_{u}({ty})", { u: unique(), ty: columnType("k") }),
        template("DROP PROCEDURE IF EXISTS p_{u}({ty}){c}", {
          u: unique(),
          ty: columnType("k"),
          c: pool(["", " CASCADE"]),
        }),
        template("DROP ROUTINE IF EXISTS f_{u}, p_{u2}", { u: unique(), u2: unique() }),
      ),
    ),
  ),
);

g.rule(
  "sweep",
  template(
    // Names as text: a routine another session drops meanwhile is skipped by IF EXISTS, not printed as an OID.
    "DO $sweep$ DECLARE r record; sweep_tag bigint := {u}; BEGIN FOR r IN SELECT format('%I.%I(%s)', " +
      "n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS fn " +
      "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname ~ '^[fp]_[0-9]+$' " +
      "AND n.nspname = ANY (current_schemas(true)) ORDER BY p.oid DESC OFFSET {keep} LOOP " +
      "EXECUTE format('DROP ROUTINE IF EXISTS %s', r.fn); END LOOP; END $sweep$",
    { u: unique(), keep: number(0, 50) },
  ),
);

export default g;
