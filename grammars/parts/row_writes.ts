/**
 * Writes of single rows of the table in slot "t": INSERT of a new row,
 * UPSERT on the primary key, UPDATE by key and DELETE of the newest row, and
 * the column lists and assignments they are made of.
 *
 * Picked lists: "ins" (columns inserted), "upd" (columns assigned), "key"
 * (the primary key).
 *
 * @example An UPDATE by key
 * ```ts
 * import { updateByKey } from "./row_writes.ts";
 * if (typeof updateByKey === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  columnName,
  eachColumn,
  type Element,
  maybe,
  tableName,
  template,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { columnNames } from "./columns.ts";
import { freshOrLiteral, upsertValue, withFreshKey } from "./fresh_values.ts";
import { pointSelect } from "./key_reads.ts";
import { descending, keyedTable, keyMatch, withKeyColumns } from "./keys.ts";

/** `INSERT INTO t DEFAULT VALUES`: for a table whose every column has a default. */
export const insertDefaultValues: Element = template("INSERT INTO {t} DEFAULT VALUES", { t: tableName("t") });

/** The required columns of "t" and 0 to `max` more into list "ins", then `body`; `orElse` when none is left. */
export const withInsertColumns = (max: number, body: Element, orElse: Element): Element =>
  withColumns("ins", "t", { min: 0, max, required: true, where: { generated: false } }, body, orElse);

/** Every assignable column of "t" into list "ins", then `body`; `orElse` when all are generated. */
export const withAllInsertColumns = (body: Element, orElse: Element): Element =>
  withColumns("ins", "t", { min: 1, max: 64, all: true, where: { generated: false } }, body, orElse);

/**
 * 1 to `max` assignable non-key columns of "t" into list "upd", then `body`;
 * `orElse` when there are none. `manyRows` leaves out unique columns: one
 * value assigned to several rows would collide with itself.
 */
export const withAssignableColumns = (
  max: number,
  body: Element,
  orElse: Element,
  manyRows = false,
): Element =>
  withColumns(
    "upd",
    "t",
    {
      min: 1,
      max,
      where: manyRows
        ? { primaryKey: false, generated: false, unique: false }
        : { primaryKey: false, generated: false },
    },
    body,
    orElse,
  );

/** `c = v, …` over list "upd", each value `value(column slot)`. */
export const assignmentList = (value: (column: string) => Element): Element =>
  eachColumn("upd", "upd_c", template("{c} = {v}", { c: columnName("upd_c"), v: value("upd_c") }));

/**
 * `c = v, …` over 1–2 assignable non-key columns of "t" (fresh values for
 * unique ones), passed to `body`; `orElse` when there are none; `manyRows`
 * as in {@link withAssignableColumns}.
 */
export const assignments = (body: (set: Element) => Element, orElse: Element, manyRows = false): Element =>
  withAssignableColumns(2, body(assignmentList(freshOrLiteral)), orElse, manyRows);

/** `DO UPDATE SET c = EXCLUDED.c, …` over list "upd": an upsert taking the proposed row's values. */
export const doUpdateSet: Element = template("DO UPDATE SET {s}", {
  s: eachColumn("upd", "upd_c", template("{c} = EXCLUDED.{c}", { c: columnName("upd_c") })),
});

/** UPDATE of one row by key, sometimes returning what it set. */
export const updateByKey: Element = keyedTable(
  assignments(
    (set) =>
      template("UPDATE {t} SET {set} WHERE {key}{ret}", {
        t: tableName("t"),
        set,
        key: keyMatch(""),
        ret: maybe(template(" RETURNING {c}", { c: columnNames("upd") }), 0.2),
      }),
    // Every column is a key or generated: nothing to change, so read the row.
    pointSelect(""),
  ),
);

/** `INSERT INTO t AS a (…) VALUES (…)` over the columns of list "ins", then `tail`. */
const insertValues = (tail: Element) =>
  template("INSERT INTO {t} AS a ({cols}) VALUES ({vals}){tail}", {
    t: tableName("t"),
    cols: columnNames("ins"),
    vals: eachColumn("ins", "ins_c", freshOrLiteral("ins_c")),
    tail,
  });

/** INSERT of one new row: the required columns and up to three more. */
export const insertRow: Element = withTable(
  "t",
  withInsertColumns(
    3,
    // A key column that takes a fresh value makes the row new; without one the
    // key may exist already, and ON CONFLICT keeps the transaction alive.
    withFreshKey(insertValues(""), insertValues(" ON CONFLICT DO NOTHING")),
    insertDefaultValues,
  ),
);

/**
 * `INSERT … ON CONFLICT (<primary key>) DO UPDATE SET c = EXCLUDED.c`. Every
 * assignable column is inserted, so EXCLUDED holds a value for each.
 */
export const upsertRow: Element = keyedTable(
  withAllInsertColumns(
    withKeyColumns(
      "key",
      "t",
      template("INSERT INTO {t} AS a ({cols}) VALUES ({vals}) ON CONFLICT ({k}) {action}", {
        t: tableName("t"),
        cols: columnNames("ins"),
        vals: eachColumn("ins", "ins_c", upsertValue("ins_c", 3)),
        k: columnNames("key"),
        action: withAssignableColumns(2, doUpdateSet, "DO NOTHING"),
      }),
    ),
    // Every column is generated: nothing to propose.
    insertDefaultValues,
  ),
);

/**
 * DELETE of the row with the highest key. Fresh keys sort above the seed
 * rows', so this mostly removes a row an earlier line inserted, which nothing
 * references (generated foreign keys point at seed rows); deleting seed rows
 * would soon leave inserted foreign keys pointing at nothing.
 */
export const deleteNewest: Element = keyedTable(
  withKeyColumns(
    "key",
    "t",
    template("DELETE FROM {t} WHERE ({k}) = (SELECT {k} FROM {t} ORDER BY {desc} LIMIT 1)", {
      t: tableName("t"),
      k: columnNames("key"),
      desc: descending("key"),
    }),
  ),
);
