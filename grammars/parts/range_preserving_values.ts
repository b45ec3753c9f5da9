/**
 * Values for INSERT and UPDATE that keep a column's range and CHECKs: its
 * literal, functions of valid literals that return one of them, or (for
 * UPDATE) functions of the current value that stay within what the column
 * held. Unique and key columns get fresh unique values.
 *
 * @module
 */
import {
  byColumn,
  choice,
  type Element,
  literal,
  number,
  template,
  uniqueLiteral,
} from "../../core/dsl/grammar.ts";
import { qualified, typedLiteral } from "./columns.ts";
import { overColumn } from "./column_templates.ts";

/**
 * A value for the column bound to `col`: its literal, or a function of
 * literals that returns one of them (or the same text in another case), so
 * the column's range and CHECKs still hold.
 */
export function writeValue(col: string): Element {
  const v = typedLiteral(col);
  const w = typedLiteral(col);
  return byColumn(col, [
    [{ primaryKey: true, foreignKey: false, uniqueCapable: true }, uniqueLiteral(col)],
    [{ primaryKey: true }, literal(col)],
    [{ unique: true, uniqueCapable: true }, uniqueLiteral(col)],
    [{ unique: true }, literal(col)],
    [
      { type: ["number", "date", "timestamp", "time", "interval"] },
      choice(
        [4, literal(col)],
        [1, template("greatest({v}, {w})", { v, w })],
        [1, template("least({v}, {w})", { v, w })],
        [1, template("coalesce(NULL, {v})", { v })],
        [1, template("CASE WHEN {n} % 2 = 0 THEN {v} ELSE {w} END", { n: number(0, 9), v, w })],
      ),
    ],
    [
      { type: "text" },
      choice(
        [4, literal(col)],
        [1, template("upper({v})", { v })],
        [1, template("lower({v})", { v })],
        [1, template("coalesce({v}, {w})", { v, w })],
      ),
    ],
    [{ type: "bool" }, choice([3, literal(col)], [1, template("NOT {v}", { v })])],
    [{ type: "uuid", nullable: true }, choice(literal(col), "gen_random_uuid()")],
  ], literal(col));
}

/**
 * A new value for the column `u` computed from its current value, by
 * functions that keep it within what the column held (so CHECKs hold).
 */
export const recomputedValue = (): Element => {
  const f = overColumn(qualified("a", "u"));
  const v = typedLiteral("u");
  return byColumn("u", [
    [
      { type: ["number", "date", "timestamp", "time", "interval"] },
      choice(
        f("greatest({c}, {v})", { v }),
        f("least({c}, {v})", { v }),
        f("coalesce({c}, {v})", { v }),
        f("CASE WHEN {c} > {v} THEN {v2} ELSE {c} END", { v, v2: v }),
      ),
    ],
    [
      { type: "text" },
      choice(
        f("upper({c})"),
        f("lower({c})"),
        f("initcap({c})"),
        f("coalesce({c}, {v})", { v }),
        f("translate({c}, 'ae', 'AE')"),
      ),
    ],
    [{ type: "bool" }, choice(f("NOT {c}"), f("coalesce({c}, false)"))],
    [{ type: "enum" }, choice(f("enum_first({c})"), f("enum_last({c})"), f("coalesce({c}, {v})", { v }))],
    [{ type: "json" }, choice(f("jsonb_strip_nulls({c})"), f("coalesce({c}, '{{}}'::jsonb)"))],
    [{ type: "bytea" }, f("substring({c} FROM 1 FOR 64)")],
    [{ type: "inet" }, f("host({c})::inet")],
  ], literal("u"));
};
