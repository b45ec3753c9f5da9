/**
 * Rows written on demand, one call at a time, for traffic that decides as
 * it goes which table comes next (`quarry events`): one kernel instance over
 * one compiled image holding every table's row program, any table in any
 * row format, on the calling thread. Bulk output goes through `generate`
 * (workers) instead.
 *
 * @module
 */
import { instantiate, type KernelExports, sharedMemory } from "../../wasm/kernel.ts";
import { PROGRAM_BASE, SCRATCH_BYTES } from "../../wasm/layout.ts";
import * as v from "../../wasm/value_ops.ts";
import type { Seed } from "../seed.ts";
import { GenerationError } from "./errors.ts";

/** Row formats a {@link RowWriter} writes (value_ops.ts F_*). */
export type RowWriterFormat = "sql" | "set" | "bind";

const FORMATS: Record<RowWriterFormat, number> = { sql: v.F_SQL, set: v.F_SET, bind: v.F_BIND };

/** Every output entry. */
export const ALL_ENTRIES = (1n << 128n) - 1n;

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** One kernel instance writing rows of the tables of one image. */
export class RowWriter {
  readonly memory: WebAssembly.Memory;
  readonly #kernel: KernelExports;
  readonly #view: DataView;
  readonly #scratch: number;
  readonly #buf: number;
  readonly #cap: number;
  readonly #decoder = new TextDecoder();

  /**
   * @param image A compiled image (`compileTables`), loaded at PROGRAM_BASE.
   * @param seed The run's seed.
   * @param bufferBytes Room for one call's output [default: 1 MiB].
   */
  constructor(image: Uint8Array, seed: Seed, bufferBytes = 1 << 20) {
    this.#scratch = align(PROGRAM_BASE + image.length, 65536);
    this.#buf = this.#scratch + SCRATCH_BYTES;
    this.#cap = bufferBytes;
    this.memory = sharedMemory(this.#buf + bufferBytes);
    new Uint8Array(this.memory.buffer).set(image, PROGRAM_BASE);
    this.#view = new DataView(this.memory.buffer);
    this.#kernel = instantiate(this.memory);
    this.#kernel.setSeed(seed[0], seed[1], seed[2], seed[3]);
  }

  /**
   * Rows [first, first + count) of `table` (a compiled table: its record's
   * address and longest row) as text. "sql": one multi-row INSERT when `first` is a multiple
   * of `count` (the kernel starts a statement every `count` rows), ending in
   * ";\n". "set": the SET list of each row over the output entries whose bit
   * is set in `mask` (bit i = entry i), each ending in ";\n".
   *
   * @throws {GenerationError} When a row fails or does not fit the buffer.
   */
  write(
    table: { addr: number; maxRowBytes: number },
    format: "sql" | "set",
    first: bigint,
    count: number,
    mask = 0n,
  ): string {
    return this.#decoder.decode(this.bytes(table, format, first, count, mask));
  }

  /**
   * As {@link write}, as bytes (a view valid until the next call). "bind":
   * the values of the entries in `mask` of each row, as the parameters of a
   * Bind message (length, then text; NULL is a length of -1).
   */
  bytes(
    table: { addr: number; maxRowBytes: number },
    format: RowWriterFormat,
    first: bigint,
    count: number,
    mask = ALL_ENTRIES,
  ): Uint8Array {
    const at = table.addr;
    this.#view.setInt32(at + v.RT_FORMAT * 4, FORMATS[format], true);
    this.#view.setInt32(at + v.RT_BATCH * 4, Math.max(1, count), true);
    if (format !== "sql") {
      this.#kernel.setOutputMask(BigInt.asUintN(64, mask), BigInt.asUintN(64, mask >> 64n));
    }
    this.#kernel.initRows(at, this.#scratch);
    // The kernel writes a row only while its longest form still fits.
    const n = this.#kernel.expandRows(first, count, this.#buf, this.#cap, table.maxRowBytes);
    const error = this.#kernel.rowsError.value as number;
    if (error !== 0 || n !== count) {
      throw new GenerationError(
        error,
        first,
        undefined,
        error !== 0
          ? `row ${
            BigInt.asUintN(64, this.#kernel.rowsErrorIndex.value as bigint)
          } failed (kernel error ${error})`
          : `${count} rows do not fit in ${this.#cap} bytes`,
      );
    }
    const length = this.#kernel.rowsLength.value as number;
    return new Uint8Array(this.memory.buffer, this.#buf, length);
  }
}
