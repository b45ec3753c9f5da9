/**
 * Subqueries nested in one another: along a chain of foreign keys (as
 * `withForeignKeyChain` binds it), upward with `IN`/`= ANY`/`EXISTS` and their
 * negations and downward with correlated `EXISTS`, often ending in one more
 * uncorrelated level; and uncorrelated chains over columns of one type
 * class of any tables. Everything here runs on PostgreSQL 11.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar, ref } from "../../core/dsl/grammar.ts";
 * import { withForeignKeyChain } from "./foreign_keys.ts";
 * import { chainNesting, typedNesting } from "./nested_subqueries.ts";
 * import { predicateRules } from "./predicates.ts";
 * const g = grammar("nesting");
 * const predicates = predicateRules(g, () => "true");
 * const nested = chainNesting(g, predicates);
 * g.rule("nested", withForeignKeyChain(nested, ref("typed_nesting"), { third: [1, 1], fourth: [1, 1] }));
 * g.rule("typed_nesting", typedNesting(predicates, "SELECT 1"));
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  type Grammar,
  maybe,
  pool,
  ref,
  tableName,
  template,
  type TypeClass,
  withColumn,
  withTable,
} from "../../core/dsl/grammar.ts";
import { withSomeColumns } from "./columns.ts";
import {
  CHAIN_KEYS,
  CHAIN_TABLES,
  fkChildColumns,
  fkChildKey,
  fkEquality,
  fkParentColumns,
} from "./foreign_keys.ts";
import { maybeLimit } from "./limits.ts";
import type { Predicates } from "./predicates.ts";
import { withSameClass } from "./type_classes.ts";

/** Classes whose values from different tables compare with `=`. */
const MATCHING: readonly TypeClass[] = ["integer", "numeric", "text", "date", "timestamp"];

const limit = maybeLimit(100, 0.6);

/**
 * The nesting of a chain `n` tables long (2–4), read from the bottom or from
 * the top, for the `body` of `withForeignKeyChain`. Its levels are
 * rules of `g`, defined on first use: `innermost_<table>` (a predicate, or
 * one more uncorrelated level: a column IN the same-class column of any
 * table `e`), `up_<level>_of_<n>` (a child level filtered by its parent
 * level) and `down_<level>` (a parent level filtered by its children).
 */
export function chainNesting(g: Grammar, predicates: Predicates): (n: number) => Element {
  const innermost = (t: string): Element => {
    const name = `innermost_${t}`;
    if (!g.rules.has(name)) {
      const p = predicates.on(t, t);
      g.rule(
        name,
        choice(
          [3, p],
          [
            2,
            withTable(
              "e",
              withColumn(
                "ex",
                t,
                { type: [...MATCHING] },
                withSameClass(
                  MATCHING,
                  "ex",
                  "ey",
                  "e",
                  template(`${t}.{x} {in} (SELECT e.{y} FROM {te} AS e{w})`, {
                    x: columnName("ex"),
                    in: pool(["IN", "NOT IN", "= ANY"]),
                    y: columnName("ey"),
                    te: tableName("e"),
                    w: predicates.where("e", "e", 0.6),
                  }),
                  p,
                ),
                p,
              ),
            ),
          ],
        ),
      );
    }
    return ref(name);
  };

  const upward = (level: number, n: number): Element => {
    const name = `up_${level}_of_${n}`;
    if (!g.rules.has(name)) g.rule(name, upwardBody(level, n));
    return ref(name);
  };

  const upwardBody = (level: number, n: number): Element => {
    const child = CHAIN_TABLES[level]!;
    const fk = CHAIN_KEYS[level]!;
    const parent = CHAIN_TABLES[level + 1]!;
    const inner = level + 2 < n ? upward(level + 1, n) : innermost(parent);
    const sub = template(`SELECT {pk} FROM {t} AS ${parent} WHERE {inner}`, {
      pk: fkParentColumns(fk, parent),
      t: tableName(parent),
      inner,
    });
    return choice(
      [4, template("{k} IN ({sub})", { k: fkChildKey(fk, child), sub })],
      [2, template("{k} = ANY ({sub})", { k: fkChildKey(fk, child), sub })],
      [2, template("{k} NOT IN ({sub})", { k: fkChildKey(fk, child), sub })],
      [
        3,
        template(`EXISTS (SELECT 1 FROM {t} AS ${parent} WHERE {on} AND {inner})`, {
          t: tableName(parent),
          on: fkEquality(fk, child, parent),
          inner,
        }),
      ],
      [
        1,
        template(`NOT EXISTS (SELECT 1 FROM {t} AS ${parent} WHERE {on} AND {inner})`, {
          t: tableName(parent),
          on: fkEquality(fk, child, parent),
          inner,
        }),
      ],
    );
  };

  const downward = (level: number): Element => {
    const name = `down_${level}`;
    if (!g.rules.has(name)) g.rule(name, downwardBody(level));
    return ref(name);
  };

  const downwardBody = (level: number): Element => {
    const parent = CHAIN_TABLES[level]!;
    const child = CHAIN_TABLES[level - 1]!;
    const fk = CHAIN_KEYS[level - 1]!;
    const inner = level > 1
      ? template(" AND {x}", { x: downward(level - 1) })
      : maybe(template(" AND {x}", { x: innermost(child) }), 0.7);
    return choice(
      [
        4,
        template(`EXISTS (SELECT 1 FROM {t} AS ${child} WHERE {on}{inner})`, {
          t: tableName(child),
          on: fkEquality(fk, child, parent),
          inner,
        }),
      ],
      [
        2,
        template(`NOT EXISTS (SELECT 1 FROM {t} AS ${child} WHERE {on}{inner})`, {
          t: tableName(child),
          on: fkEquality(fk, child, parent),
          inner,
        }),
      ],
      [
        2,
        template(`({pk}) IN (SELECT {ck} FROM {t} AS ${child} WHERE true{inner})`, {
          pk: fkParentColumns(fk, parent),
          ck: fkChildColumns(fk, child),
          t: tableName(child),
          inner,
        }),
      ],
    );
  };

  return (n: number): Element => {
    const bottom = CHAIN_TABLES[0];
    const top = CHAIN_TABLES[n - 1]!;
    return choice(
      withSomeColumns(
        bottom,
        bottom,
        (cols) =>
          template(`SELECT {cols} FROM {t} AS ${bottom} WHERE {cond}{more}{l}`, {
            cols,
            t: tableName(bottom),
            cond: upward(0, n),
            more: predicates.and(bottom, bottom, 0.3),
            l: limit,
          }),
      ),
      withSomeColumns(top, top, (cols) =>
        template(`SELECT {cols} FROM {t} AS ${top} WHERE {cond}{more}{l}`, {
          cols,
          t: tableName(top),
          cond: downward(n - 1),
          more: predicates.and(top, top, 0.3),
          l: limit,
        })),
    );
  };
}

/**
 * A column of any table `a` IN a same-class column of any table `b`, itself
 * filtered by an IN over a same-class column of any table `c`, or by a
 * predicate; `orElse` when `a` has no column of a matching class.
 */
export const typedNesting = (predicates: Predicates, orElse: Element): Element =>
  withTable(
    "a",
    withTable(
      "b",
      withTable(
        "c",
        withColumn(
          "x",
          "a",
          { type: [...MATCHING] },
          withSameClass(
            MATCHING,
            "x",
            "y",
            "b",
            // `y` is read before `z` is bound, so `z` may reuse no slot of theirs.
            template(
              "SELECT a.{x} FROM {ta} AS a WHERE a.{x2} {in} (SELECT b.{y} FROM {tb} AS b WHERE {rest}){l}",
              {
                x: columnName("x"),
                ta: tableName("a"),
                x2: columnName("x"),
                in: pool(["IN", "IN", "NOT IN", "= ANY"]),
                y: columnName("y"),
                tb: tableName("b"),
                rest: withColumn(
                  "w",
                  "b",
                  { type: [...MATCHING] },
                  withSameClass(
                    MATCHING,
                    "w",
                    "z",
                    "c",
                    template("b.{w} IN (SELECT c.{z} FROM {tc} AS c{wc})", {
                      w: columnName("w"),
                      z: columnName("z"),
                      tc: tableName("c"),
                      wc: predicates.where("c", "c", 0.6),
                    }),
                    predicates.on("b", "b"),
                  ),
                  predicates.on("b", "b"),
                ),
                l: limit,
              },
            ),
            template("SELECT a.{x} FROM {ta} AS a WHERE a.{x2} IN (SELECT a2.{x3} FROM {ta2} AS a2{w}){l}", {
              x: columnName("x"),
              ta: tableName("a"),
              x2: columnName("x"),
              x3: columnName("x"),
              ta2: tableName("a"),
              w: predicates.where("a2", "a", 0.7),
              l: limit,
            }),
          ),
          orElse,
        ),
      ),
    ),
  );
