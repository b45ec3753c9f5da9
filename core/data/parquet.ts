/**
 * Streaming Parquet output from column batches (core/data/batch.ts).
 *
 * Each batch becomes an Arrow record batch without touching values one by
 * one (typed-array views over the batch's buffers; bool bytes are packed to
 * bits and decimals wider than 18 digits sign-extended to 128 bits, the only
 * per-value loops), crosses into parquet-wasm (the Rust `parquet` crate
 * compiled to WebAssembly) as an Arrow IPC message, and is encoded there by
 * `AsyncArrowWriter` through `transformParquetStream`. That writer hands a
 * row group's bytes over as soon as the row group is full, so the file goes
 * to the sink row group by row group and never sits in memory whole.
 *
 * `parquet-wasm` is mapped to the package's `bundler` build, which imports
 * its `.wasm` as a module: the default (Node) build reads the file with
 * `fs.readFileSync` and would make every user of this module need
 * `--allow-read`. This module needs no permission.
 *
 * Type mapping (Arrow type → Parquet physical type and logical type):
 *
 * | BatchType | Arrow | Parquet |
 * | --- | --- | --- |
 * | bool | Bool | BOOLEAN |
 * | int16 | Int16 | INT32, INT(16, signed) |
 * | int32 | Int32 | INT32 |
 * | int64 | Int64 | INT64 |
 * | float32 / float64 | Float32 / Float64 | FLOAT / DOUBLE |
 * | decimal(p ≤ 18, s) | Decimal64 | INT32 (p ≤ 9) or INT64, DECIMAL(p, s) |
 * | decimal(19 ≤ p ≤ 38, s) | Decimal128 | FIXED_LEN_BYTE_ARRAY(16), DECIMAL(p, s) |
 * | utf8 | Utf8 | BYTE_ARRAY, STRING |
 * | date | Date32 | INT32, DATE |
 * | timestamp | Timestamp(µs, "UTC" when `utc`) | INT64, TIMESTAMP(MICROS, isAdjustedToUTC = `utc`) |
 * | uuid | FixedSizeBinary(16), field marked `arrow.uuid` | FIXED_LEN_BYTE_ARRAY(16), UUID |
 *
 * UUID: parquet-wasm 0.8.0 is built without the Rust crate's
 * `arrow_canonical_extension_types` feature, so it writes a uuid column as
 * plain FIXED_LEN_BYTE_ARRAY(16). The writer therefore rewrites the footer,
 * which comes last and which nothing before it points into: the bytes that
 * arrive once `finish` has closed the input (the footer and the last row
 * groups not yet handed over) are held back, the footer's FileMetaData is
 * decoded into a generic Thrift tree (`_parquet_footer.ts`, which re-encodes
 * every other field byte for byte), the uuid columns' schema elements get
 * `logicalType = UUID`, and the new footer goes to the sink in place of the
 * old one. Readers then see UUIDs (DuckDB's `typeof` is `UUID`); the embedded
 * Arrow schema names the field `arrow.uuid` as before. Statistics stay valid:
 * both the plain and the UUID column order compare the 16 bytes unsigned.
 * `uuidLogicalType: false` keeps parquet-wasm's footer as it is.
 *
 * @module
 */

import * as arrow from "apache-arrow";
import * as pw from "parquet-wasm";
import type { BatchType, ColumnBatch } from "./batch.ts";
import { findFooter, frameFooter, withUuidLogicalType } from "./_parquet_footer.ts";

/** Page compression for every column. */
export type ParquetCompression = "snappy" | "zstd" | "gzip" | "none";

/** One output column; `writeBatch` takes batches in this order. */
export interface ParquetColumn {
  name: string;
  type: BatchType;
  /** A column that is not nullable rejects a batch with nulls. */
  nullable: boolean;
}

/**
 * Where the file's bytes go, in order: a function (awaited before the next
 * bytes are produced) or a writer such as `Deno.FsFile` whose `write` may
 * take only part of the bytes (called again for the rest).
 */
export type ParquetSink =
  | ((bytes: Uint8Array) => Promise<void> | void)
  | { write(bytes: Uint8Array): Promise<number> };

/** Options of {@linkcode ParquetWriter}. */
export interface ParquetWriterOptions {
  compression: ParquetCompression;
  /** Rows per row group (default 1,048,576, the Rust crate's default). */
  rowGroupRows?: number;
  /**
   * A row group is also closed once its encoded size reaches this many bytes
   * (default 128 MiB), which bounds memory for wide rows.
   */
  rowGroupBytes?: number;
  /** Receives the file as it is written; without one, `finish` returns the whole file. */
  sink?: ParquetSink;
  /**
   * Whether uuid columns carry the UUID logical type (default true). False
   * leaves them plain FIXED_LEN_BYTE_ARRAY(16), which DuckDB reads as BLOB,
   * for readers that refuse the logical type (Spark 4.0's Parquet reader
   * fails on "FIXED_LEN_BYTE_ARRAY (UUID)"); the footer is then parquet-wasm's, unchanged.
   */
  uuidLogicalType?: boolean;
}

const DEFAULT_ROW_GROUP_ROWS = 1024 * 1024;
const DEFAULT_ROW_GROUP_BYTES = 128 * 1024 * 1024;

const CODECS: Record<ParquetCompression, pw.Compression> = {
  snappy: pw.Compression.SNAPPY,
  zstd: pw.Compression.ZSTD,
  gzip: pw.Compression.GZIP,
  none: pw.Compression.UNCOMPRESSED,
};

/**
 * Writes a Parquet file from column batches, streaming it to a sink.
 *
 * Memory does not grow with the file: it is set by `rowGroupRows` and
 * `rowGroupBytes`. The writer holds two copies of the batch being written (the
 * Arrow IPC message and its copy in WebAssembly memory), the row group being
 * encoded (its pages and dictionaries), the finished group's bytes and their
 * copy handed to the sink; outputs under 64 KiB are coalesced. What the Rust
 * writer hands over after `finish` closes its input (the footer and the one or
 * two row groups not yet handed over) is held until the footer is complete,
 * so that it can be rewritten (see the module doc on UUID). Measured with
 * bench/parquet_writer.ts's six columns: WebAssembly memory peaks at 144 MB
 * with zstd and 1,048,576-row groups (31 MB compressed each), 42 MB with
 * 131,072-row groups, and stays there however many rows follow (checked to
 * 12M rows); WebAssembly memory never shrinks, so the peak is kept for the life
 * of the process. Encoding and compression run on the calling thread; a
 * finished row group waits for the sink to take the previous one, so a slow
 * sink slows writing instead of filling memory.
 *
 * Await each `writeBatch` before the next call; a batch's buffers are copied
 * before the call returns, so the caller may reuse them at once.
 *
 * @example Write three rows and check the file's framing
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { ParquetWriter } from "./parquet.ts";
 *
 * const writer = new ParquetWriter([{ name: "n", type: { kind: "int32" }, nullable: false }], {
 *   compression: "zstd",
 * });
 * await writer.writeBatch([{
 *   name: "n",
 *   type: { kind: "int32" },
 *   length: 3,
 *   values: new Uint8Array(new Int32Array([1, 2, 3]).buffer),
 * }]);
 * const file = await writer.finish();
 * assertEquals(new TextDecoder().decode(file.subarray(0, 4)), "PAR1");
 * assertEquals(writer.rows, 3);
 * ```
 */
export class ParquetWriter {
  readonly #columns: readonly ParquetColumn[];
  readonly #schema: arrow.Schema;
  readonly #properties: { compression: pw.Compression; rows: number; bytes: number };
  readonly #sink: ParquetSink | undefined;
  readonly #kept: Uint8Array[] = [];
  #rows = 0;
  #bytes = 0;
  /** Indexes of the uuid columns whose footer entries get the UUID logical type. */
  readonly #uuid: readonly number[];
  /** Output that arrived after the input was closed: it ends with the footer. */
  readonly #held: Uint8Array[] = [];
  #heldBytes = 0;
  #state: "open" | "busy" | "finishing" | "done" = "open";
  #error: unknown = undefined;
  // Batches waiting for the Rust writer, and the pending pull that it is
  // blocked on when it has taken everything (set ⇔ it is idle).
  readonly #queue: pw.RecordBatch[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #idle: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #pump: Promise<void> | undefined;

  /**
   * @param columns The file's columns, in order; names must be unique and non-empty.
   * @param options Compression, row-group limits and the sink.
   * @throws {RangeError} For a decimal precision outside 1..38, a scale outside 0..precision or
   * row-group limits below 1.
   * @throws {TypeError} For no columns, an empty or repeated name.
   */
  constructor(columns: readonly ParquetColumn[], options: ParquetWriterOptions) {
    if (columns.length === 0) throw new TypeError("A Parquet file needs at least one column.");
    const seen = new Set<string>();
    for (const c of columns) {
      if (c.name === "") throw new TypeError("A Parquet column name must not be empty.");
      if (seen.has(c.name)) throw new TypeError(`Parquet column "${c.name}" is named twice.`);
      seen.add(c.name);
      if (c.type.kind === "decimal") checkDecimal(c.name, c.type.precision, c.type.scale);
    }
    const rows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    const bytes = options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
    if (!Number.isSafeInteger(rows) || rows < 1) {
      throw new RangeError(`rowGroupRows must be a positive integer, not ${rows}.`);
    }
    if (!Number.isSafeInteger(bytes) || bytes < 1) {
      throw new RangeError(`rowGroupBytes must be a positive integer, not ${bytes}.`);
    }
    this.#columns = columns.map((c) => ({ ...c }));
    this.#schema = new arrow.Schema(this.#columns.map(arrowField));
    this.#properties = { compression: CODECS[options.compression], rows, bytes };
    this.#sink = options.sink;
    this.#uuid = options.uuidLogicalType === false
      ? []
      : this.#columns.flatMap((c, i) => c.type.kind === "uuid" ? [i] : []);
  }

  /** Rows accepted so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes the sink has taken (or `finish` will return) so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Writes one batch: one {@linkcode ColumnBatch} per column, in the
   * constructor's order, all of the same length. Resolves once the library
   * has encoded the batch; a finished row group goes to the sink meanwhile,
   * and the next one waits for the sink to take it.
   *
   * @param batch The columns of the batch.
   * @throws {TypeError} When the batch does not match the columns, a buffer is too short, a
   * non-nullable column has nulls, text is not UTF-8, or the previous call has not finished.
   */
  async writeBatch(batch: readonly ColumnBatch[]): Promise<void> {
    this.#enter();
    try {
      const record = this.#recordBatch(batch);
      if (record.numRows === 0) return;
      await this.#send(record);
      this.#rows += record.numRows;
    } finally {
      if (this.#state === "busy") this.#state = "open";
    }
  }

  /**
   * Ends the file: flushes the last row group and writes the footer. A file
   * with no rows is valid (schema only).
   *
   * @returns The whole file when the writer has no sink; otherwise an empty
   * array, once the sink has taken the last byte.
   * @throws {Error} When the sink failed, the library's output is not a
   * complete Parquet file, or its footer could not be rewritten.
   */
  async finish(): Promise<Uint8Array> {
    this.#enter();
    this.#state = "finishing";
    try {
      if (this.#pump === undefined) await this.#send(this.#recordBatch(this.#columns.map(emptyColumn)));
      this.#closed = true;
      this.#wakeRust();
      await this.#pump;
      this.#fail();
      await this.#finishFooter();
      this.#state = "done";
      if (this.#sink !== undefined) return new Uint8Array(0);
      return concat(this.#kept.splice(0), this.#bytes);
    } catch (e) {
      this.#state = "done";
      throw e;
    }
  }

  #enter(): void {
    if (this.#state === "busy") {
      throw new TypeError("Await the previous writeBatch before calling the writer again.");
    }
    if (this.#state !== "open") throw new TypeError("The Parquet writer is already finished.");
    this.#fail();
    this.#state = "busy";
  }

  #fail(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  #recordBatch(batch: readonly ColumnBatch[]): arrow.RecordBatch {
    if (batch.length !== this.#columns.length) {
      throw new TypeError(`A batch needs ${this.#columns.length} columns, got ${batch.length}.`);
    }
    const length = batch[0]?.length ?? 0;
    const children = batch.map((col, i) => {
      const want = this.#columns[i]!;
      if (col.name !== want.name || !sameType(col.type, want.type)) {
        throw new TypeError(
          `Batch column ${i} is "${col.name}" (${col.type.kind}); the writer expects "${want.name}" (${want.type.kind}).`,
        );
      }
      if (col.length !== length) {
        throw new TypeError(`Batch column "${col.name}" has ${col.length} rows; column 0 has ${length}.`);
      }
      const data = arrowData(col, this.#schema.fields[i]!.type);
      if (!want.nullable && data.nullCount > 0) {
        throw new TypeError(
          `Column "${col.name}" is not nullable but the batch has ${data.nullCount} nulls.`,
        );
      }
      return data;
    });
    const struct = arrow.makeData({ type: new arrow.Struct(this.#schema.fields), length, children });
    return new arrow.RecordBatch(this.#schema, struct);
  }

  /** Hands one record batch to the Rust writer and waits until it has taken and encoded it. */
  async #send(record: arrow.RecordBatch): Promise<void> {
    let table: pw.Table;
    try {
      table = pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table([record]), "stream"));
    } catch (e) {
      // The Rust side validates what it reads, e.g. that text is UTF-8.
      throw new TypeError(`The batch is not valid Arrow data: ${e instanceof Error ? e.message : e}`);
    }
    try {
      for (let i = 0; i < table.numBatches; i++) this.#queue.push(table.recordBatch(i)!);
    } finally {
      table.free();
    }
    const idle = this.#whenIdle();
    if (this.#pump === undefined) {
      this.#pump = this.#start().catch((e) => this.#abort(e));
    } else {
      this.#wakeRust();
    }
    await idle;
    this.#fail();
  }

  async #start(): Promise<void> {
    const input = new ReadableStream<pw.RecordBatch>({ pull: (c) => this.#pull(c) }, { highWaterMark: 0 });
    const props = new pw.WriterPropertiesBuilder()
      .setCompression(this.#properties.compression)
      .setMaxRowGroupSize(this.#properties.rows)
      .setMaxRowGroupBytes(this.#properties.bytes)
      .setCreatedBy("quarry (parquet-wasm)")
      .build();
    // Resolves once the Rust side has looked at the first batch (for the schema).
    const output: ReadableStream<Uint8Array> = await pw.transformParquetStream(input, props);
    const reader = output.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        await this.#deliver(value);
      }
    } catch (e) {
      await reader.cancel(e).catch(() => {});
      throw e;
    }
  }

  async #pull(controller: ReadableStreamDefaultController<pw.RecordBatch>): Promise<void> {
    for (;;) {
      const next = this.#queue.shift();
      if (next !== undefined) return controller.enqueue(next);
      if (this.#closed || this.#error !== undefined) return controller.close();
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        for (const w of this.#idle.splice(0)) w.resolve();
      });
    }
  }

  #wakeRust(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #whenIdle(): Promise<void> {
    return new Promise((resolve, reject) => this.#idle.push({ resolve, reject }));
  }

  #abort(e: unknown): void {
    this.#error ??= e instanceof Error ? e : new Error(String(e));
    for (const batch of this.#queue.splice(0)) batch.free();
    for (const w of this.#idle.splice(0)) w.reject(this.#error);
    this.#wakeRust();
  }

  /**
   * Takes the Rust writer's output. Once the input is closed, the footer may
   * be in any of what follows, so that is held for `#finishFooter`; the
   * footer is only written after the input stream ends, which happens only
   * after `#closed` is set (or on an error, when the file is abandoned).
   */
  async #deliver(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    if (this.#closed) {
      this.#held.push(bytes);
      this.#heldBytes += bytes.length;
      return;
    }
    await this.#emit(bytes);
  }

  /** Sends the held tail, its footer rewritten when there are uuid columns. */
  async #finishFooter(): Promise<void> {
    const held = this.#held.splice(0);
    const tail = held.length === 1 ? held[0]! : concat(held, this.#heldBytes);
    // parquet-wasm's stream writer drops write and close errors, so a
    // missing footer is the only sign that something went wrong there.
    const footer = findFooter(tail);
    if (footer === undefined || footer.length === 0) {
      throw new Error("The Parquet writer produced no footer; the file is incomplete.");
    }
    if (this.#uuid.length === 0) return await this.#emit(tail);
    const metadata = tail.subarray(footer.start, footer.start + footer.length);
    const patched = withUuidLogicalType(metadata, this.#columns.map((c) => c.name), this.#uuid);
    await this.#emit(tail.subarray(0, footer.start));
    await this.#emit(frameFooter(patched));
  }

  async #emit(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    const sink = this.#sink;
    if (sink === undefined) {
      this.#kept.push(bytes);
    } else if (typeof sink === "function") {
      await sink(bytes);
    } else {
      for (let rest = bytes; rest.length > 0;) {
        const n = await sink.write(rest);
        if (!(n > 0)) throw new Error(`The Parquet sink took ${n} of ${rest.length} bytes.`);
        rest = rest.subarray(n);
      }
    }
    this.#bytes += bytes.length;
  }
}

function checkDecimal(name: string, precision: number, scale: number): void {
  if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
    throw new RangeError(`Decimal column "${name}" has precision ${precision}; Parquet takes 1 to 38.`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new RangeError(`Decimal column "${name}" has scale ${scale}; it must be 0 to the precision.`);
  }
}

function sameType(a: BatchType, b: BatchType): boolean {
  if (a.kind === "decimal" && b.kind === "decimal") return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === "timestamp" && b.kind === "timestamp") return a.utc === b.utc;
  return a.kind === b.kind;
}

function arrowField(c: ParquetColumn): arrow.Field {
  const t = c.type;
  switch (t.kind) {
    case "bool":
      return new arrow.Field(c.name, new arrow.Bool(), c.nullable);
    case "int16":
      return new arrow.Field(c.name, new arrow.Int16(), c.nullable);
    case "int32":
      return new arrow.Field(c.name, new arrow.Int32(), c.nullable);
    case "int64":
      return new arrow.Field(c.name, new arrow.Int64(), c.nullable);
    case "float32":
      return new arrow.Field(c.name, new arrow.Float32(), c.nullable);
    case "float64":
      return new arrow.Field(c.name, new arrow.Float64(), c.nullable);
    case "decimal":
      return new arrow.Field(
        c.name,
        new arrow.Decimal(t.scale, t.precision, t.precision <= 18 ? 64 : 128),
        c.nullable,
      );
    case "utf8":
      return new arrow.Field(c.name, new arrow.Utf8(), c.nullable);
    case "date":
      return new arrow.Field(c.name, new arrow.DateDay(), c.nullable);
    case "timestamp":
      return new arrow.Field(c.name, new arrow.TimestampMicrosecond(t.utc ? "UTC" : null), c.nullable);
    case "uuid":
      return new arrow.Field(
        c.name,
        new arrow.FixedSizeBinary(16),
        c.nullable,
        new Map([["ARROW:extension:name", "arrow.uuid"]]),
      );
  }
}

function emptyColumn(c: ParquetColumn): ColumnBatch {
  const empty: ColumnBatch = { name: c.name, type: c.type, length: 0, values: new Uint8Array(0) };
  if (c.type.kind === "utf8") empty.offsets = new Int32Array(1);
  return empty;
}

/** Bytes per value of each fixed-width kind (bool: one byte in the batch). */
function width(kind: Exclude<BatchType["kind"], "utf8">): number {
  switch (kind) {
    case "bool":
      return 1;
    case "int16":
      return 2;
    case "int32":
    case "float32":
    case "date":
      return 4;
    case "int64":
    case "float64":
    case "decimal":
    case "timestamp":
      return 8;
    case "uuid":
      return 16;
  }
}

type ViewCtor<T> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

/** A typed view of `count` values over `bytes`, copied only when `bytes` is misaligned. */
function view<T>(Ctor: ViewCtor<T>, bytes: Uint8Array, count: number): T {
  if (bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer, bytes.byteOffset, count);
  const copy = bytes.slice(0, count * Ctor.BYTES_PER_ELEMENT);
  return new Ctor(copy.buffer, 0, count);
}

function arrowData(col: ColumnBatch, type: arrow.DataType): arrow.Data {
  const n = col.length;
  const nullBitmap = validity(col);
  const nullCount = nullBitmap === undefined ? 0 : n - popcount(nullBitmap, n);
  const base = { length: n, nullCount, ...(nullBitmap === undefined ? {} : { nullBitmap }) };
  const kind = col.type.kind;
  if (kind === "utf8") {
    const offsets = col.offsets;
    if (offsets === undefined || offsets.length < n + 1) {
      throw new TypeError(
        `Text column "${col.name}" needs ${n + 1} offsets, got ${offsets?.length ?? "none"}.`,
      );
    }
    const end = offsets[n]!;
    if (offsets[0]! < 0 || end < offsets[0]! || end > col.values.length) {
      throw new TypeError(
        `Text column "${col.name}" has offsets outside its ${col.values.length} value bytes.`,
      );
    }
    return arrow.makeData({ ...base, type: type as arrow.Utf8, data: col.values, valueOffsets: offsets });
  }
  const size = width(kind) * n;
  if (col.values.length < size) {
    throw new TypeError(
      `Column "${col.name}" needs ${size} value bytes for ${n} rows, got ${col.values.length}.`,
    );
  }
  const v = col.values;
  switch (kind) {
    case "bool":
      return arrow.makeData({ ...base, type: type as arrow.Bool, data: packBits(v, n) });
    case "int16":
      return arrow.makeData({ ...base, type: type as arrow.Int16, data: view(Int16Array, v, n) });
    case "int32":
      return arrow.makeData({ ...base, type: type as arrow.Int32, data: view(Int32Array, v, n) });
    case "date":
      return arrow.makeData({ ...base, type: type as arrow.DateDay, data: view(Int32Array, v, n) });
    case "int64":
      return arrow.makeData({ ...base, type: type as arrow.Int64, data: view(BigInt64Array, v, n) });
    case "timestamp":
      return arrow.makeData({
        ...base,
        type: type as arrow.TimestampMicrosecond,
        data: view(BigInt64Array, v, n),
      });
    case "float32":
      return arrow.makeData({ ...base, type: type as arrow.Float32, data: view(Float32Array, v, n) });
    case "float64":
      return arrow.makeData({ ...base, type: type as arrow.Float64, data: view(Float64Array, v, n) });
    case "decimal": {
      const t = type as arrow.Decimal;
      const words = view(Uint32Array, v, 2 * n);
      return arrow.makeData({ ...base, type: t, data: t.bitWidth === 64 ? words : widen(words, n) });
    }
    case "uuid":
      return arrow.makeData({ ...base, type: type as arrow.FixedSizeBinary, data: v.subarray(0, size) });
  }
}

function validity(col: ColumnBatch): Uint8Array | undefined {
  const bits = col.validity;
  if (bits === undefined) return undefined;
  const need = Math.ceil(col.length / 8);
  if (bits.length < need) {
    throw new TypeError(
      `Column "${col.name}" needs ${need} validity bytes for ${col.length} rows, got ${bits.length}.`,
    );
  }
  return bits.subarray(0, need);
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x !== 0; x &= x - 1) c++;
  return c;
});

/** Set bits among the first `n` of an LSB-first bitmap. */
function popcount(bits: Uint8Array, n: number): number {
  const whole = n >>> 3;
  let c = 0;
  for (let i = 0; i < whole; i++) c += POPCOUNT[bits[i]!]!;
  const rest = n & 7;
  if (rest !== 0) c += POPCOUNT[bits[whole]! & ((1 << rest) - 1)]!;
  return c;
}

/** One byte per value (0 or 1) → Arrow's LSB-first bits. */
function packBits(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) if (bytes[i] !== 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

/** Little-endian int64 words → int128 words (sign-extended). */
function widen(words: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i]!, hi = words[2 * i + 1]!;
    const sign = hi & 0x80000000 ? 0xffffffff : 0;
    out[4 * i] = lo;
    out[4 * i + 1] = hi;
    out[4 * i + 2] = sign;
    out[4 * i + 3] = sign;
  }
  return out;
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
