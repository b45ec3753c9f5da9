/**
 * Live facts: what a populated database held when its schema was read
 * (`quarry introspect`, `run --setup none`), kept in the schema JSON beside
 * each table as `live`, so that statements generated later, offline, fit the
 * rows already there. Facts are what the server said, never formatted here:
 * value lists are SQL literals the server wrote (`format('%L::%s', v,
 * pg_typeof(v))`).
 *
 * How generation uses them is `core/live/columns.ts`; how they are read is
 * `core/live/read.ts`.
 *
 * @example A table's facts, as introspection writes them
 * ```ts
 * import { parseLiveFacts } from "./facts.ts";
 * const facts = parseLiveFacts({
 *   rows: 1200,
 *   max: { id: "1200" },
 *   values: { customer_id: ["'7'::integer", "'12'::integer"] },
 * }, "$.tables[0].live");
 * if (facts.values?.customer_id?.length !== 2) throw new Error();
 * ```
 *
 * @module
 */
import { SchemaError } from "../schema/parse.ts";

/** What one table held when it was read. */
export interface LiveFacts {
  /** Rows in the table (exact up to 100,000, else the planner's estimate). */
  rows: number;
  /** The largest value of each integer or numeric key column, as the server prints it. */
  max?: Record<string, string>;
  /** The largest value the table's CHECKs allow in a key column of `max`, when they say. */
  ceiling?: Record<string, string>;
  /**
   * SQL literals, as the server wrote them, that a column's values are drawn
   * from: existing parent keys for a foreign key's columns (for a key of
   * several columns, a set whose every combination exists), existing values
   * for a column a CHECK or the partitioning reads. An empty list: the
   * column can only be NULL.
   */
  values?: Record<string, string[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a table's `live` field.
 *
 * @throws {SchemaError} Naming the JSON path of what is wrong.
 */
export function parseLiveFacts(v: unknown, path: string): LiveFacts {
  if (!isObject(v)) throw new SchemaError(path, "expected an object of live facts (rows, max, values)");
  for (const key of Object.keys(v)) {
    if (!["rows", "max", "ceiling", "values"].includes(key)) {
      throw new SchemaError(`${path}.${key}`, "unknown field (expected one of: rows, max, ceiling, values)");
    }
  }
  if (typeof v.rows !== "number" || !Number.isInteger(v.rows) || v.rows < 0) {
    throw new SchemaError(`${path}.rows`, "expected a whole number of rows");
  }
  const facts: LiveFacts = { rows: v.rows };
  for (const field of ["max", "ceiling"] as const) {
    const m = v[field];
    if (m === undefined) continue;
    if (!isObject(m)) throw new SchemaError(`${path}.${field}`, "expected an object of column: number");
    for (const [c, n] of Object.entries(m)) {
      if (typeof n !== "string" || !/^-?\d+(\.\d+)?$/.test(n)) {
        throw new SchemaError(`${path}.${field}.${c}`, "expected a number as text");
      }
    }
    facts[field] = m as Record<string, string>;
  }
  if (v.values !== undefined) {
    if (!isObject(v.values)) {
      throw new SchemaError(`${path}.values`, "expected an object of column: literals");
    }
    for (const [c, list] of Object.entries(v.values)) {
      if (!Array.isArray(list) || !list.every((x) => typeof x === "string" && x.length > 0)) {
        throw new SchemaError(`${path}.values.${c}`, "expected a list of SQL literals");
      }
    }
    facts.values = v.values as Record<string, string[]>;
  }
  return facts;
}
