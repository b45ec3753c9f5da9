/**
 * Reads of rows by primary key from the table in slot "t" (alias `a`): one
 * row, a short key range, a list of keys, or a child row with its parent
 * (slot "p", alias `b`). Each takes a `tail` written after it, such as a
 * `FOR UPDATE` clause.
 *
 * @example A point read under a row lock
 * ```ts
 * import { keyedTable } from "./keys.ts";
 * import { pointSelect } from "./key_reads.ts";
 * const locked = keyedTable(pointSelect(" FOR UPDATE"));
 * if (typeof locked === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  eachColumn,
  type Element,
  repeat,
  tableName,
  template,
  withColumns,
} from "../../core/dsl/grammar.ts";
import { columnList, columnNames, nonNullLiteral } from "./columns.ts";
import { fkEquality, keyedChildAndParent } from "./foreign_keys.ts";
import { keyedTable, keyMatch, rangeKey, withKeyColumns } from "./keys.ts";
import { limitClause } from "./limits.ts";

/** `SELECT <1 to maxColumns columns> FROM t AS a WHERE <key>` with `tail` after it. */
export const pointSelect = (tail: Element, maxColumns = 4): Element =>
  withColumns(
    "sel",
    "t",
    { min: 1, max: maxColumns },
    template("SELECT {cols} FROM {t} AS a WHERE {key}{tail}", {
      cols: columnList("sel", "a"),
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
        cols: columnList("sel", "a"),
        t: tableName("t"),
        k: columnName("rk"),
        cond: choice(
          template(">= {v}", { v: nonNullLiteral("rk") }),
          template("BETWEEN {lo} AND {hi}", { lo: nonNullLiteral("rk"), hi: nonNullLiteral("rk") }),
        ),
        limit: limitClause(20),
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
  keyedChildAndParent(
    withColumns(
      "sel",
      "t",
      { min: 1, max: 3 },
      withColumns(
        "selp",
        "p",
        { min: 1, max: 2 },
        template("SELECT {ca}, {cb} FROM {t} AS a JOIN {p} AS b ON {on} WHERE {key}{tail}", {
          ca: columnList("sel", "a"),
          cb: columnList("selp", "b"),
          t: tableName("t"),
          p: tableName("p"),
          on: fkEquality("fk", "a", "b"),
          key: keyMatch("a."),
          tail,
        }),
      ),
    ),
    keyedTable(pointSelect(tail)),
  );

/** A few rows by key at once: `WHERE (k1, …) IN ((v1, …), …)` with 2 to `maxRows` keys. */
export const keyListRead = (maxRows: number): Element =>
  keyedTable(
    withKeyColumns(
      "key",
      "t",
      withColumns(
        "sel",
        "t",
        { min: 1, max: 4 },
        template("SELECT {cols} FROM {t} WHERE ({k}) IN ({rows})", {
          cols: columnNames("sel"),
          t: tableName("t"),
          k: columnNames("key"),
          rows: repeat(
            template("({v})", { v: eachColumn("key", "key_c", nonNullLiteral("key_c")) }),
            2,
            maxRows,
            ", ",
          ),
        }),
      ),
    ),
  );
