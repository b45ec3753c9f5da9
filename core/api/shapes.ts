/**
 * The statement shapes of the library API (`core/api/generator.ts`): small
 * grammars, built with the DSL, for one SELECT, INSERT, UPDATE or DELETE of
 * the options asked. Every comparison is typed by its column, as in the
 * built-in grammars, so each statement runs on the schema it was compiled
 * for.
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
  type Grammar,
  grammar,
  literal,
  pool,
  repeat,
  seq,
  tableName,
  template,
  uniqueLiteral,
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../dsl/grammar.ts";

/** Options of {@link selectShape}. */
export interface SelectOptions {
  /** A WHERE clause over the first table [default: true]. */
  where?: boolean;
  /** An ORDER BY over 1–2 orderable columns [default: false]. */
  orderBy?: boolean;
  /**
   * Tables joined along foreign keys, 0–3 (true is 1) [default: 0]; fewer
   * where the schema's keys run out.
   */
  joins?: number | boolean;
  /** How the joins join [default: "inner"]. */
  joinType?: "inner" | "left" | "right" | "full";
}

/** Options of {@link insertShape}. */
export interface InsertOptions {
  /** ON CONFLICT: true picks DO NOTHING or DO UPDATE (on the primary key) [default: false]. */
  onConflict?: boolean | "nothing" | "update";
  /** RETURNING * [default: false]. */
  returning?: boolean;
  /** Rows in VALUES [default: 1]. */
  rows?: number;
}

/** Options of {@link updateShape} and {@link deleteShape}. */
export interface WriteOptions {
  /** A WHERE clause [default: true]; without it every row is touched. */
  where?: boolean;
  /** RETURNING * [default: false]. */
  returning?: boolean;
}

const ALIASES = ["a", "b", "c", "d"] as const;
const KEYS = ["fk", "fk2", "fk3"] as const;

/** `alias.c OP v` for a column of the table in `alias`, typed by the column; `TRUE` where none is comparable. */
function comparison(alias: string): Element {
  const c = `${alias}_w`;
  const lhs = template(`${alias}.{c}`, { c: columnName(c) });
  const v = literal(c, { nulls: 0 });
  return withColumn(
    c,
    alias,
    { comparable: true },
    byColumn(c, [
      [
        { nullable: true },
        choice([5, template("{l} = {v}", { l: lhs, v })], [1, template("{l} IS NULL", { l: lhs })]),
      ],
      [
        { orderable: true },
        template("{l} {op} {v}", { l: lhs, op: pool(["=", "<>", "<", "<=", ">", ">="]), v }),
      ],
    ], template("{l} = {v}", { l: lhs, v })),
    "TRUE",
  );
}

const orderBy = (alias: string) =>
  withColumns(
    "ord",
    alias,
    { min: 1, max: 2, where: { orderable: true } },
    template(" ORDER BY {cols}", {
      cols: eachColumn(
        "ord",
        "ord_c",
        template(`${alias}.{c}{d}`, { c: columnName("ord_c"), d: pool(["", " DESC"]) }),
      ),
    }),
    "",
  );

const joinOn = (fk: string, child: string, parent: string) =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${child}.{c} = ${parent}.{p}`, { c: columnName(`${fk}_c`), p: columnName(`${fk}_p`) }),
    " AND ",
  );

/** A grammar whose every statement is one SELECT of these options. */
export function selectShape(o: SelectOptions = {}): Grammar {
  const joins = Math.max(0, Math.min(3, o.joins === true ? 1 : o.joins === false ? 0 : o.joins ?? 0));
  const join =
    { inner: "JOIN", left: "LEFT JOIN", right: "RIGHT JOIN", full: "FULL JOIN" }[o.joinType ?? "inner"];
  const tail = (o.where ?? true ? [" WHERE ", comparison("a")] : []) as Element[];
  /** The statement once `n` tables are bound. */
  const statement = (n: number): Element => {
    const from: Element[] = [tableName("a"), " AS a"];
    for (let i = 1; i < n; i++) {
      from.push(
        ` ${join} `,
        tableName(ALIASES[i]!),
        ` AS ${ALIASES[i]} ON `,
        joinOn(KEYS[i - 1]!, ALIASES[i - 1]!, ALIASES[i]!),
      );
    }
    const cols = ALIASES.slice(0, n).map((a) =>
      withColumns(
        `sel_${a}`,
        a,
        { min: 1, max: 3 },
        eachColumn(
          `sel_${a}`,
          `sel_${a}_c`,
          template(`${a}.{c}`, {
            c: columnName(`sel_${a}_c`),
          }),
        ),
      )
    );
    return template("SELECT {cols} FROM {from}{where}{order}", {
      cols: seq(...cols.flatMap((c, i) => i === 0 ? [c] : [", ", c])),
      from: seq(...from),
      where: seq(...tail),
      order: o.orderBy ? orderBy("a") : "",
    });
  };
  // Bind tables along keys, falling back to fewer where the chain ends.
  let body: Element = statement(joins + 1);
  for (let n = joins; n >= 1; n--) {
    body = withForeignKey(KEYS[n - 1]!, ALIASES[n - 1]!, ALIASES[n]!, body, statement(n));
  }
  const g = grammar("api_select", { start: "statement", maxDepth: 8 });
  g.rule(
    "statement",
    joins > 0
      ? withTable("a", body, { hasForeignKey: true }, withTable("a", statement(1)))
      : withTable("a", body),
  );
  return g;
}

const returning = (yes: boolean | undefined) => yes ? " RETURNING *" : "";

/** A grammar whose every statement is one INSERT of these options. */
export function insertShape(o: InsertOptions = {}): Grammar {
  const value = byColumn("ins_c", [
    [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
    [{ unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral("ins_c")],
  ], literal("ins_c"));
  const nothing = " ON CONFLICT DO NOTHING";
  const update = withColumns(
    "pk",
    "a",
    { min: 1, max: 64, all: true, where: { primaryKey: true } },
    withColumns(
      "upd",
      "a",
      { min: 1, max: 3, where: { primaryKey: false, generated: false } },
      template(" ON CONFLICT ({k}) DO UPDATE SET {s}", {
        k: eachColumn("pk", "pk_c", columnName("pk_c")),
        s: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
      }),
      nothing,
    ),
    nothing,
  );
  const conflict = o.onConflict === "nothing"
    ? nothing
    : o.onConflict === "update"
    ? update
    : o.onConflict
    ? choice(nothing, update)
    : "";
  const rows = Math.max(1, Math.min(100, o.rows ?? 1));
  const g = grammar("api_insert", { start: "statement", maxDepth: 8 });
  g.rule(
    "statement",
    withTable(
      "a",
      withColumns(
        "ins",
        "a",
        { min: 0, max: 12, required: true, where: { generated: false } },
        template("INSERT INTO {t} AS a ({cols}) VALUES {rows}{conflict}{ret}", {
          t: tableName("a"),
          cols: eachColumn("ins", "ins_c", columnName("ins_c")),
          rows: repeat(template("({v})", { v: eachColumn("ins", "ins_c", value) }), rows, rows, ", "),
          conflict,
          ret: returning(o.returning),
        }),
        template("INSERT INTO {t} AS a DEFAULT VALUES{conflict}{ret}", {
          t: tableName("a"),
          conflict: o.onConflict ? nothing : "",
          ret: returning(o.returning),
        }),
      ),
    ),
  );
  return g;
}

/** A grammar whose every statement is one UPDATE of these options. */
export function updateShape(o: WriteOptions = {}): Grammar {
  const where = o.where ?? true ? template(" WHERE {p}", { p: comparison("a") }) : "";
  const set = (list: string) =>
    eachColumn(
      list,
      `${list}_c`,
      template("{c} = {v}", { c: columnName(`${list}_c`), v: literal(`${list}_c`) }),
    );
  const g = grammar("api_update", { start: "statement", maxDepth: 8 });
  g.rule(
    "statement",
    withTable(
      "a",
      withColumns(
        "upd",
        "a",
        { min: 1, max: 3, where: { primaryKey: false, generated: false } },
        template("UPDATE {t} AS a SET {s}{where}{ret}", {
          t: tableName("a"),
          s: set("upd"),
          where,
          ret: returning(o.returning),
        }),
        // A table of keys only: set a key column to itself.
        withColumns(
          "same",
          "a",
          { min: 1, max: 1, where: { generated: false } },
          template("UPDATE {t} AS a SET {c} = a.{c}{where}{ret}", {
            t: tableName("a"),
            c: eachColumn("same", "same_c", columnName("same_c")),
            where,
            ret: returning(o.returning),
          }),
        ),
      ),
    ),
  );
  return g;
}

/** A grammar whose every statement is one DELETE of these options. */
export function deleteShape(o: WriteOptions = {}): Grammar {
  const g = grammar("api_delete", { start: "statement", maxDepth: 8 });
  g.rule(
    "statement",
    withTable(
      "a",
      template("DELETE FROM {t} AS a{where}{ret}", {
        t: tableName("a"),
        where: o.where ?? true ? template(" WHERE {p}", { p: comparison("a") }) : "",
        ret: returning(o.returning),
      }),
    ),
  );
  return g;
}
