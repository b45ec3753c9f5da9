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
 *   FILTER, stddev, bool_and; window functions; casts between types;
 * - and the rest of the server's catalog: values and conditions drawn from
 *   its functions, operators and casts (`parts/catalog_expressions.ts`);
 * - statement forms: MERGE (WHEN MATCHED … UPDATE/DELETE/DO NOTHING, WHEN NOT
 *   MATCHED … INSERT), DEFAULT in INSERT VALUES and UPDATE SET, UPDATE SET
 *   (a, b) = (SELECT …), TABLESAMPLE SYSTEM/BERNOULLI with REPEATABLE,
 *   DISTINCT ON with an ARRAY subquery, row locks of every strength with
 *   SKIP LOCKED/NOWAIT, XMLTABLE and the XML functions, and the SQL value
 *   functions (CURRENT_DATE, LOCALTIMESTAMP, CURRENT_USER …).
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
  columnType,
  eachColumn,
  eachForeignKeyPair,
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
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";
import { catalogExpressions, portableCatalog, scopeLeaves } from "./parts/catalog_expressions.ts";
import { qualified } from "./parts/columns.ts";
import { recomputedValue, writeValue } from "./parts/range_preserving_values.ts";
import { typedAggregateOverA } from "./parts/typed_aggregates.ts";
import { castOf } from "./parts/typed_casts.ts";
import { typedFunctionCondition } from "./parts/typed_function_conditions.ts";
import { typedFunctionExpression } from "./parts/typed_function_expressions.ts";

const g = grammar("dml_with_functions", {
  description: "Schema-aware SELECT/INSERT/UPDATE/DELETE/MERGE heavy on built-in functions (string, math, " +
    "date/time, conditional, ordered-set and filtered aggregates, window functions, casts), each typed by " +
    "the column it is applied to; unique by construction.",
  start: "query",
  maxDepth: 10,
});

// Built on first use (Grammar.defer): the catalog part's rules are costly and most runs never need them.
g.defer(() => {
  const tag = template("{u} AS q", { u: unique() });

  g.rule(
    "query",
    choice([46, ref("select")], [20, ref("insert")], [22, ref("update")], [12, ref("delete")], [
      10,
      ref("merge"),
    ]),
  );

  // ---------------------------------------------------------------------------
  // Value expressions, typed by the column they read

  /** A value expression over one column of `alias`, sometimes wrapped in a conditional. */
  const valueRule = (alias: string) => {
    const c = `e_${alias}`;
    const e = typedFunctionExpression(alias, c);
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

  /** The server's own functions, operators and casts (configs/catalog/) over the columns of `alias`. */
  const catalogOf = (alias: string) => {
    const c = catalogExpressions(portableCatalog(), {
      prefix: `${alias}_c`,
      leaves: scopeLeaves([alias]),
      enumAliases: [alias],
    });
    for (const [name, rule] of c.rules) g.rule(name, rule);
    return c;
  };
  const catalogA = catalogOf("a");
  const catalogB = catalogOf("b");

  g.rule("value_a", choice([10, valueRule("a")], [12, catalogA.comparable]));
  g.rule("value_b", choice([10, valueRule("b")], [12, catalogB.comparable]));

  // ---------------------------------------------------------------------------
  // Predicates with functions

  g.rule("cmp_a", choice([3, typedFunctionCondition("a")], [2, catalogA.e("bool")!]));
  g.rule("cmp_b", choice([3, typedFunctionCondition("b")], [2, catalogB.e("bool")!]));
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
      [4, ref("select_xmltable")],
      [4, ref("select_distinct_on")],
      [3, ref("select_locked")],
    ),
  );

  g.rule(
    "select_values",
    withTable(
      "a",
      template("SELECT {tag}, {vals} FROM {t} AS a{sample}{where}{order}{limit}", {
        tag,
        vals: repeat(ref("value_a"), 1, 5, ", "),
        t: tableName("a"),
        sample: maybe(
          template(" TABLESAMPLE {method} ({pct}){repeatable}", {
            method: pool(["SYSTEM", "BERNOULLI"]),
            pct: number(10, 100),
            repeatable: maybe(template(" REPEATABLE ({seed})", { seed: number(0, 99) }), 0.6),
          }),
          0.2,
        ),
        where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.8),
        order: maybe(orderBy, 0.5),
        limit,
      }),
    ),
  );

  /** One aggregate over a column of `a`, typed so the function exists for it. */
  const aggregate = typedAggregateOverA();

  g.rule(
    "select_aggregate",
    withTable(
      "a",
      withColumns(
        "grp",
        "a",
        { min: 1, max: 2, where: { comparable: true } },
        template(
          "SELECT {tag}, {g}, {aggs} FROM {t} AS a{where} GROUP BY {g2}{having} ORDER BY {g3}{limit}",
          {
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
          },
        ),
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
            template("lead({c}, 2) OVER (ORDER BY {c2})", {
              c: qualified("a", "w"),
              c2: qualified("a", "w"),
            }),
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
          p: choice(
            ref("cmp_a"),
            ref("cmp_b"),
            template("{x} AND {y}", { x: ref("cmp_a"), y: ref("cmp_b") }),
          ),
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
            "CURRENT_DATE - 1",
            "LOCALTIMESTAMP(0) > '2000-01-01'",
            "CURRENT_TIME(2) IS NOT NULL",
            "CURRENT_USER = SESSION_USER",
            "CURRENT_CATALOG IS NOT NULL",
            "length(CURRENT_SCHEMA)",
            "xmlelement(name item, xmlattributes(42 AS id, 'x' AS kind), 'body')",
            "xmlserialize(content xmlforest(7 AS n, 'a&b' AS s) AS text)",
            "xmlconcat(xmlcomment('note'), xmlpi(name php, 'echo'))",
            "xmlparse(document '<r><i>1</i></r>') IS DOCUMENT",
            "xmlroot(xmlparse(content '<a/>'), version '1.0', standalone yes)",
          ]),
          1,
          4,
          ", ",
        ),
        t: tableName("a"),
      }),
    ),
  );

  /** The first row per value of a column (DISTINCT ON), with an ARRAY subquery over the same table. */
  g.rule(
    "select_distinct_on",
    withTable(
      "a",
      withColumn(
        "k",
        "a",
        { orderable: true },
        template(
          "SELECT DISTINCT ON ({k}) {tag}, {k2}, {v}, cardinality(ARRAY(SELECT b.{kc} FROM {t} AS b WHERE b.{kc2} " +
            "IS NOT NULL LIMIT {m})) AS n FROM {t2} AS a{where} ORDER BY {k3}{dir} LIMIT {n}",
          {
            k: qualified("a", "k"),
            tag,
            k2: qualified("a", "k"),
            v: ref("value_a"),
            kc: columnName("k"),
            t: tableName("a"),
            kc2: columnName("k"),
            m: number(1, 9),
            t2: tableName("a"),
            where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
            k3: qualified("a", "k"),
            dir: pool(["", " DESC", " NULLS FIRST"]),
            n: number(1, 50),
          },
        ),
        ref("select_values"),
      ),
    ),
  );

  /** Rows read under a row lock of each strength, waiting, skipping or failing on locked rows. */
  g.rule(
    "select_locked",
    withTable(
      "a",
      withColumns(
        "lk",
        "a",
        { min: 1, max: 3, where: { comparable: true } },
        template(
          "SELECT {tag}, {cols} FROM {t} AS a WHERE {p} ORDER BY {cols2} LIMIT {n} FOR {lock} OF a{wait}",
          {
            tag,
            cols: eachColumn("lk", "l", qualified("a", "l")),
            t: tableName("a"),
            p: ref("cmp_a"),
            cols2: eachColumn("lk", "l", qualified("a", "l")),
            n: number(1, 20),
            lock: pool(["UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE"]),
            wait: pool(["", " SKIP LOCKED", " NOWAIT"]),
          },
        ),
        ref("select_values"),
      ),
    ),
  );

  /** A column of `a` as XML attributes, read back as rows by XMLTABLE. */
  g.rule(
    "select_xmltable",
    withTable(
      "a",
      withColumn(
        "x",
        "a",
        { orderable: true },
        template(
          "SELECT {tag}, x.n, x.o, xmlserialize(content xmlelement(name d, x.d) AS {ser}) FROM XMLTABLE('/r/i' PASSING (SELECT xmlelement(name r, " +
            "xmlagg(xmlelement(name i, xmlattributes({c} AS n)) ORDER BY {c2})) FROM {t} AS a{where}) " +
            "COLUMNS n text PATH '@n', o FOR ORDINALITY, d text PATH '.' DEFAULT 'none') AS x " +
            "WHERE x.o <= {n}",
          {
            tag,
            ser: pool(["text", "varchar"]),
            c: qualified("a", "x"),
            c2: qualified("a", "x"),
            t: tableName("a"),
            where: maybe(template(" WHERE {p}", { p: ref("pred_a") }), 0.5),
            n: number(1, 50),
          },
        ),
        ref("select_values"),
      ),
    ),
  );

  // ---------------------------------------------------------------------------
  // Values for INSERT and UPDATE: functions of valid literals that stay valid

  g.rule("write_value", writeValue("w"));

  /** Columns DEFAULT may set: nullable and free of keys, so NULL or the column's default always fits. */
  const DEFAULTABLE = { nullable: true, primaryKey: false, unique: false, foreignKey: false } as const;

  /** A value for INSERT's column `w`: now and then DEFAULT where it fits. */
  g.rule(
    "insert_value",
    byColumn("w", [[DEFAULTABLE, choice([8, ref("write_value")], [1, "DEFAULT"])]], ref("write_value")),
  );

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
          rows: repeat(template("({v})", { v: eachColumn("ins", "w", ref("insert_value")) }), 1, 3, ", "),
          conflict: maybe(" ON CONFLICT DO NOTHING", 0.4),
          ret: returning,
        }),
        template("INSERT INTO {t} AS a DEFAULT VALUES{ret}", { t: tableName("a"), ret: returning }),
      ),
    ),
  );

  const recompute = recomputedValue();

  /** A new value for UPDATE's column `u`: recomputed from the row, a fresh one, or DEFAULT where it fits. */
  g.rule(
    "update_value",
    byColumn(
      "u",
      [[DEFAULTABLE, choice([4, recompute], [2, writeValue("u")], [1, "DEFAULT"])]],
      choice([2, recompute], [1, writeValue("u")]),
    ),
  );

  g.rule(
    "update",
    withTable(
      "a",
      withColumns(
        "upd",
        "a",
        // Not unique columns: an UPDATE of several rows would give them one value.
        { min: 1, max: 3, where: { primaryKey: false, generated: false, unique: false } },
        choice(
          [
            4,
            template("UPDATE {t} AS a SET {s} WHERE {p}{ret}", {
              t: tableName("a"),
              s: eachColumn(
                "upd",
                "u",
                template("{c} = {v}", { c: columnName("u"), v: ref("update_value") }),
              ),
              p: ref("pred_a"),
              ret: returning,
            }),
          ],
          [
            1,
            // A multiple-column assignment from a sub-SELECT, which may read the row.
            template("UPDATE {t} AS a SET ({cols}) = (SELECT {vals}) WHERE {p}{ret}", {
              t: tableName("a"),
              cols: eachColumn("upd", "u", columnName("u")),
              // A sub-SELECT's literals are not typed by the assignment: each value is cast to its column's type.
              vals: eachColumn(
                "upd",
                "u",
                template("CAST({v} AS {ty})", {
                  v: choice([2, recompute], [1, writeValue("u")]),
                  ty: columnType("u"),
                }),
              ),
              p: ref("pred_a"),
              ret: returning,
            }),
          ],
        ),
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

  /**
   * MERGE keyed by a unique key: the source is a few existing keys (DISTINCT,
   * so no target row is matched twice) and one new key. Matched rows are
   * updated (or left alone), the new key's row inserted; or, with only
   * rows INSERTs added as the source, matched rows are deleted.
   */
  g.rule(
    "merge",
    withTable(
      "a",
      withColumn(
        "mk",
        "a",
        { primaryKey: true, uniqueCapable: true },
        choice(
          [
            4,
            template(
              "MERGE INTO {t} AS a USING ((SELECT DISTINCT a.{k} AS k FROM {t2} AS a WHERE {p} ORDER BY 1 LIMIT {n}) " +
                "UNION ALL SELECT {u}) AS s ON a.{k2} = s.k WHEN MATCHED AND {cond} THEN {upd} " +
                "WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN {ins}",
              {
                t: tableName("a"),
                k: columnName("mk"),
                t2: tableName("a"),
                p: ref("pred_a"),
                n: number(1, 5),
                u: uniqueLiteral("mk"),
                k2: columnName("mk"),
                cond: ref("cmp_a"),
                upd: withColumns(
                  "upd",
                  "a",
                  { min: 1, max: 2, where: { primaryKey: false, generated: false, unique: false } },
                  template("UPDATE SET {s}", {
                    s: eachColumn(
                      "upd",
                      "u",
                      template("{c} = {v}", { c: columnName("u"), v: ref("update_value") }),
                    ),
                  }),
                  "DO NOTHING",
                ),
                ins: withColumns(
                  "ins",
                  "a",
                  { min: 0, max: 12, required: true, where: { generated: false } },
                  template("INSERT ({cols}) VALUES ({v})", {
                    cols: eachColumn("ins", "w", columnName("w")),
                    v: eachColumn("ins", "w", ref("insert_value")),
                  }),
                  "INSERT DEFAULT VALUES",
                ),
              },
            ),
          ],
          [
            1,
            template(
              "MERGE INTO {t} AS a USING (SELECT DISTINCT a.{k} AS k FROM {t2} AS a WHERE a.{k3} > {u} " +
                "ORDER BY 1 LIMIT {n}) AS s ON a.{k2} = s.k WHEN MATCHED THEN DELETE",
              {
                t: tableName("a"),
                k: columnName("mk"),
                t2: tableName("a"),
                k3: columnName("mk"),
                u: uniqueLiteral("mk"),
                n: number(1, 5),
                k2: columnName("mk"),
              },
            ),
          ],
        ),
        ref("update"),
      ),
    ),
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
});

export default g;
