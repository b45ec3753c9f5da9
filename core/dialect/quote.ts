/**
 * Quoting of identifiers and string literals for PostgreSQL-family SQL. All
 * identifiers Quarry emits pass through `quoteIdent`.
 *
 * @module
 */
import { RESERVED_KEYWORDS } from "./keywords.ts";

const BARE = /^[a-z_][a-z0-9_$]*$/;

/**
 * The identifier as SQL: bare when PostgreSQL would read it back unchanged,
 * else double-quoted with inner quotes doubled.
 *
 * @example
 * ```ts
 * import { quoteIdent } from "./quote.ts";
 * if (quoteIdent("order") !== '"order"' || quoteIdent("Name x") !== '"Name x"') throw new Error();
 * if (quoteIdent("orders") !== "orders") throw new Error();
 * ```
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new RangeError("An identifier cannot be empty");
  if (name.includes("\0")) {
    throw new RangeError(`Identifier ${JSON.stringify(name)} contains a NUL character`);
  }
  if (BARE.test(name) && !RESERVED_KEYWORDS.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

/** `schema.name` with each part quoted; the schema part is left out when absent. */
export function qualifiedName(name: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * A standard-conforming string literal: single quotes doubled.
 *
 * @example
 * ```ts
 * import { quoteLiteral } from "./quote.ts";
 * if (quoteLiteral("O'Brien") !== "'O''Brien'") throw new Error();
 * ```
 */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new RangeError("A string literal cannot contain a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}
