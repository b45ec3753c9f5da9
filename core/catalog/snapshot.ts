/**
 * The stored form of a server's catalog: the facts about its types,
 * functions, operators and casts that catalog-driven expressions are built
 * from. Snapshots live in `configs/catalog/<product>@<major>.json`, so
 * `generate` needs no server; `build.ts` writes them from a live one.
 *
 * @module
 */

/** A type as `pg_type` (with `pg_range` and `pg_opclass`) describes it. */
export interface CatalogType {
  oid: number;
  name: string;
  /** `format_type(oid, NULL)`: how SQL spells it ("integer", "timestamp without time zone", "integer[]"). */
  sql: string;
  namespace: string;
  /** typtype: b base, d domain, e enum, p pseudo, r range, m multirange. */
  kind: string;
  /** typcategory: A array, B boolean, N numeric, P pseudo, S string, U user-defined, X unknown… */
  category: string;
  /** typelem: the element type of an array (0 otherwise). */
  element: number;
  /** typarray: the array type of this type (0 if none). */
  array: number;
  /** The volatilities of the type's input and output functions ("i", "s", "is"…). */
  ioVolatility: string | null;
  /** Has a default btree operator class: equality and ordering exist. */
  btree: boolean;
  /** Has a default hash operator class: hashing (DISTINCT, hash joins, jsonb keys) works. */
  hash: boolean;
  /** The subtype of a range type. */
  rangeSubtype: number | null;
  /** The range type a multirange type is made of. */
  multirangeOf: number | null;
}

/** A function, aggregate or procedure as `pg_proc` (with `pg_aggregate`) describes it. */
export interface CatalogFunction {
  oid: number;
  name: string;
  namespace: string;
  /** prokind: f function, a aggregate, w window, p procedure. */
  kind: string;
  args: number[];
  /** provariadic: the element type of a VARIADIC last argument (0 if none). */
  variadic: number;
  result: number;
  returnsSet: boolean;
  /** provolatile: i immutable, s stable, v volatile. */
  volatility: string;
  /** proacl is set: EXECUTE is not granted to PUBLIC by default. */
  restricted: boolean;
  /** aggkind: n normal, o ordered-set, h hypothetical; null for non-aggregates. */
  aggregateKind: string | null;
  /** Is an aggregate's transition, final, combine or (de)serial function. */
  aggregateSupport: boolean;
}

/** An operator as `pg_operator` describes it. */
export interface CatalogOperator {
  oid: number;
  name: string;
  namespace: string;
  /** oprkind: b infix, l prefix. */
  kind: string;
  /** 0 for a prefix operator. */
  left: number;
  right: number;
  result: number;
  /** The function implementing it (pg_proc oid). */
  function: number;
}

/** A cast as `pg_cast` describes it. */
export interface CatalogCast {
  source: number;
  target: number;
  /** The cast function (0 for binary-coercible and I/O casts). */
  function: number;
  /** e explicit only, a in assignment, i implicitly. */
  context: string;
  /** f function, i I/O conversion, b binary-coercible. */
  method: string;
}

/** One server's catalog. */
export interface CatalogSnapshot {
  /** `version()` of the server it was read from. */
  server: string;
  /** `server_version_num`. */
  versionNumber: number;
  /** `pg_get_keywords()`: names that must be quoted to call a function of that name. */
  keywords: string[];
  types: CatalogType[];
  functions: CatalogFunction[];
  operators: CatalogOperator[];
  casts: CatalogCast[];
  /**
   * Resolved calls the server refused when probed with typed NULL arguments
   * (class 42 or 0A000: an ambiguous operator, a polymorphic function that
   * wants a row type), by `callKey`, with the SQLSTATE.
   */
  rejected?: { call: string; code: string }[];
  /**
   * Text arguments that refused ordinary text when probed (a date/time unit,
   * an escape character): the words each accepted, by `callKey` and position,
   * with the SQLSTATE ordinary text got (`probeWords` in probe.ts).
   */
  words?: { call: string; arg: number; values: string[]; code: string }[];
}

/**
 * The snapshot as JSON with one catalog row per line, so a new server
 * version's snapshot diffs line by line against the last one.
 *
 * @example
 * ```ts
 * import { snapshotJson } from "./snapshot.ts";
 * const text = snapshotJson({ server: "x", versionNumber: 150000, keywords: [], types: [], functions: [],
 *   operators: [], casts: [] });
 * if (JSON.parse(text).versionNumber !== 150000) throw new Error();
 * ```
 */
export function snapshotJson(s: CatalogSnapshot): string {
  const list = (rows: unknown[]) => `[\n${rows.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]`;
  return `{\n  "server": ${JSON.stringify(s.server)},\n  "versionNumber": ${s.versionNumber},\n` +
    `  "keywords": ${JSON.stringify(s.keywords)},\n  "types": ${list(s.types)},\n` +
    `  "functions": ${list(s.functions)},\n  "operators": ${list(s.operators)},\n  "casts": ${
      list(s.casts)
    },\n` +
    `  "rejected": ${list(s.rejected ?? [])},\n  "words": ${list(s.words ?? [])}\n}\n`;
}
