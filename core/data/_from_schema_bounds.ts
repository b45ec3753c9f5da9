/**
 * Bounds of a table's columns that come from elsewhere than CHECKs: its
 * partitions (every row must land in one) and the generated columns and
 * expression indexes that compute with its numbers (which must not
 * overflow).
 *
 * @module
 */
import type { Table } from "../schema/model.ts";
import { type Bounds, columnsIn, parsePartitionBound, type Scalar } from "./_from_schema_checks.ts";
import {
  baseOf,
  intervalOf,
  isoDate,
  isoTimestamp,
  orderedKind,
  type SchemaType,
  unitValue,
} from "./_from_schema_types.ts";

/** A table's columns with their types and the bounds gathered so far (added to here). */
export interface TableBounds {
  table: Table;
  types: Map<string, SchemaType>;
  bounds: Map<string, Bounds[]>;
}

/** A table's name for messages, with its schema. */
export const show = (t: { name: string; schema?: string }) =>
  JSON.stringify(t.schema ? `${t.schema}.${t.name}` : t.name);

/** Keeps partition keys within the partitions' bounds (nothing to do with a DEFAULT partition or hashing). */
export function partitionBounds(info: TableBounds, warn: (m: string, origin?: string) => void): void {
  const p = info.table.partitioning;
  if (!p || p.by === "hash") return;
  const origin = `table ${show(info.table)}: partition bounds`;
  const bounds = p.partitions.map((x) => parsePartitionBound(x.bound));
  if (bounds.some((b) => b.kind === "default")) return;
  const column = p.columns[0]!;
  const type = info.types.get(column);
  const cant = (why: string) => warn(`${origin}: ${why}; rows may find no partition`, origin);
  if (!type) return cant(`partition key ${JSON.stringify(column)} is not generated`);
  if (bounds.some((b) => b.kind === "unknown")) return cant("a bound does not read as FOR VALUES or DEFAULT");
  const list = info.bounds.get(column)!;
  if (p.by === "list") {
    const values = bounds.flatMap((b) => b.kind === "list" ? b.values : []).filter((v) => v !== null);
    list.push({ values, origin });
    return;
  }
  const base = baseOf(type).type;
  if (!orderedKind(base) || base.kind === "enum") {
    return cant(`a range key of type ${type.sql} is not derived`);
  }
  const step = intervalOf(base, []).step;
  // Each partition as an inclusive interval of the first key column, in the type's units.
  const segments: [number, number][] = [];
  for (const b of bounds) {
    if (b.kind !== "range") continue;
    const end = (datums: (Scalar | "minvalue" | "maxvalue")[], lower: boolean): number => {
      const first = datums[0]!;
      if (first === "minvalue") return -Infinity;
      if (first === "maxvalue") return Infinity;
      const v = unitValue(base, first);
      const rest = datums.slice(1);
      // (a, …) from (x, MINVALUE…) includes a = x; to (y, MAXVALUE…) includes a = y.
      const inclusive = lower
        ? rest.every((d) => d === "minvalue")
        : rest.length > 0 && rest.every((d) => d === "maxvalue");
      return lower ? (inclusive ? v : v + step) : (inclusive ? v : v - step);
    };
    const lo = end(b.from, true), hi = end(b.to, false);
    if (Number.isNaN(lo) || Number.isNaN(hi)) {
      return cant("a bound does not read as a value of the key's type");
    }
    if (lo <= hi) segments.push([lo, hi]);
  }
  segments.sort((a, z) => a[0] - z[0]);
  const merged: [number, number][] = [];
  for (const s of segments) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1] + step * 1.5) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  if (merged.length === 0) return cant("the partitions hold no value");
  const text = (u: number): Scalar => base.kind === "date" ? isoDate(u) : u;
  const count = merged.reduce((n, [a, z]) => n + (z - a) / step + 1, 0);
  if (
    merged.length > 1 && Number.isFinite(count) && count <= 4096 &&
    (base.kind === "int" || base.kind === "date")
  ) {
    const values: Scalar[] = [];
    for (const [a, z] of merged) for (let u = a; u <= z; u += step) values.push(text(u));
    list.push({ values, origin });
    return;
  }
  // Several far-apart partitions: the widest one holds every row.
  const [lo, hi] = merged.reduce((a, z) => (z[1] - z[0] > a[1] - a[0] ? z : a));
  // Timestamps without a zone: a timestamptz bound is the session's, which intervalOf allows for.
  const limit = (
    u: number,
  ) => (base.kind === "timestamp" || base.kind === "timestamptz" ? isoTimestamp(u) : text(u));
  const b: Bounds = { origin };
  if (Number.isFinite(lo)) b.lo = { value: limit(lo), inclusive: true };
  if (Number.isFinite(hi)) b.hi = { value: limit(hi), inclusive: true };
  list.push(b);
}

/** Headroom numbers keep when a generated column or an expression index computes with them. */
const HEADROOM = 1024;

/**
 * Numbers that generated columns and expression indexes compute with keep
 * 1/1024 of their type's range, so `c * 2` or `c + 1` cannot overflow.
 */
export function computedInputs(info: TableBounds): void {
  const t = info.table;
  const expressions = [
    ...t.columns.flatMap((c) => (c.generated === undefined ? [] : [c.generated])),
    ...(t.indexes ?? []).flatMap((x) => x.keys.flatMap((k) => (typeof k === "string" ? [] : [k.expression]))),
  ];
  for (const column of new Set(expressions.flatMap(columnsIn))) {
    const type = info.types.get(column);
    if (!type) continue;
    const base = baseOf(type).type;
    if (!["int", "numeric", "float", "money"].includes(base.kind)) continue;
    const own = intervalOf(base, []);
    const step = own.step;
    const lo = Math.ceil(own.lo / HEADROOM / step) * step, hi = Math.floor(own.hi / HEADROOM / step) * step;
    info.bounds.get(column)!.push({
      lo: { value: Number(lo.toFixed(6)), inclusive: true },
      hi: { value: Number(hi.toFixed(6)), inclusive: true },
      origin: `table ${show(t)}, column ${JSON.stringify(column)}: headroom for computed values`,
    });
  }
}
