/**
 * Column types as `specFromSchema` sees them: every type of the schema
 * model resolved into a tree (domains over their base, composites over their
 * attributes, arrays over their elements, user types included), the
 * interval of values a type and its bounds allow (text forms of the types
 * without a method are made in `_from_schema_text.ts`).
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";
import type { Schema, UserType } from "../schema/model.ts";
import { parseType } from "../schema/types.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import { type Bounds, deriveCheck, type Scalar } from "./_from_schema_checks.ts";

/** Element types of range and multirange types. */
export type RangeElement = "int4" | "int8" | "num" | "date" | "ts" | "tstz";

type Simple =
  | "bool"
  | "date"
  | "timestamp"
  | "timestamptz"
  | "time"
  | "interval"
  | "uuid"
  | "json"
  | "jsonb"
  | "bytea"
  | "inet"
  | "cidr"
  | "macaddr"
  | "money"
  | "tsvector"
  | "point";

/** A resolved column type. `sql` is its spelling in DDL. */
export type SchemaType =
  | { kind: "int"; sql: string; lo: number; hi: number }
  /** precision 0: numeric without modifiers. */
  | { kind: "numeric"; sql: string; precision: number; scale: number }
  | { kind: "float"; sql: string; single: boolean }
  /** length 0: no limit; fixed: char(n). */
  | { kind: "text"; sql: string; length: number; fixed: boolean }
  /** length 0: varbit without limit. */
  | { kind: "bit"; sql: string; length: number; varying: boolean }
  | { kind: "range" | "multirange"; sql: string; element: RangeElement }
  | { kind: "enum"; sql: string; labels: readonly string[] }
  | { kind: "domain"; sql: string; name: string; base: SchemaType; notNull: boolean; bounds: Bounds[] }
  | { kind: "composite"; sql: string; attributes: { name: string; type: SchemaType }[] }
  | { kind: "array"; sql: string; element: SchemaType }
  | { kind: Simple; sql: string };

/** The largest whole number generators draw. */
export const SAFE = Number.MAX_SAFE_INTEGER;

const SIMPLE_CODES: Record<number, Simple> = {
  [op.T_BOOL]: "bool",
  [op.T_DATE]: "date",
  [op.T_TIMESTAMP]: "timestamp",
  [op.T_TIMESTAMPTZ]: "timestamptz",
  [op.T_TIME]: "time",
  [op.T_INTERVAL]: "interval",
  [op.T_UUID]: "uuid",
  [op.T_JSONB]: "jsonb",
  [op.T_BYTEA]: "bytea",
  [op.T_INET]: "inet",
};

const RANGES: Record<string, RangeElement> = {
  int4range: "int4",
  int8range: "int8",
  numrange: "num",
  daterange: "date",
  tsrange: "ts",
  tstzrange: "tstz",
};

const MULTIRANGES: Record<string, RangeElement> = {
  int4multirange: "int4",
  int8multirange: "int8",
  nummultirange: "num",
  datemultirange: "date",
  tsmultirange: "ts",
  tstzmultirange: "tstz",
};

/** The type a domain or column ultimately stores: domains unwrapped, their bounds and NOT NULL collected. */
export function baseOf(t: SchemaType): { type: SchemaType; bounds: Bounds[]; notNull: boolean } {
  const bounds: Bounds[] = [];
  let notNull = false;
  while (t.kind === "domain") {
    bounds.push(...t.bounds);
    notNull ||= t.notNull;
    t = t.base;
  }
  return { type: t, bounds, notNull };
}

/** Resolves type names of one schema, each once; problems with domain CHECKs go to `warn`. */
export class TypeResolver {
  #cache = new Map<string, SchemaType | string>();
  constructor(readonly schema: Schema, readonly warn: (message: string, origin?: string) => void) {}

  #user(name: string): UserType | undefined {
    const types = this.schema.types ?? [];
    return types.find((t) => t.name === name) ??
      types.find((t) => quoteIdent(t.name) === name || qualifiedName(t.name, t.schema) === name);
  }

  /** The type, or a message saying why it cannot be generated. */
  resolve(name: string): SchemaType | string {
    const key = name.trim();
    let t = this.#cache.get(key);
    if (t === undefined) {
      t = this.#resolve(key);
      this.#cache.set(key, t);
    }
    return t;
  }

  #resolve(name: string): SchemaType | string {
    const user = this.#user(name);
    if (user) return this.#userType(user);
    const array = /^(.*?)\s*(?:\[\d*\]\s*)+$/.exec(name);
    if (array) {
      const element = this.resolve(array[1]!);
      if (typeof element === "string") return element;
      return { kind: "array", sql: `${element.sql}[]`, element };
    }
    const t = parseType(name);
    if (typeof t === "string") return t;
    switch (t.code) {
      case op.T_INT2:
        return { kind: "int", sql: t.sql, lo: -32768, hi: 32767 };
      case op.T_INT4:
        return { kind: "int", sql: t.sql, lo: -2147483648, hi: 2147483647 };
      case op.T_INT8:
        // The value model draws JavaScript numbers: bigint keeps to the safe integers.
        return { kind: "int", sql: t.sql, lo: -SAFE, hi: SAFE };
      case op.T_NUMERIC:
        return { kind: "numeric", sql: t.sql, precision: t.length, scale: t.scale };
      case op.T_FLOAT4:
      case op.T_FLOAT8:
        return { kind: "float", sql: t.sql, single: t.code === op.T_FLOAT4 };
      case op.T_TEXT:
      case op.T_VARCHAR:
      case op.T_CHAR:
        return { kind: "text", sql: t.sql, length: t.length, fixed: t.code === op.T_CHAR };
      case op.T_SQL:
        return this.#pooled(t.sql);
      default: {
        const simple = SIMPLE_CODES[t.code];
        return simple ? { kind: simple, sql: t.sql } : `type "${name}" has no generator`;
      }
    }
  }

  #pooled(sql: string): SchemaType | string {
    const bit = /^(bit|varbit)(?:\((\d+)\))?$/.exec(sql);
    if (bit) return { kind: "bit", sql, length: Number(bit[2] ?? 0), varying: bit[1] === "varbit" };
    if (RANGES[sql]) return { kind: "range", sql, element: RANGES[sql]! };
    if (MULTIRANGES[sql]) return { kind: "multirange", sql, element: MULTIRANGES[sql]! };
    if (["json", "money", "tsvector", "point", "cidr", "macaddr"].includes(sql)) {
      return { kind: sql as Simple, sql };
    }
    return `type "${sql}" has no generator`;
  }

  #userType(user: UserType): SchemaType | string {
    const sql = qualifiedName(user.name, user.schema);
    switch (user.kind) {
      case "enum":
        return { kind: "enum", sql, labels: user.labels };
      case "composite": {
        const attributes: { name: string; type: SchemaType }[] = [];
        for (const a of user.attributes) {
          const type = this.resolve(a.type);
          if (typeof type === "string") return type;
          attributes.push({ name: a.name, type });
        }
        return { kind: "composite", sql, attributes };
      }
      case "domain": {
        const base = this.resolve(user.base);
        if (typeof base === "string") return base;
        const bounds: Bounds[] = [];
        if (user.range) {
          bounds.push({
            lo: { value: user.range[0], inclusive: true },
            hi: { value: user.range[1], inclusive: true },
          });
        }
        for (const check of user.checks ?? []) {
          const origin = `domain ${sql}, check (${check})`;
          const d = deriveCheck(check, (n) => n === "value");
          const b = d.bounds.get("value");
          if (b) bounds.push({ ...b, origin });
          if (!d.derived) {
            this.warn(
              `${origin}: not a form bounds are derived from; generated values may violate it`,
              origin,
            );
          }
        }
        return { kind: "domain", sql, name: user.name, base, notNull: user.notNull === true, bounds };
      }
    }
  }
}

/** An inclusive interval in a type's own units (days, seconds, cents…), or a list of allowed values. */
export interface Interval {
  lo: number;
  hi: number;
  /** The smallest difference between two values (1 for whole units). */
  step: number;
  /** IN lists: the allowed values (in the column's text). */
  values?: (Scalar | null)[];
  exclude: Set<string>;
  minLength: number;
  maxLength: number;
  notNull: boolean;
  /** Bounds given that this type cannot honour, by origin. */
  ignored: string[];
}

/** Seconds in a day. */
export const DAY = 86400;
const DEFAULT_DATES: [string, string] = ["2000-01-01", "2030-12-31"];

/** Whether a timestamp text ends in a zone (`Z`, `+02`, `-05:30`) after its time. */
function hasZone(text: string): boolean {
  return /\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/.test(text.trim());
}

/** Days since 1970 of an ISO date or timestamp text, or seconds (`seconds`); NaN when unreadable. */
export function epoch(text: string, seconds: boolean): number {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t)
    ? `${t}T00:00:00Z`
    : hasZone(t)
    ? t.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00")
    : `${t.replace(" ", "T")}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return NaN;
  return seconds ? Math.floor(ms / 1000) : Math.floor(ms / 1000 / DAY);
}

/** Seconds of a `HH:MM[:SS]` time. */
function timeSeconds(text: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text.trim());
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) : NaN;
}

/** Digits after the point that generated values of a numeric-like type keep. */
export function roundOf(t: SchemaType): number {
  switch (t.kind) {
    case "numeric":
      return t.precision === 0 ? 4 : Math.min(t.scale, 6);
    case "float":
      return t.single ? 2 : 4;
    case "money":
      return 2;
    default:
      return 0;
  }
}

/** Which bounds a type honours: ordered ones (lo/hi), lengths, or only value lists. */
export function orderedKind(t: SchemaType): boolean {
  return ["int", "numeric", "float", "money", "interval", "date", "timestamp", "timestamptz", "time", "enum"]
    .includes(t.kind);
}

/** A bound's value in the type's units (days, seconds, label index…); NaN when it does not read as one. */
export function unitValue(t: SchemaType, v: Scalar): number {
  switch (t.kind) {
    case "date":
      return typeof v === "string" ? epoch(v, false) : NaN;
    case "timestamp":
    case "timestamptz":
      return typeof v === "string" ? epoch(v, true) : NaN;
    case "time":
      return typeof v === "string" ? timeSeconds(v) : NaN;
    case "enum":
      return typeof v === "string" ? t.labels.indexOf(v) : NaN;
    default:
      return typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  }
}

/** The type's own interval, before bounds. */
function typeInterval(t: SchemaType): { lo: number; hi: number; step: number } {
  switch (t.kind) {
    case "int":
      return { lo: t.lo, hi: t.hi, step: 1 };
    case "numeric": {
      const round = roundOf(t);
      // Keep to 15 significant digits, which doubles hold exactly.
      const digits = t.precision === 0 ? 6 : Math.max(0, Math.min(t.precision - t.scale, 15 - round));
      const max = 10 ** digits - 10 ** -round;
      return { lo: -max, hi: max, step: 10 ** -round };
    }
    case "float":
      return t.single ? { lo: -1e5, hi: 1e5, step: 0.01 } : { lo: -1e9, hi: 1e9, step: 1e-4 };
    case "money":
      return { lo: 0, hi: 100000, step: 0.01 };
    case "interval":
      return { lo: 0, hi: 30 * DAY, step: 1 };
    case "date":
      return { lo: epoch(DEFAULT_DATES[0], false), hi: epoch(DEFAULT_DATES[1], false), step: 1 };
    case "timestamp":
    case "timestamptz":
      return { lo: epoch(DEFAULT_DATES[0], true), hi: epoch(`${DEFAULT_DATES[1]} 23:59:59`, true), step: 1 };
    case "time":
      return { lo: 0, hi: DAY - 1, step: 1 };
    case "enum":
      return { lo: 0, hi: t.labels.length - 1, step: 1 };
    default:
      return { lo: 0, hi: 0, step: 1 };
  }
}

/** Whether a type's default interval is a window (dates, money…) that explicit bounds may move. */
const MOVABLE = new Set(["float", "money", "interval", "date", "timestamp", "timestamptz"]);

/**
 * The interval of values `t` (a base type, domains unwrapped) may take under `bounds`.
 */
export function intervalOf(t: SchemaType, bounds: readonly Bounds[]): Interval {
  const own = typeInterval(t);
  const out: Interval = {
    ...own,
    exclude: new Set(),
    minLength: 0,
    maxLength: t.kind === "text" && t.length > 0 ? t.length : Infinity,
    notNull: false,
    ignored: [],
  };
  let lo = -Infinity, hi = Infinity;
  const ordered = orderedKind(t);
  for (const b of bounds) {
    const ignore = () => out.ignored.push(b.origin ?? "a bound");
    if (b.notNull) out.notNull = true;
    if (b.minLength !== undefined || b.maxLength !== undefined) {
      if (t.kind !== "text") ignore();
      else {
        out.minLength = Math.max(out.minLength, b.minLength ?? 0);
        out.maxLength = Math.min(out.maxLength, b.maxLength ?? Infinity);
      }
    }
    for (const [limit, isLo] of [[b.lo, true], [b.hi, false]] as const) {
      if (!limit) continue;
      const v = ordered ? unitValue(t, limit.value) : NaN;
      if (Number.isNaN(v)) {
        ignore();
        continue;
      }
      // timestamptz bounds are read in the session's zone: keep 14 hours (the widest offset) inside.
      const zone = t.kind === "timestamptz" && typeof limit.value === "string" &&
          !hasZone(limit.value)
        ? 14 * 3600
        : 0;
      if (isLo) {
        lo = Math.max(lo, (limit.inclusive ? roundUp(v, own.step) : roundUp(v, own.step, true)) + zone);
      } else {hi = Math.min(
          hi,
          (limit.inclusive ? roundDown(v, own.step) : roundDown(v, own.step, true)) - zone,
        );}
    }
    if (b.values) {
      const allowed = b.values.filter((v) => v === null || !Number.isNaN(ordered ? unitValue(t, v) : 0));
      out.values = out.values
        ? out.values.filter((v) => allowed.some((a) => String(a) === String(v)))
        : allowed;
    }
    for (const x of b.exclude ?? []) {
      if (t.kind === "text" && x === "") out.minLength = Math.max(out.minLength, 1);
      else out.exclude.add(String(x));
    }
  }
  if (MOVABLE.has(t.kind)) {
    // A window of the type's defaults, moved to lie within explicit bounds.
    const span = own.hi - own.lo;
    if (lo > own.hi) own.hi = Number.isFinite(hi) ? hi : lo + span;
    if (hi < own.lo) own.lo = Number.isFinite(lo) ? lo : hi - span;
    if (Number.isFinite(lo) && Number.isFinite(hi)) {
      own.lo = lo;
      own.hi = hi;
    }
  }
  out.lo = Math.max(own.lo, lo);
  out.hi = Math.min(own.hi, hi);
  // Excluded values at the ends move the ends.
  if (ordered) {
    const key = (n: number) => t.kind === "enum" ? t.labels[n] ?? "" : String(n);
    while (out.lo <= out.hi && out.exclude.has(key(out.lo))) out.lo += own.step;
    while (out.hi >= out.lo && out.exclude.has(key(out.hi))) out.hi -= own.step;
  }
  if (out.values) {
    out.values = out.values.filter((v) => {
      if (v === null) return !out.notNull;
      if (out.exclude.has(String(v))) return false;
      if (t.kind === "text") {
        const n = [...String(v)].length;
        return n >= out.minLength && n <= out.maxLength;
      }
      if (!ordered) return true;
      const u = unitValue(t, v);
      return u >= out.lo && u <= out.hi;
    });
  }
  return out;
}

/** The least multiple of `step` at or above `v` (strictly above when `strict`). */
function roundUp(v: number, step: number, strict = false): number {
  const n = Math.ceil(v / step - 1e-9) * step;
  return fix(strict && Math.abs(n - v) < step / 2 ? n + step : n, step);
}

/** The greatest multiple of `step` at or below `v` (strictly below when `strict`). */
function roundDown(v: number, step: number, strict = false): number {
  const n = Math.floor(v / step + 1e-9) * step;
  return fix(strict && Math.abs(n - v) < step / 2 ? n - step : n, step);
}

/** Rounds away binary noise: 0.30000000000000004 → 0.3 at step 0.01. */
function fix(n: number, step: number): number {
  const digits = Math.max(0, Math.round(-Math.log10(step)));
  return Number(n.toFixed(digits));
}

/** `n` with leading zeros to `w` digits. */
export const pad = (n: number | string, w = 2) => String(n).padStart(w, "0");

/** ISO date of an epoch day. */
export function isoDate(day: number): string {
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS` of epoch seconds. */
export function isoTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ");
}

/** `HH:MM:SS` of seconds in a day. */
export function clock(seconds: number): string {
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}
