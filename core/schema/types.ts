/**
 * Column types Quarry can generate values for: parsing a SQL type name into
 * a type code with its modifiers, and the class a type belongs to.
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";
import type { TypeClass } from "../dsl/nodes.ts";
import type { DomainType, Schema, UserType } from "./model.ts";
import { qualifiedName, quoteLiteral } from "../dialect/quote.ts";
import { checkPattern, composedArraySample, compositeSample, patternSample } from "./composed_samples.ts";
import {
  arraySample,
  INCOMPARABLE,
  MULTIRANGES,
  multirangeSample,
  POOLED,
  SAMPLE_COUNT,
  SCALAR_CODES,
} from "./samples.ts";

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
  /** Typed SQL literals the VM picks from (`T_SQL` types only). */
  samples?: readonly string[];
  /** Has a btree operator class: `=`, DISTINCT, GROUP BY and ORDER BY work. */
  comparable: boolean;
  /** A domain's bounds for generated values, used when the column states none. */
  range?: [number | string, number | string];
  /** A domain that is NOT NULL. */
  notNull?: boolean;
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
  // `bpchar` without a length: blank-padded text of any length (what `character` columns of unknown
  // length print as); generated like text.
  bpchar: { code: op.T_TEXT, sql: "bpchar", typeClass: "text" },
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

/** Spellings of pooled types that PostgreSQL also accepts. */
const POOLED_ALIASES: Record<string, string> = { "bit varying": "varbit" };

/** Type names `parseType` accepts, for error messages. */
export const SUPPORTED_TYPES: readonly string[] = [
  ...Object.keys(BASES),
  ...Object.keys(POOLED),
  ...Object.keys(MULTIRANGES),
  "bit varying",
  "any of these followed by []",
];

const samples = (make: (r: number) => string) => Array.from({ length: SAMPLE_COUNT }, (_, r) => make(r));

/** A type whose literals come from a fixed list of samples. */
function pooled(sql: string, make: (r: number) => string, comparable: boolean): ColumnType {
  return { code: op.T_SQL, sql, length: 0, scale: 0, typeClass: "other", samples: samples(make), comparable };
}

/** One-dimensional arrays (PostgreSQL does not enforce the dimensions declared). */
function arrayType(elementName: string, name: string): ColumnType | string {
  const element = parseType(elementName);
  if (typeof element === "string") return element;
  if (!SCALAR_CODES.has(element.code)) return `arrays of ${element.sql} are not supported (in "${name}")`;
  const sql = `${element.sql}[]`;
  return pooled(sql, (r) => arraySample(element, sql, r), element.comparable);
}

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
  const array = /^(.*?)\s*(?:\[\d*\]\s*)+$/.exec(name);
  if (array) return arrayType(array[1]!, name);
  // Fractional-second precision, written where PostgreSQL prints it: `timestamp(3) without time zone`.
  const fsp =
    /^\s*(timestamp|timestamptz|time|interval)\s*\(\s*(\d+)\s*\)\s*((?:with|without)\s+time\s+zone)?\s*$/i
      .exec(name);
  if (fsp) {
    const p = Number(fsp[2]);
    if (p > 6) return `precision ${p} of "${name.trim()}" is out of range 0..6`;
    const t = parseType(fsp[3] === undefined ? fsp[1]! : `${fsp[1]} ${fsp[3]}`);
    return typeof t === "string" ? t : { ...t, sql: `${t.sql}(${p})` };
  }
  const m = /^\s*([a-z][a-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(name);
  if (!m) return `cannot read type "${name}"`;
  const spelled = m[1]!.toLowerCase().replace(/\s+/g, " ");
  const baseName = POOLED_ALIASES[spelled] ?? spelled;
  const a = m[2] === undefined ? undefined : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  const pool = POOLED[baseName];
  if (pool) {
    const sized = baseName === "bit" || baseName === "varbit";
    if (a !== undefined && (!sized || b !== undefined)) return `type "${baseName}" takes no such modifier`;
    if (a !== undefined && (a < 1 || a > 83886080)) return `length ${a} of "${baseName}" is out of range`;
    return pooled(pool.sql(a ?? 0), (r) => pool.sample(r, a ?? 0), !INCOMPARABLE.has(baseName));
  }
  if (MULTIRANGES[baseName]) {
    if (a !== undefined) return `type "${baseName}" takes no modifier`;
    return pooled(baseName, (r) => multirangeSample(baseName, r), true);
  }
  const base = BASES[baseName];
  if (!base) return `unsupported type "${name}" (supported: ${SUPPORTED_TYPES.join(", ")})`;
  if (a !== undefined && !base.args) return `type "${baseName}" takes no modifier`;
  if (base.args === "length") {
    if (b !== undefined) return `type "${baseName}" takes one length`;
    const length = a ?? (base.code === op.T_CHAR ? 1 : 0);
    if (a !== undefined && (a < 1 || a > 10485760)) return `length ${a} of "${baseName}" is out of range`;
    return {
      ...base,
      sql: a === undefined ? base.sql : `${base.sql}(${a})`,
      length,
      scale: 0,
      comparable: true,
    };
  }
  if (base.args === "precision") {
    if (a === undefined) return { ...base, length: 0, scale: 0, comparable: true };
    const scale = b ?? 0;
    if (a < 1 || a > 1000) return `precision ${a} of numeric is out of range 1..1000`;
    if (scale > a) return `scale ${scale} of numeric(${a},${scale}) exceeds its precision`;
    return { ...base, sql: `numeric(${a},${scale})`, length: a, scale, comparable: true };
  }
  return { ...base, length: 0, scale: 0, comparable: true };
}

/** `name[]` (any number of `[]` or `[n]`): the element's name, or undefined for a non-array. */
function arrayElement(name: string): string | undefined {
  return /^(.*?)\s*(?:\[\d*\]\s*)+$/.exec(name)?.[1];
}

/**
 * Resolves a column's type: a user type of the schema by name (enum, domain
 * or composite), an array of one, else a built-in type (see {@link parseType}).
 *
 * @example
 * ```ts
 * import { columnType } from "./types.ts";
 * const t = columnType({ types: [{ kind: "enum", name: "mood", labels: ["sad", "ok"] }] }, "mood[]");
 * if (typeof t === "string" || t.sql !== "mood[]" || t.samples?.[1] !== "ARRAY['ok'::mood]::mood[]") throw new Error();
 * ```
 */
export function columnType(schema: Pick<Schema, "types">, name: string): ColumnType | string {
  const user = (schema.types ?? []).find((t) => t.name === name);
  if (user) return userType(schema, user);
  const element = arrayElement(name);
  if (element !== undefined && (schema.types ?? []).some((t) => t.name === element)) {
    const e = columnType(schema, element);
    if (typeof e === "string") return e;
    const sql = `${e.sql}[]`;
    return pooled(sql, (r) => composedArraySample(e, sql, r), e.comparable);
  }
  return parseType(name);
}

function userType(schema: Pick<Schema, "types">, user: UserType): ColumnType | string {
  const sql = qualifiedName(user.name, user.schema);
  // A type may use only the types listed before it: no cycles.
  const before = { types: (schema.types ?? []).slice(0, Math.max(0, (schema.types ?? []).indexOf(user))) };
  switch (user.kind) {
    case "enum":
      return {
        code: op.T_ENUM,
        sql,
        length: 0,
        scale: 0,
        typeClass: "enum",
        labels: user.labels,
        comparable: true,
      };
    case "domain": {
      // Values of the base type assign to the domain and compare with it.
      const base = columnType(before, user.base);
      if (typeof base === "string") return base;
      const t = domainOf(base, user, sql);
      if (user.notNull) t.notNull = true;
      return t;
    }
    case "composite": {
      const attributes = user.attributes.map((a) => ({ a, t: columnType(before, a.type) }));
      const bad = attributes.find(({ t }) => typeof t === "string");
      if (bad) return bad.t as string;
      const types = attributes.map(({ t }) => t as ColumnType);
      return pooled(sql, (r) => compositeSample(types, sql, r), types.every((t) => t.comparable));
    }
  }
}

/** A domain's type before its NOT NULL: its base's, or samples where its base or CHECK needs them. */
function domainOf(base: ColumnType, user: DomainType, sql: string): ColumnType {
  const pattern = base.typeClass === "text"
    ? (user.checks ?? []).map(checkPattern).find((p) => p !== undefined)
    : undefined;
  if (pattern !== undefined) {
    // Text that matches the domain's regular expression, from the pattern itself.
    return pooled(sql, (r) => `${quoteLiteral(patternSample(pattern, r))}::${sql}`, base.comparable);
  }
  if (base.code === op.T_ENUM) {
    // PostgreSQL's enum operators take anyenum, which a domain over an enum does not match: no `=` or `<`.
    const labels = base.labels ?? [];
    return pooled(sql, (r) => `${quoteLiteral(labels[r % labels.length]!)}::${sql}`, false);
  }
  if (base.samples !== undefined) {
    // A domain over an array, a composite or another pooled type: its base's samples, cast.
    const samples = base.samples;
    return pooled(sql, (r) => `CAST(${samples[r % samples.length]} AS ${sql})`, base.comparable);
  }
  const t: ColumnType = { ...base, sql };
  const range = user.range ??
    (base.typeClass === "integer" || base.typeClass === "numeric"
      ? checkBounds(user.checks ?? [], base.typeClass === "integer")
      : undefined);
  if (range) t.range = range;
  return t;
}

/**
 * Bounds of a numeric domain whose CHECKs are simple comparisons of VALUE
 * with numbers (`VALUE > 0`, `VALUE <= 1000`, `VALUE BETWEEN 1 AND 9`, as
 * written or as PostgreSQL prints them), when they bound it on both sides.
 */
function checkBounds(checks: readonly string[], integer: boolean): [number, number] | undefined {
  let lo = -Infinity, hi = Infinity;
  const step = integer ? 1 : 0.01;
  for (const check of checks) {
    const text = check.replace(/[()]/g, " ").replace(/::\w+/g, "").replace(/\s+/g, " ").trim();
    for (const part of text.split(/ AND /i)) {
      const cmp = /^VALUE (>=|>|<=|<) (-?\d+(?:\.\d+)?)$/i.exec(part.trim());
      if (cmp) {
        const n = Number(cmp[2]);
        if (cmp[1] === ">=") lo = Math.max(lo, n);
        if (cmp[1] === ">") lo = Math.max(lo, n + step);
        if (cmp[1] === "<=") hi = Math.min(hi, n);
        if (cmp[1] === "<") hi = Math.min(hi, n - step);
      }
    }
    const between = /^VALUE BETWEEN (-?\d+(?:\.\d+)?) AND (-?\d+(?:\.\d+)?)$/i.exec(text);
    if (between) {
      lo = Math.max(lo, Number(between[1]));
      hi = Math.min(hi, Number(between[2]));
    }
  }
  return Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi ? [lo, hi] : undefined;
}

/** Types with a total order usable by min/max, <, BETWEEN. */
export function isOrderable(t: ColumnType): boolean {
  return !["bool", "uuid", "json", "bytea", "other"].includes(t.typeClass);
}
