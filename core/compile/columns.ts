/**
 * Resolves a schema into what the VM needs per column: quoted names, type
 * codes, attribute bits and the inclusive value range (as scaled integers).
 *
 * @module
 */
import { type Column, DEFAULT_SEED_ROWS, type Schema, type Table } from "../schema/model.ts";
import { type ColumnType, columnType, isOrderable } from "../schema/types.ts";
import { SchemaError } from "../schema/parse.ts";
import { liveColumn } from "../live/columns.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import * as op from "../../wasm/opcodes.ts";
import {
  A_COMPARABLE,
  A_FOREIGN_KEY,
  A_GENERATED,
  A_IN_KEY,
  A_LIVE,
  A_LIVE_KEY,
  A_LIVE_REPEATS,
  A_NULLABLE,
  A_ORDERABLE,
  A_PRIMARY_KEY,
  A_REQUIRED,
  A_UNIQUE,
  A_UNIQUE_CAPABLE,
  CLASS_BITS,
  TABLE_HAS_FOREIGN_KEY,
  TABLE_HAS_PRIMARY_KEY,
} from "./attributes.ts";

/** A column ready for the VM. */
export interface ResolvedColumn {
  column: Column;
  sqlName: string;
  type: ColumnType;
  attr: number;
  /** Inclusive bounds of generated values, scaled by 10^scale for numeric kinds. */
  lo: bigint;
  hi: bigint;
  /** Decimal places the VM prints (numeric scale; 3 for floats). */
  scale: number;
}

/** A table ready for the VM. */
export interface ResolvedTable {
  table: Table;
  sqlName: string;
  flags: number;
  columns: ResolvedColumn[];
  foreignKeys: { parent: number; pairs: [number, number][] }[];
}

const DAY = 86400;
const FLOAT_SCALE = 3;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Seconds since 1970 of an ISO date or timestamp with a year from 1 to 9999, or NaN. */
function isoSeconds(text: string, dateOnly: boolean): number {
  const m = (dateOnly ? ISO_DATE : ISO_TIMESTAMP).exec(text);
  if (!m || Number(m[1]) < 1) return NaN;
  const zone = m[7] === undefined || m[7] === "Z" ? "Z" : m[7].length === 3 ? `${m[7]}:00` : m[7];
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}${
    zone.replace(/^([+-]\d\d)(\d\d)$/, "$1:$2")
  }`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000);
}

const days = (iso: string) => Math.floor(isoSeconds(iso, true) / DAY);
const seconds = (iso: string) => isoSeconds(iso, false);

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

const INT_LIMITS: Record<number, [bigint, bigint]> = {
  [op.T_INT2]: [-32768n, 32767n],
  [op.T_INT4]: [-2147483648n, 2147483647n],
  [op.T_INT8]: [-(1n << 63n), (1n << 63n) - 1n],
};

const DEFAULT_INT_RANGE: Record<number, [bigint, bigint]> = {
  [op.T_INT2]: [0n, 32767n],
  [op.T_INT4]: [0n, 1000000n],
  [op.T_INT8]: [0n, 1000000000n],
};

/** Range of a column; `path` names the column for errors. */
function valueRange(
  col: Column,
  t: ColumnType,
  keyRows: number | undefined,
  path: string,
): { lo: bigint; hi: bigint; scale: number } {
  const bad = (why: string): never => {
    throw new SchemaError(`${path}.range`, why);
  };
  // A column of a domain keeps the domain's bounds unless it states its own.
  const r = col.range ?? t.range;
  const num = (v: number | string, scale: number): bigint => {
    if (typeof v !== "number" || !Number.isFinite(v)) bad("expected numbers for a numeric column");
    return BigInt(Math.round((v as number) * 10 ** scale));
  };
  const check = (lo: bigint, hi: bigint) => {
    if (lo > hi) bad(`minimum ${r?.[0]} exceeds maximum ${r?.[1]}`);
    if (lo < I64_MIN || hi > I64_MAX) {
      bad(`[${r?.[0]}, ${r?.[1]}] is too wide to generate (scaled values must fit 64 bits)`);
    }
    return { lo, hi };
  };
  // Dates count days, timestamps seconds; both from ISO text with a year 1..9999.
  const temporal = (read: (iso: string) => number, what: string, from: string, to: string) => {
    if (r && !r.every((v) => typeof v === "string" && !Number.isNaN(read(v)))) {
      bad(`expected ${what} with a year from 1 to 9999`);
    }
    const [a, b] = r ? [read(r[0] as string), read(r[1] as string)] : [read(from), read(to)];
    return { ...check(BigInt(a), BigInt(b)), scale: 0 };
  };
  switch (t.code) {
    case op.T_INT2:
    case op.T_INT4:
    case op.T_INT8: {
      const [min, max] = INT_LIMITS[t.code]!;
      let range: { lo: bigint; hi: bigint };
      if (r) {
        if (!r.every((v) => typeof v === "number" && Number.isInteger(v))) bad("expected whole numbers");
        range = check(BigInt(r[0]), BigInt(r[1]));
        if (range.lo < min || range.hi > max) bad(`outside the range of ${t.sql}`);
      } else if (keyRows !== undefined) {
        if (BigInt(keyRows) > max) {
          throw new SchemaError(
            path,
            `key values up to ${keyRows} (seedRows) do not fit ${t.sql}; lower seedRows`,
          );
        }
        range = { lo: 1n, hi: BigInt(keyRows) };
      } else {
        const [lo, hi] = DEFAULT_INT_RANGE[t.code]!;
        range = { lo, hi };
      }
      return { ...range, scale: 0 };
    }
    case op.T_NUMERIC: {
      const scale = Math.min(t.scale, 12);
      // At most 18 digits in all, so every scaled value fits 64 bits.
      const intDigits = Math.min(t.length === 0 ? 6 : t.length - t.scale, 18 - scale);
      const limit = 10n ** BigInt(intDigits + scale) - 1n;
      if (r) {
        const range = check(num(r[0], scale), num(r[1], scale));
        if (range.hi > limit || range.lo < -limit) bad(`outside what ${t.sql} can hold`);
        return { ...range, scale };
      }
      if (keyRows !== undefined) {
        return { lo: 10n ** BigInt(scale), hi: BigInt(keyRows) * 10n ** BigInt(scale), scale };
      }
      return { lo: 0n, hi: limit, scale: t.length === 0 ? 2 : scale };
    }
    case op.T_FLOAT4:
    case op.T_FLOAT8:
      return r
        ? { ...check(num(r[0], FLOAT_SCALE), num(r[1], FLOAT_SCALE)), scale: FLOAT_SCALE }
        : { lo: 0n, hi: 1000000000n, scale: FLOAT_SCALE };
    case op.T_DATE:
      return temporal(days, "ISO dates YYYY-MM-DD", "2000-01-01", "2030-12-31");
    case op.T_TIMESTAMP:
    case op.T_TIMESTAMPTZ:
      return temporal(
        seconds,
        "ISO timestamps (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM])",
        "2000-01-01",
        "2030-12-31T23:59:59",
      );
    case op.T_TIME:
      if (r) bad("a range does not apply to time (values span the whole day)");
      return { lo: 0n, hi: BigInt(DAY - 1), scale: 0 };
    case op.T_INTERVAL:
      if (r && !r.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 0)) {
        bad("expected whole, non-negative seconds");
      }
      return { ...(r ? check(BigInt(r[0]), BigInt(r[1])) : { lo: 0n, hi: BigInt(90 * DAY) }), scale: 0 };
    default:
      if (r) bad(`a range does not apply to ${t.sql}`);
      return { lo: 0n, hi: 0n, scale: 0 };
  }
}

function uniqueCapable(t: ColumnType): boolean {
  switch (t.code) {
    case op.T_INT8:
    case op.T_UUID:
    case op.T_TEXT:
      return true;
    case op.T_NUMERIC:
      return t.length === 0 || t.length - t.scale >= 19;
    case op.T_VARCHAR:
      return t.length === 0 || t.length >= 20;
    default:
      return false;
  }
}

/**
 * Marks the columns of each key of a live table that new rows may repeat
 * (`A_LIVE_REPEATS`): none of its columns is fresh (drawn above the live
 * maximum), sequenced or generated, or given the statement's unique value
 * (a key column of a type that holds it, drawn from no existing values).
 */
function markRepeatingKeys(table: Table, columns: ResolvedColumn[], sampled: Set<string>): void {
  const byName = new Map(columns.map((c) => [c.column.name, c]));
  const keys = [table.primaryKey ?? [], ...(table.unique ?? []), ...(table.uniqueNullsNotDistinct ?? [])];
  for (const key of keys.filter((k) => k.length > 0)) {
    const fresh = key.some((name) => {
      const c = byName.get(name);
      if (!c) return true;
      if ((c.attr & (A_LIVE_KEY | A_GENERATED)) !== 0) return true;
      const keyed = (c.attr & A_PRIMARY_KEY) !== 0 || (c.attr & A_UNIQUE) !== 0;
      return keyed && (c.attr & A_UNIQUE_CAPABLE) !== 0 && (c.attr & A_FOREIGN_KEY) === 0 &&
        !sampled.has(name);
    });
    if (!fresh) { for (const name of key) byName.get(name)!.attr |= A_LIVE_REPEATS; }
  }
}

/**
 * Resolves every table of the schema.
 *
 * @throws {SchemaError} for a range that does not fit its column.
 */
export function resolveSchema(schema: Schema): ResolvedTable[] {
  const index = new Map(schema.tables.map((t, i) => [`${t.schema ?? ""}.${t.name}`, i]));
  const parentOf = (t: Table, ref: { table: string; schema?: string }) =>
    index.get(`${ref.schema ?? t.schema ?? ""}.${ref.table}`)!;
  return schema.tables.map((table, ti) => {
    const pk = new Set(table.primaryKey ?? []);
    const uniques = new Set(
      [...(table.unique ?? []), ...(table.uniqueNullsNotDistinct ?? [])].filter((u) => u.length === 1)
        .map((u) => u[0]!),
    );
    if (pk.size === 1) uniques.add([...pk][0]!);
    const sampledColumns = new Set<string>();
    const keyed = new Set([
      ...pk,
      ...[...(table.unique ?? []), ...(table.uniqueNullsNotDistinct ?? [])].flat(),
    ]);
    // Columns referencing a parent key get values among the parent's seed ids.
    const keyRows = new Map<string, number>();
    if (pk.size >= 1) {
      for (const name of pk) keyRows.set(name, table.seedRows ?? DEFAULT_SEED_ROWS);
    }
    const fkCols = new Set<string>();
    for (const fk of table.foreignKeys ?? []) {
      const parent = schema.tables[parentOf(table, fk.references)]!;
      fk.columns.forEach((c) => {
        fkCols.add(c);
        keyRows.set(c, parent.seedRows ?? DEFAULT_SEED_ROWS);
      });
    }
    const columns = table.columns.map((declared, ci): ResolvedColumn => {
      // What the live database held, when the schema was read from one (core/live/columns.ts).
      const { column, type, sequenced, fresh, sampled } = liveColumn(
        table,
        declared,
        columnType(schema, declared.type) as ColumnType,
      );
      // Identity columns are NOT NULL whether or not the schema says so.
      const nullable = (column.nullable ?? true) && !pk.has(column.name) && !type.notNull &&
        column.identity === undefined;
      let attr = CLASS_BITS[type.typeClass];
      if (nullable) attr |= A_NULLABLE;
      const defaulted = column.default !== undefined || column.generated !== undefined ||
        column.identity !== undefined;
      if (!nullable && !defaulted) attr |= A_REQUIRED;
      if (pk.has(column.name)) attr |= A_PRIMARY_KEY;
      if (fkCols.has(column.name)) attr |= A_FOREIGN_KEY;
      if (uniques.has(column.name)) attr |= A_UNIQUE;
      if (isOrderable(type)) attr |= A_ORDERABLE;
      if (type.comparable) attr |= A_COMPARABLE;
      if (column.generated !== undefined || column.identity === "always" || sequenced) attr |= A_GENERATED;
      if (uniqueCapable(type)) attr |= A_UNIQUE_CAPABLE;
      if (fresh) attr |= A_LIVE_KEY;
      if (sampled) sampledColumns.add(column.name);
      if (table.live) attr |= A_LIVE;
      if (keyed.has(column.name)) attr |= A_IN_KEY;
      // Key columns take values among the seed rows' keys: 1..seedRows.
      const isKey = keyRows.has(column.name);
      const range = valueRange(
        column,
        type,
        isKey ? keyRows.get(column.name) : undefined,
        `$.tables[${ti}].columns[${ci}]`,
      );
      return { column, sqlName: quoteIdent(column.name), type, attr, ...range };
    });
    if (table.live) markRepeatingKeys(table, columns, sampledColumns);
    const colIndex = new Map(table.columns.map((c, i) => [c.name, i]));
    const foreignKeys = (table.foreignKeys ?? []).map((fk) => {
      const p = parentOf(table, fk.references);
      const parentCols = new Map(schema.tables[p]!.columns.map((c, i) => [c.name, i]));
      return {
        parent: p,
        pairs: fk.columns.map((c, i) =>
          [colIndex.get(c)!, parentCols.get(fk.references.columns[i]!)!] as [number, number]
        ),
      };
    });
    let flags = 0;
    if (pk.size > 0) flags |= TABLE_HAS_PRIMARY_KEY;
    if (foreignKeys.length > 0) flags |= TABLE_HAS_FOREIGN_KEY;
    return { table, sqlName: qualifiedName(table.name, table.schema), flags, columns, foreignKeys };
  });
}
