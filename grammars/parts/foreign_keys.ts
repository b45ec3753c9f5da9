/**
 * Foreign keys in queries: picking a child table with its parent, join
 * conditions and column lists of a key, and chains of tables along keys.
 *
 * A foreign key picked into slot `fk` walks its column pairs with the column
 * slots `<fk>_c` (the child's column) and `<fk>_p` (the parent's).
 *
 * @example Children joined to their parents
 * ```ts
 * import { tableName, template } from "../../core/dsl/grammar.ts";
 * import { childAndParent, fkEquality } from "./foreign_keys.ts";
 * const join = childAndParent(
 *   template("SELECT * FROM {ta} AS a JOIN {tb} AS b ON {on}", {
 *     ta: tableName("a"),
 *     tb: tableName("b"),
 *     on: fkEquality("fk", "a", "b"),
 *   }),
 *   "SELECT 1",
 * );
 * if (typeof join === "string") throw new Error();
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  eachForeignKeyPair,
  type Element,
  template,
  withForeignKey,
  withTable,
} from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";

/** `child.c = parent.p AND …` over the column pairs of foreign key `fk`. */
export const fkEquality = (fk: string, child: string, parent: string): Element =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${child}.{c} = ${parent}.{p}`, { c: columnName(`${fk}_c`), p: columnName(`${fk}_p`) }),
  );

/** The child columns of foreign key `fk` as `alias.col, …`. */
export const fkChildColumns = (fk: string, alias: string): Element =>
  eachForeignKeyPair(fk, `${fk}_c`, `${fk}_p`, qualified(alias, `${fk}_c`), ", ");

/** The child columns of foreign key `fk` as a row, `(alias.col, …)`. */
export const fkChildKey = (fk: string, alias: string): Element =>
  template("({k})", { k: fkChildColumns(fk, alias) });

/** The parent columns of foreign key `fk` as `alias.col, …`. */
export const fkParentColumns = (fk: string, alias: string): Element =>
  eachForeignKeyPair(fk, `${fk}_c`, `${fk}_p`, qualified(alias, `${fk}_p`), ", ");

/**
 * `alias.col IS [NOT] NULL AND …` over the child (`side` "c") or parent
 * ("p") columns of foreign key `fk`.
 */
export const fkColumnsAre = (
  fk: string,
  alias: string,
  side: "c" | "p",
  test: "NULL" | "NOT NULL",
): Element =>
  eachForeignKeyPair(
    fk,
    `${fk}_c`,
    `${fk}_p`,
    template(`${alias}.{c} IS ${test}`, { c: columnName(`${fk}_${side}`) }),
  );

/**
 * `body` with a table that has a foreign key in slot "a", the key in "fk"
 * and the table it references in "b"; `orElse` for a schema without foreign
 * keys. `noKey`, when given, is the key pick's own fallback.
 */
export const childAndParent = (body: Element, orElse: Element, noKey?: Element): Element =>
  withTable("a", withForeignKey("fk", "a", "b", body, noKey), { hasForeignKey: true }, orElse);

/**
 * `body` with a table that has a primary key and a foreign key in slot "t",
 * the key in "fk" and the table it references in "p"; `orElse` when no
 * table has both.
 */
export const keyedChildAndParent = (body: Element, orElse: Element): Element =>
  withTable("t", withForeignKey("fk", "t", "p", body), { hasForeignKey: true, hasPrimaryKey: true }, orElse);

/** The table slots of a chain along foreign keys, child first. */
export const CHAIN_TABLES = ["a", "b", "c", "d"] as const;

/** The foreign-key slots of a chain: `CHAIN_KEYS[i]` leads from `CHAIN_TABLES[i]` to the next table. */
export const CHAIN_KEYS = ["fk", "fk2", "fk3"] as const;

/** Odds of binding a chain's next table where there is one: `[go on, stop]`. */
export interface ChainOdds {
  third: readonly [number, number];
  fourth: readonly [number, number];
}

/**
 * Binds a chain of {@link CHAIN_TABLES} along {@link CHAIN_KEYS}, starting
 * at a table that has a foreign key, and expands `body(n)` with the number
 * of tables bound (2–4); `orElse` when no table has a foreign key.
 */
export function withForeignKeyChain(body: (n: number) => Element, orElse: Element, odds: ChainOdds): Element {
  const three = withForeignKey(
    "fk3",
    "c",
    "d",
    choice([odds.fourth[0], body(4)], [odds.fourth[1], body(3)]),
    body(3),
  );
  const two = withForeignKey(
    "fk2",
    "b",
    "c",
    choice([odds.third[0], three], [odds.third[1], body(2)]),
    body(2),
  );
  return withTable("a", withForeignKey("fk", "a", "b", two), { hasForeignKey: true }, orElse);
}
