/**
 * Column attribute bits: a column's type class in the low 16 bits and its
 * properties above. Filters compile to (any, all, none) masks over them.
 *
 * @module
 */
import { A_NULLABLE, A_REQUIRED, A_UNIQUE_CAPABLE } from "../../wasm/opcodes.ts";
import type { ColumnFilter, TableFilter, TypeClass, TypeGroup } from "../dsl/nodes.ts";

/** One bit per type class. */
export const CLASS_BITS: Record<TypeClass, number> = {
  integer: 1,
  numeric: 2,
  float: 4,
  text: 8,
  bool: 16,
  date: 32,
  timestamp: 64,
  time: 128,
  interval: 256,
  uuid: 512,
  json: 1024,
  bytea: 2048,
  inet: 4096,
  enum: 8192,
  other: 16384,
};

const ALL_CLASSES = 0x7fff;

const GROUP_BITS: Record<TypeGroup, number> = {
  number: CLASS_BITS.integer | CLASS_BITS.numeric | CLASS_BITS.float,
  temporal: CLASS_BITS.date | CLASS_BITS.timestamp | CLASS_BITS.time | CLASS_BITS.interval,
  any: ALL_CLASSES,
};

export { A_NULLABLE, A_REQUIRED, A_UNIQUE_CAPABLE };
export const A_PRIMARY_KEY = 1 << 18;
export const A_FOREIGN_KEY = 1 << 19;
export const A_UNIQUE = 1 << 20;
export const A_ORDERABLE = 1 << 21;
export const A_GENERATED = 1 << 22;
export const A_COMPARABLE = 1 << 24;
/** A key of a live table whose values above the introspected maximum are rows the run itself made. */
export const A_LIVE_KEY = 1 << 25;
/** A column of a table read with live facts. */
export const A_LIVE = 1 << 26;
/** Part of the primary key or of a UNIQUE constraint, of one column or several. */
export const A_IN_KEY = 1 << 27;
/**
 * In a key of a live table whose new values may repeat the rows it held: no
 * column of the key is fresh (above the maximum), sequenced, or unique by
 * construction, so an INSERT must say what to do on a conflict.
 */
export const A_LIVE_REPEATS = 1 << 28;

/** Table flag bits. */
export const TABLE_HAS_PRIMARY_KEY = 1;
export const TABLE_HAS_FOREIGN_KEY = 2;

const FLAG_BITS: [keyof ColumnFilter, number][] = [
  ["primaryKey", A_PRIMARY_KEY],
  ["foreignKey", A_FOREIGN_KEY],
  ["nullable", A_NULLABLE],
  ["required", A_REQUIRED],
  ["unique", A_UNIQUE],
  ["orderable", A_ORDERABLE],
  ["comparable", A_COMPARABLE],
  ["generated", A_GENERATED],
  ["uniqueCapable", A_UNIQUE_CAPABLE],
  ["liveKey", A_LIVE_KEY],
  ["live", A_LIVE],
  ["inKey", A_IN_KEY],
  ["liveRepeats", A_LIVE_REPEATS],
];

/** Masks a column's attribute word must satisfy: (attr & any) != 0, all set, none clear. */
export interface AttributeMasks {
  any: number;
  all: number;
  none: number;
}

/** Compiles a column filter to masks; throws TypeError for an unknown type name. */
export function filterMasks(filter: ColumnFilter): AttributeMasks {
  let any = 0;
  if (filter.type === undefined) any = ALL_CLASSES;
  else {
    const names = typeof filter.type === "string" ? [filter.type] : filter.type;
    for (const n of names) {
      const bits = (CLASS_BITS as Record<string, number>)[n] ?? (GROUP_BITS as Record<string, number>)[n];
      if (bits === undefined) {
        throw new TypeError(
          `unknown column type class "${n}" (use ${
            [...Object.keys(CLASS_BITS), ...Object.keys(GROUP_BITS)].join(", ")
          })`,
        );
      }
      any |= bits;
    }
  }
  let all = 0, none = 0;
  for (const [key, bit] of FLAG_BITS) {
    if (filter[key] === true) all |= bit;
    if (filter[key] === false) none |= bit;
  }
  return { any, all, none };
}

/** Whether a table's flags satisfy a table filter (the name list is checked by the caller). */
export function tableMatches(flags: number, filter: TableFilter): boolean {
  const has = (bit: number) => (flags & bit) !== 0;
  if (filter.hasForeignKey !== undefined && has(TABLE_HAS_FOREIGN_KEY) !== filter.hasForeignKey) return false;
  if (filter.hasPrimaryKey !== undefined && has(TABLE_HAS_PRIMARY_KEY) !== filter.hasPrimaryKey) return false;
  return true;
}
