/**
 * `yugabyte_transactions`: one whole transaction per line, using only what
 * YugabyteDB 2.20+ (PostgreSQL 11.2 based) and PostgreSQL both accept:
 * isolation levels, READ ONLY (and SERIALIZABLE READ ONLY DEFERRABLE)
 * transactions that only read, `SET LOCAL`, savepoints, row locks with
 * `SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE`, and short
 * read-modify-write transactions keyed by the primary key. Never `LOCK
 * TABLE`, advisory locks, LISTEN/NOTIFY, `COMMIT AND CHAIN` (PostgreSQL 12+)
 * or cursors.
 *
 * YugabyteDB limits what a locking read may add: `SKIP LOCKED` is not
 * supported under SERIALIZABLE (yugabyte-db#11761), `NOWAIT` only under READ
 * COMMITTED (#12166), and an ordered `FOR UPDATE` scan failed under
 * SERIALIZABLE in some releases (#18589). So SERIALIZABLE transactions lock
 * single rows by key, plainly, and only the snapshot levels use ranges and
 * `SKIP LOCKED`.
 *
 * A read-modify-write carries the row it read to its write through a
 * transaction-local setting: the locking read stores the whole row with
 * `set_config('quarry.row', a::text, true)` and the UPDATE finds the row by
 * the key fields of that value, so both statements touch the same key
 * although a grammar cannot repeat a random value.
 *
 * The portable statements are exported as building blocks, which
 * `transactions_postgres` extends with what only PostgreSQL runs.
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
  uniqueLiteral,
  withColumn,
  withColumns,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";

// ---------------------------------------------------------------------------
// Building blocks over the table in slot "t" (alias "a" where a statement
// names one) and, in joins, its parent in "p" (alias "b").

/** `<prefix>k1 = v1 AND …` over every primary-key column of the table in "t". */
export const keyMatch = (prefix: string): Element =>
  withColumns(
    "key",
    "t",
    { min: 1, max: 64, all: true, where: { primaryKey: true } },
    eachColumn(
      "key",
      "key_c",
      template(`${prefix}{c} = {v}`, { c: columnName("key_c"), v: literal("key_c", { nulls: 0 }) }),
      " AND ",
    ),
  );

/** The names of the columns in `list`, comma-separated, each after `prefix`. */
export const names = (list: string, prefix = ""): Element =>
  eachColumn(list, `${list}_c`, template(`${prefix}{c}`, { c: columnName(`${list}_c`) }));

/**
 * A value for the column bound to `col`: a fresh one where the column must
 * be unique and can hold any value (never for a foreign key, which has to
 * keep pointing at a parent row), else an ordinary literal.
 */
export const freshOrLiteral = (col: string): Element =>
  byColumn(col, [
    [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral(col)],
    [{ unique: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral(col)],
  ], literal(col));

/**
 * `c = v, …` over 1–2 assignable non-key columns of "t", passed to `body`;
 * `orElse` when there are none. `manyRows` leaves out unique columns: one
 * value assigned to several rows would collide with itself.
 */
export const assignments = (body: (set: Element) => Element, orElse: Element, manyRows = false): Element =>
  withColumns(
    "upd",
    "t",
    {
      min: 1,
      max: 2,
      where: manyRows
        ? { primaryKey: false, generated: false, unique: false }
        : { primaryKey: false, generated: false },
    },
    body(
      eachColumn(
        "upd",
        "upd_c",
        template("{c} = {v}", { c: columnName("upd_c"), v: freshOrLiteral("upd_c") }),
      ),
    ),
    orElse,
  );

/** A table with a primary key in "t", then `body`; a constant query for a schema without one. */
export const keyedTable = (body: Element): Element =>
  withTable("t", body, { hasPrimaryKey: true }, "SELECT 1");

/** A primary-key column with an order in "rk", then `body`; else `orElse`. */
export const rangeKey = (body: Element, orElse: Element): Element =>
  withColumn("rk", "t", { primaryKey: true, orderable: true }, body, orElse);

/** ` LIMIT n` for a range read: a few rows. */
export const limit: Element = template(" LIMIT {n}", { n: number(1, 20) });

/** `SELECT <1-4 columns> FROM t AS a WHERE <key>` with `tail` after it. */
export const pointSelect = (tail: Element): Element =>
  withColumns(
    "sel",
    "t",
    { min: 1, max: 4 },
    template("SELECT {cols} FROM {t} AS a WHERE {key}{tail}", {
      cols: names("sel", "a."),
      t: tableName("t"),
      key: keyMatch("a."),
      tail,
    }),
  );

/** A few rows from a key value on, in key order, with `tail` after them; a point read without an ordered key. */
export const rangeSelect = (tail: Element): Element =>
  rangeKey(
    withColumns(
      "sel",
      "t",
      { min: 1, max: 4 },
      template("SELECT {cols} FROM {t} AS a WHERE a.{k} {cond} ORDER BY a.{k}{limit}{tail}", {
        cols: names("sel", "a."),
        t: tableName("t"),
        k: columnName("rk"),
        cond: choice(
          template(">= {v}", { v: literal("rk", { nulls: 0 }) }),
          template("BETWEEN {lo} AND {hi}", {
            lo: literal("rk", { nulls: 0 }),
            hi: literal("rk", { nulls: 0 }),
          }),
        ),
        limit,
        tail,
      }),
    ),
    pointSelect(tail),
  );

/**
 * A child row by key with its parent, `SELECT … FROM t AS a JOIN p AS b ON
 * <foreign key> WHERE <a's key>`, then `tail`; a point read in a schema
 * without foreign keys.
 */
export const joinSelect = (tail: Element): Element =>
  withTable(
    "t",
    withForeignKey(
      "fk",
      "t",
      "p",
      withColumns(
        "sel",
        "t",
        { min: 1, max: 3 },
        withColumns(
          "selp",
          "p",
          { min: 1, max: 2 },
          template("SELECT {ca}, {cb} FROM {t} AS a JOIN {p} AS b ON {on} WHERE {key}{tail}", {
            ca: names("sel", "a."),
            cb: names("selp", "b."),
            t: tableName("t"),
            p: tableName("p"),
            on: eachForeignKeyPair(
              "fk",
              "fk_child",
              "fk_parent",
              template("a.{c} = b.{p}", { c: columnName("fk_child"), p: columnName("fk_parent") }),
            ),
            key: keyMatch("a."),
            tail,
          }),
        ),
      ),
    ),
    { hasForeignKey: true, hasPrimaryKey: true },
    keyedTable(pointSelect(tail)),
  );

/**
 * `k = (NULLIF(current_setting('quarry.row', true), '')::t).k AND …`: the key
 * of the row a locking read stored. When it found none the setting is unset
 * (NULL) or, after an earlier transaction, '' (made NULL): nothing matches.
 */
const storedKeyMatch = withColumns(
  "key",
  "t",
  { min: 1, max: 64, all: true, where: { primaryKey: true } },
  eachColumn(
    "key",
    "key_c",
    template("{c} = (NULLIF(current_setting('quarry.row', true), '')::{t}).{c}", {
      c: columnName("key_c"),
      t: tableName("t"),
    }),
    " AND ",
  ),
);

/**
 * Read one row by key under `FOR <lock>`, keep it in the transaction-local
 * setting `quarry.row`, and change that row (see the module comment).
 */
export const readModifyWrite = (lock: Element): Element =>
  keyedTable(
    assignments(
      (set) =>
        withColumns(
          "sel",
          "t",
          { min: 1, max: 3 },
          template(
            "SELECT set_config('quarry.row', a::text, true), {cols} FROM {t} AS a WHERE {key} FOR {lock}; " +
              "UPDATE {t} SET {set} WHERE {stored}",
            {
              cols: names("sel", "a."),
              t: tableName("t"),
              key: keyMatch("a."),
              lock,
              set,
              stored: storedKeyMatch,
            },
          ),
        ),
      pointSelect(template(" FOR {lock}", { lock })),
    ),
  );

/** UPDATE of one row by key, sometimes returning what it set. */
export const updateByKey: Element = keyedTable(
  assignments(
    (set) =>
      template("UPDATE {t} SET {set} WHERE {key}{ret}", {
        t: tableName("t"),
        set,
        key: keyMatch(""),
        ret: maybe(template(" RETURNING {c}", { c: names("upd") }), 0.2),
      }),
    // Every column is a key or generated: nothing to change, so read the row.
    pointSelect(""),
  ),
);

/** `INSERT INTO t AS a (…) VALUES (…)` over the columns of list "ins", then `tail`. */
const insertValues = (tail: Element) =>
  template("INSERT INTO {t} AS a ({cols}) VALUES ({vals}){tail}", {
    t: tableName("t"),
    cols: names("ins"),
    vals: eachColumn("ins", "ins_c", freshOrLiteral("ins_c")),
    tail,
  });

/** INSERT of one new row: the required columns and up to three more. */
export const insertRow: Element = withTable(
  "t",
  withColumns(
    "ins",
    "t",
    { min: 0, max: 3, required: true, where: { generated: false } },
    // A key column that takes a fresh value makes the row new; without one the
    // key may exist already, and ON CONFLICT keeps the transaction alive.
    withColumn(
      "fresh",
      "t",
      { primaryKey: true, foreignKey: false, uniqueCapable: true },
      insertValues(""),
      insertValues(" ON CONFLICT DO NOTHING"),
    ),
    template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") }),
  ),
);

/** A value for an upsert: a key mostly an existing row's, sometimes fresh. */
const upsertValue = byColumn("ins_c", [
  [
    { primaryKey: true, foreignKey: false, uniqueCapable: true },
    choice([3, literal("ins_c")], [1, uniqueLiteral("ins_c")]),
  ],
  [{ primaryKey: true }, literal("ins_c")],
], freshOrLiteral("ins_c"));

/**
 * `INSERT … ON CONFLICT (<primary key>) DO UPDATE SET c = EXCLUDED.c`. Every
 * assignable column is inserted, so EXCLUDED holds a value for each.
 */
export const upsertRow: Element = keyedTable(
  withColumns(
    "ins",
    "t",
    { min: 1, max: 64, all: true, where: { generated: false } },
    withColumns(
      "key",
      "t",
      { min: 1, max: 64, all: true, where: { primaryKey: true } },
      template("INSERT INTO {t} AS a ({cols}) VALUES ({vals}) ON CONFLICT ({k}) {action}", {
        t: tableName("t"),
        cols: names("ins"),
        vals: eachColumn("ins", "ins_c", upsertValue),
        k: names("key"),
        action: withColumns(
          "upd",
          "t",
          { min: 1, max: 2, where: { primaryKey: false, generated: false } },
          template("DO UPDATE SET {s}", {
            s: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
          }),
          "DO NOTHING",
        ),
      }),
    ),
    // Every column is generated: nothing to propose.
    template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") }),
  ),
);

/**
 * DELETE of the row with the highest key. Fresh keys sort above the seed
 * rows', so this mostly removes a row an earlier line inserted, which nothing
 * references (generated foreign keys point at seed rows); deleting seed rows
 * would soon leave inserted foreign keys pointing at nothing.
 */
export const deleteNewest: Element = keyedTable(
  withColumns(
    "key",
    "t",
    { min: 1, max: 64, all: true, where: { primaryKey: true } },
    template("DELETE FROM {t} WHERE ({k}) = (SELECT {k} FROM {t} ORDER BY {desc} LIMIT 1)", {
      t: tableName("t"),
      k: names("key"),
      desc: eachColumn("key", "key_c", template("{c} DESC", { c: columnName("key_c") })),
    }),
  ),
);

/** A few rows by key at once: `WHERE (k1, …) IN ((v1, …), …)`. */
export const keyListRead: Element = keyedTable(
  withColumns(
    "key",
    "t",
    { min: 1, max: 64, all: true, where: { primaryKey: true } },
    withColumns(
      "sel",
      "t",
      { min: 1, max: 4 },
      template("SELECT {cols} FROM {t} WHERE ({k}) IN ({rows})", {
        cols: names("sel"),
        t: tableName("t"),
        k: names("key"),
        rows: repeat(
          template("({v})", { v: eachColumn("key", "key_c", literal("key_c", { nulls: 0 })) }),
          2,
          5,
          ", ",
        ),
      }),
    ),
  ),
);

/** Row lock strengths, weakest last. */
export const strength: Element = pool(["UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE"]);

// ---------------------------------------------------------------------------
// The grammar. Each transaction shape comes in a SERIALIZABLE flavour
// ("ser") and a snapshot flavour ("snap": READ COMMITTED, REPEATABLE READ or
// the default), which differ only in the locking reads they may use.

const g = grammar("yugabyte_transactions", {
  description: "Transactions YugabyteDB 2.20+ and PostgreSQL both run, one per line: isolation levels, " +
    "READ ONLY, SET LOCAL, savepoints, SELECT FOR UPDATE/SHARE and primary-key read-modify-write.",
  start: "transaction",
  maxDepth: 10,
});

const FLAVOURS = ["ser", "snap"] as const;

g.rule(
  "transaction",
  choice(
    [5, ref("rmw_ser")],
    [8, ref("rmw_snap")],
    [3, ref("short_ser")],
    [5, ref("short_snap")],
    [4, ref("read_only_tx")],
    [2, ref("savepoint_ser")],
    [3, ref("savepoint_snap")],
  ),
);

g.rule(
  "begin_ser",
  choice(
    [4, "BEGIN ISOLATION LEVEL SERIALIZABLE"],
    [1, "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE"],
    [1, "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE"],
    [2, "BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"],
  ),
);

g.rule(
  "begin_snap",
  choice(
    [3, "BEGIN"],
    [3, "BEGIN ISOLATION LEVEL REPEATABLE READ"],
    [3, "BEGIN ISOLATION LEVEL READ COMMITTED"],
    [1, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ"],
    [
      1,
      template("BEGIN; SET TRANSACTION ISOLATION LEVEL {iso}", {
        iso: pool(["REPEATABLE READ", "READ COMMITTED"]),
      }),
    ],
  ),
);

const end = choice([8, "COMMIT"], [2, "ROLLBACK"], [1, "END"]);

for (const f of FLAVOURS) {
  // Lock one row by key, then change that same row.
  g.rule(
    `rmw_${f}`,
    template(`{begin_${f}}; {settings}{rmw}{more}; {end}`, {
      settings: maybe(template("{set_local}; "), 0.25),
      rmw: ref(`read_modify_write_${f}`),
      more: maybe(template("; {w}", { w: ref("write") }), 0.3),
      end,
    }),
  );

  g.rule(
    `short_${f}`,
    template(`{begin_${f}}; {settings}{work}; {end}`, {
      settings: maybe(template("{set_local}; "), 0.25),
      work: repeat(ref(`work_${f}`), 1, 3, "; "),
      end,
    }),
  );

  g.rule(
    `savepoint_${f}`,
    template(`{begin_${f}}; {pre}SAVEPOINT s1; {w}{inner}; {close}{post}; {end}`, {
      pre: maybe(template("{w}; ", { w: ref(`work_${f}`) }), 0.4),
      w: repeat(ref(`work_${f}`), 1, 2, "; "),
      inner: maybe(
        template("; SAVEPOINT s2; {w}; {close}", {
          w: ref(`work_${f}`),
          close: pool(["ROLLBACK TO SAVEPOINT s2", "RELEASE SAVEPOINT s2"]),
        }),
        0.4,
      ),
      close: choice(
        [3, "ROLLBACK TO SAVEPOINT s1"],
        [3, "RELEASE SAVEPOINT s1"],
        [1, template("ROLLBACK TO SAVEPOINT s1; {w}; RELEASE SAVEPOINT s1", { w: ref(`work_${f}`) })],
      ),
      post: maybe(template("; {w}", { w: ref(`work_${f}`) }), 0.3),
      end,
    }),
  );

  g.rule(`work_${f}`, choice([4, ref("read")], [3, ref(`locking_read_${f}`)], [5, ref("write")]));
}

g.rule(
  "read_only_tx",
  template("{begin}; {settings}{reads}; {end}", {
    begin: choice(
      [3, "BEGIN READ ONLY"],
      [2, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"],
      [1, "BEGIN ISOLATION LEVEL READ COMMITTED, READ ONLY"],
      [1, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"],
      [1, "START TRANSACTION READ ONLY"],
      [1, "BEGIN; SET TRANSACTION READ ONLY"],
    ),
    settings: maybe(template("{set_local}; "), 0.25),
    reads: repeat(ref("read"), 1, 4, "; "),
    end: choice([3, "COMMIT"], [1, "ROLLBACK"]),
  }),
);

g.rule(
  "set_local",
  choice(
    [3, template("SET LOCAL statement_timeout = '{n}s'", { n: number(5, 60) })],
    [2, template("SET LOCAL work_mem = '{n}MB'", { n: number(1, 64) })],
    [1, template("SET LOCAL application_name = 'quarry_tx_{n}'", { n: number(1, 99) })],
  ),
);

g.rule(
  "read",
  choice(
    [6, keyedTable(pointSelect(""))],
    [2, keyedTable(rangeSelect(""))],
    [2, joinSelect("")],
    [1, keyListRead],
    [1, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"],
  ),
);

g.rule("locking_read_ser", keyedTable(pointSelect(template(" FOR {s}", { s: strength }))));

g.rule(
  "locking_read_snap",
  choice(
    [4, keyedTable(pointSelect(template(" FOR {s}{w}", { s: strength, w: maybe(" SKIP LOCKED", 0.2) })))],
    [2, keyedTable(rangeSelect(template(" FOR {s}{w}", { s: strength, w: maybe(" SKIP LOCKED", 0.5) })))],
    [2, joinSelect(template(" FOR {s} OF a", { s: strength }))],
  ),
);

g.rule("read_modify_write_ser", readModifyWrite(pool(["UPDATE", "NO KEY UPDATE"])));
g.rule(
  "read_modify_write_snap",
  readModifyWrite(choice([6, pool(["UPDATE", "NO KEY UPDATE"])], [1, "UPDATE SKIP LOCKED"])),
);

g.rule("write", choice([6, updateByKey], [3, insertRow], [3, upsertRow], [1, deleteNewest]));

export default g;
