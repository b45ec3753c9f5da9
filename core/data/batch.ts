/**
 * Column batches: how the row kernel hands rows over in columnar form, for
 * Parquet (core/data/parquet.ts) and the library's `.batches()`. The layout
 * is Arrow's, so a batch becomes an Arrow vector without re-encoding:
 * fixed-width values in little-endian arrays, text as int32 offsets into
 * UTF-8 bytes, nulls as an LSB-first validity bitmap (bit set = valid).
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";

/** A column's logical type in a batch. */
export type BatchType =
  | { kind: "bool" }
  | { kind: "int16" }
  | { kind: "int32" }
  | { kind: "int64" }
  | { kind: "float32" }
  | { kind: "float64" }
  /** A decimal stored as an int64 count of 10^-scale. */
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "utf8" }
  /** Days since 1970-01-01 (int32). */
  | { kind: "date" }
  /** Microseconds since 1970-01-01 (int64); `utc` for timestamptz. */
  | { kind: "timestamp"; utc: boolean }
  /** 16 bytes per value, big-endian as printed. */
  | { kind: "uuid" };

/** One column of one batch. */
export interface ColumnBatch {
  name: string;
  type: BatchType;
  /** Rows in the batch. */
  length: number;
  /**
   * Fixed-width values (`length` of them; bool: one byte each, 0 or 1; uuid:
   * 16 bytes each) or, for utf8, the UTF-8 bytes of all values.
   */
  values: Uint8Array;
  /** utf8 only: `length + 1` offsets into `values`. */
  offsets?: Int32Array;
  /** LSB-first bitmap, bit set = valid; absent when no value is null. */
  validity?: Uint8Array;
}

/** The column-batch kind (BK_*) a column's values are stored as. */
export function batchKind(draw: { kind: number; sqlType: string }): number {
  switch (draw.kind) {
    case v.K_INT:
      return draw.sqlType === "smallint" ? v.BK_INT16 : draw.sqlType === "integer" ? v.BK_INT32 : v.BK_INT64;
    case v.K_DEC:
      return v.BK_DECIMAL;
    case v.K_BOOL:
      return v.BK_BOOL;
    case v.K_DATE:
      return v.BK_DATE;
    case v.K_TS:
      return v.BK_TIMESTAMP;
    case v.K_UUID:
      return v.BK_UUID;
    default:
      return v.BK_UTF8;
  }
}

/** The batch type of a column drawn as `draw`. */
export function batchType(draw: { kind: number; sqlType: string }): BatchType {
  switch (batchKind(draw)) {
    case v.BK_INT16:
      return { kind: "int16" };
    case v.BK_INT32:
      return { kind: "int32" };
    case v.BK_INT64:
      return { kind: "int64" };
    case v.BK_DECIMAL: {
      const m = /numeric\((\d+),\s*(\d+)\)/.exec(draw.sqlType);
      return { kind: "decimal", precision: m ? Number(m[1]) : 38, scale: m ? Number(m[2]) : 0 };
    }
    case v.BK_BOOL:
      return { kind: "bool" };
    case v.BK_DATE:
      return { kind: "date" };
    case v.BK_TIMESTAMP:
      return { kind: "timestamp", utc: draw.sqlType === "timestamptz" };
    case v.BK_UUID:
      return { kind: "uuid" };
    default:
      return { kind: "utf8" };
  }
}
