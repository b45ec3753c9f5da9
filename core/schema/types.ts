/**
 * Column types Quarry can generate values for: parsing a SQL type name into
 * a type code with its modifiers, and the class a type belongs to.
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";
import type { TypeClass } from "../dsl/nodes.ts";
import type { Schema } from "./model.ts";
import { qualifiedName } from "../dialect/quote.ts";

/** A parsed column type. */
export interface ColumnType {
  /** VM type code (`T_*` in wasm/opcodes.ts). */
  code: number;
  /** Canonical SQL spelling, e.g. `numeric(10,2)`. */
  sql: string;
  /** varchar/char length, numeric precision, or 0. */
  length: number;
  /** numeric scale, or 0. */
  scale: number;
  typeClass: TypeClass;
  /** Enum labels in sort order (enum types only). */
  labels?: readonly string[];
}

interface Base {
  code: number;
  sql: string;
  typeClass: TypeClass;
  args?: "length" | "precision";
}

const BASES: Record<string, Base> = {
  smallint: { code: op.T_INT2, sql: "smallint", typeClass: "integer" },
  int2: { code: op.T_INT2, sql: "smallint", typeClass: "integer" },
  integer: { code: op.T_INT4, sql: "integer", typeClass: "integer" },
  int: { code: op.T_INT4, sql: "integer", typeClass: "integer" },
  int4: { code: op.T_INT4, sql: "integer", typeClass: "integer" },
  bigint: { code: op.T_INT8, sql: "bigint", typeClass: "integer" },
  int8: { code: op.T_INT8, sql: "bigint", typeClass: "integer" },
  numeric: { code: op.T_NUMERIC, sql: "numeric", typeClass: "numeric", args: "precision" },
  decimal: { code: op.T_NUMERIC, sql: "numeric", typeClass: "numeric", args: "precision" },
  real: { code: op.T_FLOAT4, sql: "real", typeClass: "float" },
  float4: { code: op.T_FLOAT4, sql: "real", typeClass: "float" },
  "double precision": { code: op.T_FLOAT8, sql: "double precision", typeClass: "float" },
  float8: { code: op.T_FLOAT8, sql: "double precision", typeClass: "float" },
  float: { code: op.T_FLOAT8, sql: "double precision", typeClass: "float" },
  text: { code: op.T_TEXT, sql: "text", typeClass: "text" },
  varchar: { code: op.T_VARCHAR, sql: "varchar", typeClass: "text", args: "length" },
  "character varying": { code: op.T_VARCHAR, sql: "varchar", typeClass: "text", args: "length" },
  char: { code: op.T_CHAR, sql: "char", typeClass: "text", args: "length" },
  character: { code: op.T_CHAR, sql: "char", typeClass: "text", args: "length" },
  boolean: { code: op.T_BOOL, sql: "boolean", typeClass: "bool" },
  bool: { code: op.T_BOOL, sql: "boolean", typeClass: "bool" },
  date: { code: op.T_DATE, sql: "date", typeClass: "date" },
  timestamp: { code: op.T_TIMESTAMP, sql: "timestamp", typeClass: "timestamp" },
  "timestamp without time zone": { code: op.T_TIMESTAMP, sql: "timestamp", typeClass: "timestamp" },
  timestamptz: { code: op.T_TIMESTAMPTZ, sql: "timestamptz", typeClass: "timestamp" },
  "timestamp with time zone": { code: op.T_TIMESTAMPTZ, sql: "timestamptz", typeClass: "timestamp" },
  time: { code: op.T_TIME, sql: "time", typeClass: "time" },
  "time without time zone": { code: op.T_TIME, sql: "time", typeClass: "time" },
  interval: { code: op.T_INTERVAL, sql: "interval", typeClass: "interval" },
  uuid: { code: op.T_UUID, sql: "uuid", typeClass: "uuid" },
  jsonb: { code: op.T_JSONB, sql: "jsonb", typeClass: "json" },
  bytea: { code: op.T_BYTEA, sql: "bytea", typeClass: "bytea" },
  inet: { code: op.T_INET, sql: "inet", typeClass: "inet" },
};

/** Type names `parseType` accepts, for error messages. */
export const SUPPORTED_TYPES: readonly string[] = Object.keys(BASES);

/**
 * Parses a SQL type name such as `numeric(10, 2)` or `character varying(40)`.
 *
 * @returns The type, or a string saying what is wrong.
 * @example
 * ```ts
 * import { parseType } from "./types.ts";
 * const t = parseType("NUMERIC(10, 2)");
 * if (typeof t === "string" || t.sql !== "numeric(10,2)") throw new Error();
 * ```
 */
export function parseType(name: string): ColumnType | string {
  const m = /^\s*([a-z][a-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(name);
  if (!m) return `cannot read type "${name}"`;
  const baseName = m[1]!.toLowerCase().replace(/\s+/g, " ");
  const base = BASES[baseName];
  if (!base) return `unsupported type "${name}" (supported: ${SUPPORTED_TYPES.join(", ")})`;
  const a = m[2] === undefined ? undefined : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  if (a !== undefined && !base.args) return `type "${baseName}" takes no modifier`;
  if (base.args === "length") {
    if (b !== undefined) return `type "${baseName}" takes one length`;
    const length = a ?? (base.code === op.T_CHAR ? 1 : 0);
    if (a !== undefined && (a < 1 || a > 10485760)) return `length ${a} of "${baseName}" is out of range`;
    return { ...base, sql: a === undefined ? base.sql : `${base.sql}(${a})`, length, scale: 0 };
  }
  if (base.args === "precision") {
    if (a === undefined) return { ...base, length: 0, scale: 0 };
    const scale = b ?? 0;
    if (a < 1 || a > 1000) return `precision ${a} of numeric is out of range 1..1000`;
    if (scale > a) return `scale ${scale} of numeric(${a},${scale}) exceeds its precision`;
    return { ...base, sql: `numeric(${a},${scale})`, length: a, scale };
  }
  return { ...base, length: 0, scale: 0 };
}

/**
 * Resolves a column's type: an enum of the schema by name, else a built-in
 * type (see {@link parseType}).
 */
export function columnType(schema: Pick<Schema, "types">, name: string): ColumnType | string {
  const user = (schema.types ?? []).find((t) => t.name === name);
  if (user) {
    return {
      code: op.T_ENUM,
      sql: qualifiedName(user.name, user.schema),
      length: 0,
      scale: 0,
      typeClass: "enum",
      labels: user.labels,
    };
  }
  return parseType(name);
}

/** Types with a total order usable by min/max, <, BETWEEN. */
export function isOrderable(t: ColumnType): boolean {
  return !["bool", "uuid", "json", "bytea"].includes(t.typeClass);
}
