/**
 * Column batches: how the row kernel hands rows over in columnar form, for
 * Parquet (core/data/parquet.ts) and the library's `.batches()`. The layout
 * is Arrow's, so a batch becomes an Arrow vector without re-encoding:
 * fixed-width values in little-endian arrays, text as int32 offsets into
 * UTF-8 bytes, nulls as an LSB-first validity bitmap (bit set = valid).
 *
 * @module
 */

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
