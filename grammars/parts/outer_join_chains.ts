/**
 * Outer joins of 2–4 tables along a chain of foreign keys (slots `a`, `b`,
 * `c`, `d`, as `withForeignKeyChain` binds them), read child first, parent
 * first or with the parent and grandparent parenthesized, and optionally a
 * "partner" table `e` joined through two columns of one type class.
 *
 * A `FULL JOIN` only ever has equalities in its `ON` (foreign-key pairs or
 * two columns of one class), the only conditions PostgreSQL can run a full
 * join on. Select lists mix plain columns with `COALESCE` over what may be
 * NULL, and WHERE clauses keep or discard NULL-extended rows. Everything
 * here runs on PostgreSQL 11.
 *
 * @example A chain read child first
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { childFirst } from "./outer_join_chains.ts";
 * import { withForeignKeyChain } from "./foreign_keys.ts";
 * import { predicateRules } from "./predicates.ts";
 * const g = grammar("outer_joins");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("chain", withForeignKeyChain((n) => childFirst(predicates, n), "SELECT 1", { third: [1, 1], fourth: [1, 1] }));
 * ```
 *
 * @module
 */
import {
  byColumn,
  choice,
  columnName,
  type Element,
  maybe,
  pool,
  tableName,
  template,
  type TypeClass,
  withColumn,
  withTable,
} from "../../core/dsl/grammar.ts";
import { nonNullLiteral, withSomeColumns } from "./columns.ts";
import { CHAIN_KEYS, CHAIN_TABLES, fkColumnsAre, fkEquality } from "./foreign_keys.ts";
import { maybeLimit } from "./limits.ts";
import type { Predicates } from "./predicates.ts";
import { withSameClass } from "./type_classes.ts";

/** Classes whose values from different tables compare with a hash- and merge-joinable `=`. */
export const JOINABLE: readonly TypeClass[] = ["integer", "numeric", "text", "date", "uuid"];

const limit = maybeLimit(100, 0.7);

/** ` AND <predicate>` on `t` now and then: a filter in ON. */
export const onFilter = (predicates: Predicates, t: string): Element => predicates.and(t, t, 0.35);

/**
 * ` <kind> JOIN <t> AS t ON <on>`: LEFT and RIGHT joins may add a filter on
 * their nullable side to `ON` (LEFT: the new table, RIGHT: `previous`); a
 * FULL join keeps its equalities alone.
 */
export function outerJoin(predicates: Predicates, t: string, previous: string, on: Element): Element {
  const table = tableName(t);
  return choice(
    [5, template(` LEFT JOIN {table} AS ${t} ON {on}{f}`, { table, on, f: onFilter(predicates, t) })],
    [2, template(` RIGHT JOIN {table} AS ${t} ON {on}{f}`, { table, on, f: onFilter(predicates, previous) })],
    [2, template(` FULL JOIN {table} AS ${t} ON {on}`, { table, on })],
    [1, template(` JOIN {table} AS ${t} ON {on}`, { table, on })],
  );
}

/** 1–3 columns of `t` as `t.col, …`. */
export const columnsOf = (t: string): Element => withSomeColumns(t, t, (columns) => columns);

/** A COALESCE over a column of `t`, typed by the column. */
const coalesceOf = (t: string): Element =>
  withColumn(
    "co",
    t,
    {},
    byColumn(
      "co",
      [
        [
          { type: ["integer", "numeric", "float", "text", "date", "timestamp", "time", "interval", "bool"] },
          choice(
            [3, template(`COALESCE(${t}.{c}, {v})`, { c: columnName("co"), v: nonNullLiteral("co") })],
            [1, template(`COALESCE(${t}.{c}::text, 'none')`, { c: columnName("co") })],
          ),
        ],
      ],
      template(`COALESCE(${t}.{c}::text, 'none')`, { c: columnName("co") }),
    ),
  );

/** What a query over tables `ts` selects: columns and COALESCEs of each, in order. */
export const selectList = (ts: readonly string[]): Element =>
  template(
    ts.map((_, i) => `{s${i}}`).join(", "),
    Object.fromEntries(
      ts.map((t, i) => [
        `s${i}`,
        choice([3, columnsOf(t)], [1, coalesceOf(t)], [
          1,
          template("{x}, {y}", { x: columnsOf(t), y: coalesceOf(t) }),
        ]),
      ]),
    ),
  );

/** ` WHERE` over tables `ts`: predicates, and `nullChecks` that keep or discard NULL-extended rows. */
export const whereOf = (
  predicates: Predicates,
  ts: readonly string[],
  nullChecks: readonly Element[],
): Element =>
  maybe(
    template(" WHERE {w}", {
      w: choice(
        ...ts.map((t) => [3, predicates.on(t, t)] as const),
        ...nullChecks.map((n) => [2, n] as const),
        ...nullChecks.map((n) => [1, template("NOT ({n})", { n })] as const),
      ),
    }),
    0.6,
  );

/** ` <kind> JOIN e ON a.x = e.y`: the partner table joined through the columns of {@link withPartner}. */
export const partnerJoin = (predicates: Predicates): Element =>
  outerJoin(predicates, "e", "a", template("a.{x} = e.{y}", { x: columnName("x"), y: columnName("y") }));

/** `body` with column `x` of `a` in a {@link JOINABLE} class, a foreign key if it has one; else `orElse`. */
export const withJoinableColumn = (body: Element, orElse: Element): Element =>
  withColumn(
    "x",
    "a",
    { type: [...JOINABLE], foreignKey: true },
    body,
    withColumn("x", "a", { type: [...JOINABLE] }, body, orElse),
  );

/**
 * `body` with table `e` bound and columns `x` (of a, a foreign key if it has
 * one) and `y` (of e) of one class, unique ones first, or `plain` when no
 * such pair exists.
 */
export const withPartner = (body: Element, plain: Element): Element =>
  withTable(
    "e",
    withJoinableColumn(withSameClass(JOINABLE, "x", "y", "e", body, plain, { uniqueFirst: true }), plain),
  );

/** `SELECT … FROM <first> AS <first>` followed by `joins`, a WHERE over `ts` and a limit. */
const joined = (
  predicates: Predicates,
  first: string,
  ts: readonly string[],
  joins: readonly Element[],
  nulls: readonly Element[],
): Element =>
  template(`SELECT {cols} FROM {t0} AS ${first}${joins.map((_, i) => `{j${i}}`).join("")}{w}{l}`, {
    cols: selectList(ts),
    t0: tableName(first),
    ...Object.fromEntries(joins.map((j, i) => [`j${i}`, j])),
    w: whereOf(predicates, ts, nulls),
    l: limit,
  });

/** A chain of `n` tables child first: a, then each parent joined to the table before it; then `partner`. */
export function childFirst(predicates: Predicates, n: number, partner?: Element): Element {
  const ts = [...CHAIN_TABLES.slice(0, n), ...(partner ? ["e"] : [])];
  const joins = CHAIN_KEYS.slice(0, n - 1).map((fk, i) =>
    outerJoin(
      predicates,
      CHAIN_TABLES[i + 1]!,
      CHAIN_TABLES[i]!,
      fkEquality(fk, CHAIN_TABLES[i]!, CHAIN_TABLES[i + 1]!),
    )
  );
  if (partner) joins.push(partner);
  const nulls = CHAIN_KEYS.slice(0, n - 1).map((fk, i) =>
    fkColumnsAre(fk, CHAIN_TABLES[i + 1]!, "p", "NULL")
  );
  return joined(predicates, "a", ts, joins, nulls);
}

/** A chain of `n` tables parent first: the top table, then each child joined to the table before it; then `partner`. */
export function parentFirst(predicates: Predicates, n: number, partner?: Element): Element {
  const ts = [...CHAIN_TABLES.slice(0, n).reverse(), ...(partner ? ["e"] : [])];
  const joins = CHAIN_KEYS.slice(0, n - 1).reverse().map((fk) => {
    const i = CHAIN_KEYS.indexOf(fk);
    return outerJoin(
      predicates,
      CHAIN_TABLES[i]!,
      CHAIN_TABLES[i + 1]!,
      fkEquality(fk, CHAIN_TABLES[i]!, CHAIN_TABLES[i + 1]!),
    );
  });
  if (partner) joins.push(partner);
  const nulls = CHAIN_KEYS.slice(0, n - 1).map((fk, i) => fkColumnsAre(fk, CHAIN_TABLES[i]!, "c", "NULL"));
  return joined(predicates, CHAIN_TABLES[n - 1]!, ts, joins, nulls);
}

/** A child outer-joined to a parenthesized inner or outer join of its parent and grandparent (3+ tables). */
export function parenthesized(predicates: Predicates, n: number): Element {
  if (n < 3) return childFirst(predicates, n);
  return template(
    "SELECT {cols} FROM {ta} AS a {jt} ({tb} AS b {jt2} {tc} AS c ON {on2}) ON {on}{w}{l}",
    {
      cols: selectList(["a", "b", "c"]),
      ta: tableName("a"),
      jt: pool(["LEFT JOIN", "LEFT JOIN", "FULL JOIN", "RIGHT JOIN"]),
      tb: tableName("b"),
      jt2: pool(["JOIN", "LEFT JOIN", "FULL JOIN"]),
      tc: tableName("c"),
      on2: fkEquality("fk2", "b", "c"),
      on: fkEquality("fk", "a", "b"),
      w: whereOf(predicates, ["a", "b", "c"], [
        fkColumnsAre("fk", "b", "p", "NULL"),
        fkColumnsAre("fk2", "c", "p", "NULL"),
      ]),
      l: limit,
    },
  );
}
